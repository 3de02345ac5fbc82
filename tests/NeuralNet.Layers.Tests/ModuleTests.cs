namespace NeuralNet.Layers.Tests;

using NeuralNet;
using NeuralNet.Layers;

public class ModuleBaseTests
{
    private sealed class Scale : Module
    {
        private readonly Parameter _w = new(Tensor.FromArray([2.0]), "w");

        public override IReadOnlyList<Parameter> Parameters => [_w];

        public override Tensor Forward(Tensor input) => input * _w;
    }

    [Fact]
    public void ZeroGradClearsEveryParameter()
    {
        var m = new Scale();
        using (var tape = Tape.Record())
        {
            tape.Backward(m.Forward(Tensor.FromArray([3.0])).Sum());
        }

        m.Parameters[0].Grad!.Item().Should().Be(3);
        m.ZeroGrad();
        m.Parameters[0].Grad.Should().BeNull();
    }
}

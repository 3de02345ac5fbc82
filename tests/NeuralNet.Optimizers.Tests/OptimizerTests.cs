namespace NeuralNet.Optimizers.Tests;

using NeuralNet;
using NeuralNet.Optimizers;

public class OptimizerBaseTests
{
    private sealed class Noop(IEnumerable<Parameter> parameters) : Optimizer(parameters, 0.1)
    {
        protected override void Update(Parameter parameter, Tensor gradient)
        {
        }
    }

    [Fact]
    public void RefusesNoParametersAndDuplicates()
    {
        var act = () => new Noop([]);
        act.Should().Throw<ArgumentException>().WithMessage("Noop: no parameters to optimize.*");
        var p = new Parameter(Tensor.Zeros([2]));
        var twice = () => new Noop([p, p]);
        twice.Should().Throw<ArgumentException>().WithMessage("Noop: a parameter is listed twice.*");
    }
}

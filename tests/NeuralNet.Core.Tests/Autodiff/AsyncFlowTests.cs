namespace NeuralNet.Tests.Autodiff;

using NeuralNet;

/// <summary>Tapes and no-grad scopes follow an await (they are ambient to the logical flow, like culture).</summary>
public class AsyncFlowTests
{
    [Fact]
    public async Task ATapeKeepsRecordingAfterAnAwait()
    {
        var w = new Parameter(Tensor.FromArray([3.0]), "w");
        using var tape = Tape.Record();
        Tensor square = w * w;
        await Task.Delay(1);
        await Task.Run(() => Thread.Sleep(1));
        Tensor loss = (square * w).Sum();
        tape.Backward(loss);
        w.Grad!.ToArray<double>().Should().Equal(27);
    }

    [Fact]
    public async Task NoGradFollowsTheAwaitAndEndsWithItsScope()
    {
        var w = new Parameter(Tensor.FromArray([3.0]), "w");
        using var tape = Tape.Record();
        using (Autodiff.NoGrad())
        {
            await Task.Yield();
            (w * w).IsTracked.Should().BeFalse();
            Autodiff.IsGradEnabled.Should().BeFalse();
        }

        Autodiff.IsGradEnabled.Should().BeTrue();
        (w * w).IsTracked.Should().BeTrue();
    }

    [Fact]
    public async Task ATapeIsAmbientToTheFlowThatOpenedItUntilDisposed()
    {
        var w = new Parameter(Tensor.FromArray([2.0]), "w");
        Task<bool> unrelated;
        using (var tape = Tape.Record())
        {
            unrelated = Task.Run(() => (w * w).IsTracked);
            (await unrelated).Should().BeTrue("Task.Run inherits the flow, as it inherits culture and other ambient state");
        }

        (await Task.Run(() => (w * w).IsTracked)).Should().BeFalse();
    }
}

namespace NeuralNet.Layers.Tests;

using NeuralNet;
using NeuralNet.Layers;

/// <summary>Cases the pooled step memory and the fused ops must keep working.</summary>
public class StepMemorySanityTests
{
    private static readonly Tensor Batch = Tensor.RandomNormal([32, 64], seed: 4);

    [Fact]
    public void ViewsIdentityAndRetainGraphOutputsStayReadable()
    {
        var model = new Sequential(new Identity(), new Dense(64, 300, seed: 1), new Identity(), new ReLU(), new Dense(300, 300, seed: 2), new Identity());
        Tensor output;
        float[] inside;
        using (var tape = Tape.Record())
        {
            output = model.Forward(Batch);
            tape.Backward(output.Sum(), retainGraph: true);
            tape.Backward(output.Square().Mean());
            inside = output.ToArray<float>();
        }

        output.ToArray<float>().Should().Equal(inside);
        Batch.ToArray<float>().Should().HaveCount(32 * 64);
    }

    [Fact]
    public void AGradientPenaltyThroughASequentialMatchesTheUnpooledOne()
    {
        var model = new Sequential(new Dense(8, 300, dtype: DType.Float64, seed: 1), new Tanh(), new Dense(300, 1, dtype: DType.Float64, seed: 2));
        Tensor x0 = Tensor.RandomNormal([16, 8], seed: 3, dtype: DType.Float64);
        double[] Run(bool outer)
        {
            model.ZeroGrad();
            using (var tape = Tape.Record())
            {
                Tensor x = tape.Watch(x0);
                Tensor g = tape.Gradient(model.Forward(x).Sum(), x, createGraph: true);
                tape.Backward(g.Square().Sum() + model.Forward(x0).Mean());
            }

            return model.Parameters[0].Grad!.ToArray<double>();
        }

        double[] first = Run(false);
        double[] second = Run(false);
        second.Should().Equal(first);
        first.Should().Contain(v => v != 0);
    }

    [Fact]
    public void SecondOrderRulesOfTheFusedOpsPassGradCheck()
    {
        Tensor x = Tensor.RandomNormal([3, 4], seed: 7, dtype: DType.Float64);
        Tensor w = Tensor.RandomNormal([5, 4], seed: 8, dtype: DType.Float64);
        Tensor b = Tensor.RandomNormal([5], seed: 9, dtype: DType.Float64);
        Tensor F(Tensor[] v) => Losses.CrossEntropy(Tensor.Linear(v[0], v[1], v[2]).Tanh().Sigmoid().Relu() * 3.0, [0, 4, 2]);
        Tensor G(Tensor[] v) => Autodiff.Grad(F, v).Select(t => t.Square().Sum()).Aggregate((a, c) => a + c);
        Autodiff.GradCheck(F, [x, w, b]).Passed.Should().BeTrue();
        Autodiff.GradCheck(G, [x, w, b]).Passed.Should().BeTrue();

        Tensor stack = Tensor.RandomNormal([2, 3, 4], seed: 10, dtype: DType.Float64);
        Autodiff.GradCheck(v => (Tensor.MatMul(v[0], v[1]).Square()).Sum(), [stack, w.Reshape(4, 5)]).Passed.Should().BeTrue();
        Autodiff.GradCheck(v => (Tensor.Linear(v[0], v[1], v[2]).Square()).Sum(), [stack, w, b]).Passed.Should().BeTrue();
    }

    [Fact]
    public async Task ATapeThatMovesThreadsAcrossAnAwaitStillGivesCorrectGradients()
    {
        var model = new Sequential(new Dense(64, 300, seed: 1), new ReLU(), new Dense(300, 10, seed: 2));
        float[] Reference()
        {
            model.ZeroGrad();
            using (var tape = Tape.Record())
            {
                tape.Backward(model.Forward(Batch).Square().Mean());
            }

            return model.Parameters[0].Grad!.ToArray<float>();
        }

        float[] expected = Reference();
        for (int i = 0; i < 5; i++)
        {
            model.ZeroGrad();
            using (var tape = Tape.Record())
            {
                Tensor loss = model.Forward(Batch).Square().Mean();
                await Task.Delay(1);
                tape.Backward(loss);
            }

            model.Parameters[0].Grad!.ToArray<float>().Should().Equal(expected);
        }
    }
}

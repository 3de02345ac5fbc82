namespace NeuralNet.Layers.Tests;

using NeuralNet;
using NeuralNet.Layers;
using Xunit.Abstractions;

public class SequentialTests(ITestOutputHelper output)
{
    [Fact]
    public void ForwardChainsTheLayersAndParametersConcatenateInOrder()
    {
        var first = new Dense(2, 3, dtype: DType.Float64, seed: 1);
        var second = new Dense(3, 1, dtype: DType.Float64, seed: 2);
        var model = new Sequential(first, new Tanh(), second);

        model.Parameters.Should().Equal(first.Weight, first.Bias!, second.Weight, second.Bias!);
        Tensor x = TestHelpers.F64([0.5, -1, 2, 0.25], 2, 2);
        model.Forward(x).ShouldEqual(second.Forward(first.Forward(x).Tanh()).ToArray<double>(), 0, shape: [2, 1]);
        model.Layers.Should().HaveCount(3);
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void ADenseFollowedByAReluRunsFusedWithTheValuesAndGradientsOfTheTwoModules(DType dtype)
    {
        // Sequential runs each Dense-then-ReLU pair as one op; module by module, the same network runs unfused.
        Dense[] dense = [new Dense(20, 16, dtype: dtype, seed: 1), new Dense(16, 8, dtype: dtype, seed: 2), new Dense(8, 3, dtype: dtype, seed: 3)];
        var model = new Sequential(dense[0], new ReLU(), dense[1], new ReLU(), dense[2]);
        Tensor x = Tensor.RandomNormal([11, 20], seed: 4, dtype: dtype);
        Tensor Unfused(Tensor input) => dense[2].Forward(dense[1].Forward(dense[0].Forward(input).Relu()).Relu());

        double[] Gradients(Func<Tensor, Tensor> forward)
        {
            model.ZeroGrad();
            using (var tape = Tape.Record())
            {
                tape.Backward(forward(x).Tanh().Sum());
            }

            return [.. model.Parameters.SelectMany(p => p.Grad!.ToArray<double>())];
        }

        model.Forward(x).ToArray<double>().Should().Equal(Unfused(x).ToArray<double>());
        Gradients(model.Forward).Should().Equal(Gradients(Unfused));

        // the fused op ran: a cost report lists the ops actually dispatched
        string[] ops = [.. Autodiff.Cost(model.Forward, x).Rows.Where(row => row.Phase == CostPhase.Function).Select(row => row.Op)];
        ops.Should().Equal("LinearRelu", "LinearRelu", "Linear");
        model.Summary(x).Should().MatchRegex(@"\n1 +ReLU +\[11,16\]", "a summary still runs and sees every module");
    }

    [Fact]
    public void UnderAnomalyDetectionTheDenseOutputIsCheckedBeforeItsRelu()
    {
        // Weights of −10 on inputs of 3e38 overflow the Dense output to −∞, which the ReLU would turn into 0: fused,
        // the anomaly would go unseen, so under DetectAnomalies the pair runs as two ops.
        var dense = new Dense(2, 2, dtype: DType.Float32);
        dense.Weight.Assign(Tensor.Full([2, 2], -10.0, DType.Float32));
        var model = new Sequential(dense, new ReLU());
        Tensor x = Tensor.Full([1, 2], 3e38, DType.Float32);
        using (Autodiff.DetectAnomalies())
        {
            var act = () => model.Forward(x);
            act.Should().Throw<ArithmeticException>().WithMessage("Linear: *");
        }

        model.Forward(x).ToArray<double>().Should().Equal(0, 0);
    }

    [Fact]
    public void ZeroGradClearsEveryLayer()
    {
        var model = new Sequential(new Dense(2, 2, dtype: DType.Float64), new ReLU(), new Dense(2, 1, dtype: DType.Float64, seed: 1));
        using (var tape = Tape.Record())
        {
            tape.Backward(model.Forward(TestHelpers.F64([1, 2], 1, 2)).Sum());
        }

        model.Parameters.Should().OnlyContain(p => p.Grad != null);
        model.ZeroGrad();
        model.Parameters.Should().OnlyContain(p => p.Grad == null);
    }

    [Fact]
    public void ToStringListsTheLayers()
    {
        new Sequential(new Dense(784, 256), new ReLU(), new Dense(256, 10)).ToString().Should().Be(
            "Sequential(\n  (0): Dense(in=784, out=256, bias=true)\n  (1): ReLU()\n  (2): Dense(in=256, out=10, bias=true)\n)");
        new Sequential(new Sequential(new Tanh())).ToString().Should().Be("Sequential(\n  (0): Sequential(\n    (0): Tanh()\n  )\n)");
        new Sequential().ToString().Should().Be("Sequential()");
    }

    [Fact]
    public void AnMlpLearnsXorByPlainGradientDescent()
    {
        // 2-8-1 with tanh, BCE with logits, full-batch gradient descent at η = 0.5 (the update is written here
        // because optimizers live in another project). With these seeds the loss goes from 0.734 to 0.0013 in
        // 2000 steps; the test asserts below 0.01 and that every rounded prediction is right.
        // XOR is not linearly separable: the hidden layer is needed.
        Tensor x = TestHelpers.F64([0, 0, 0, 1, 1, 0, 1, 1], 4, 2);
        Tensor y = TestHelpers.F64([0, 1, 1, 0], 4, 1);
        var model = new Sequential(
            new Dense(2, 8, dtype: DType.Float64, seed: 1), new Tanh(),
            new Dense(8, 1, dtype: DType.Float64, seed: 2));

        double first = double.NaN, loss = double.NaN;
        for (int step = 0; step < 2000; step++)
        {
            using (var tape = Tape.Record())
            {
                Tensor l = Losses.BinaryCrossEntropyWithLogits(model.Forward(x), y);
                tape.Backward(l);
                loss = l.Item();
            }

            first = step == 0 ? loss : first;
            foreach (Parameter p in model.Parameters)
            {
                p.Assign(p - (0.5 * p.Grad!));
                p.ZeroGrad();
            }
        }

        output.WriteLine($"XOR 2-8-1: loss {first} at step 0, {loss} after 2000 steps");
        first.Should().BeGreaterThan(0.6);
        loss.Should().BeLessThan(0.01);
        model.Forward(x).Sigmoid().ToArray<double>().Select(v => Math.Round(v)).Should().Equal(0, 1, 1, 0);
    }
}

namespace NeuralNet.Layers.Tests;

using NeuralNet;
using NeuralNet.Layers;

public class InitializeModelTests
{
    private static Sequential Model() => new(
        new Dense(400, 300, seed: 1), new BatchNorm1d(300), new ReLU(),
        new Sequential(new Dense(300, 200, seed: 2), new Tanh()), new Dense(200, 10, seed: 3));

    [Fact]
    public void XavierUniformReachesEveryDenseWithGlorotsBoundAndZeroBiases()
    {
        Sequential model = Model();
        Initializers.Initialize(model, Initializers.XavierUniform, gain: 1.0, seed: 7);
        Dense[] layers = [.. model.Modules.OfType<Dense>()];
        layers.Should().HaveCount(3, "the nested Sequential's Dense is reached too");
        foreach (Dense dense in layers)
        {
            // Glorot & Bengio 2010: U(−a, a), a = √(6 / (in + out)); variance a²/3.
            double bound = Math.Sqrt(6.0 / (dense.InFeatures + dense.OutFeatures));
            double[] w = dense.Weight.ToArray<double>();
            w.Should().OnlyContain(v => Math.Abs(v) <= bound);
            double variance = w.Select(v => v * v).Average();
            variance.Should().BeApproximately(bound * bound / 3, 0.05 * bound * bound / 3);
            w.Max().Should().BeGreaterThan(0.95 * bound, "the old default bound 1/√in is smaller; the new one is used");
            dense.Bias!.ToArray<double>().Should().OnlyContain(v => v == 0);
        }
    }

    [Fact]
    public void KaimingNormalHasHesStandardDeviation()
    {
        Sequential model = Model();
        Initializers.Initialize(model, Initializers.KaimingNormal, gain: Initializers.ReluGain, seed: 3);
        Dense first = model.Modules.OfType<Dense>().First();

        // He et al. 2015: std = gain / √fan_in = √2 / √400.
        double[] w = first.Weight.ToArray<double>();
        double std = Math.Sqrt(w.Select(v => v * v).Average());
        std.Should().BeApproximately(Math.Sqrt(2.0 / 400), 0.02 * Math.Sqrt(2.0 / 400));
        Math.Abs(w.Average()).Should().BeLessThan(4 * std / Math.Sqrt(w.Length), "mean 0 within 4 standard errors");
    }

    [Fact]
    public void TheSameSeedGivesTheSameWeightsAndNormalisationLayersAreLeftAlone()
    {
        Sequential a = Model(), b = Model();
        BatchNorm1d norm = a.Modules.OfType<BatchNorm1d>().Single();
        double[] gamma = norm.Parameters[0].ToArray<double>();
        double[][] buffers = [.. norm.NamedBuffers.Select(buffer => buffer.Buffer.ToArray<double>())];
        Initializers.Initialize(a, Initializers.XavierNormal, seed: 5).Should().BeSameAs(a);
        Initializers.Initialize(b, Initializers.XavierNormal, seed: 5);

        a.Parameters.Select(p => p.ToArray<double>()).Should().BeEquivalentTo(b.Parameters.Select(p => p.ToArray<double>()), o => o.WithStrictOrdering());
        Dense[] layers = [.. a.Modules.OfType<Dense>()];
        layers[0].Weight.ToArray<double>().Take(20).Should().NotEqual(layers[1].Weight.ToArray<double>().Take(20), "each layer gets its own seed");
        norm.Parameters[0].ToArray<double>().Should().Equal(gamma);
        norm.NamedBuffers.Select(buffer => buffer.Buffer.ToArray<double>()).Should().BeEquivalentTo(buffers, o => o.WithStrictOrdering());
    }

    [Fact]
    public void ConvolutionsAreReinitialisedWithTheirKernelInTheFans()
    {
        var model = new Sequential(
            new Conv2d(3, 16, 5, seed: 1), new ReLU(), new Conv1d(16, 8, 3, seed: 3), new LSTM(8, 4, seed: 5), new Dense(4, 2, seed: 9));
        var lstm = model.Modules.OfType<LSTM>().Single();
        double[] recurrent = lstm.WeightIh.ToArray<double>();
        Initializers.Initialize(model, Initializers.KaimingNormal, gain: Initializers.ReluGain, seed: 11);

        // He et al. 2015 with PyTorch's fans: std = √2 / √fan_in, fan_in = in·kh·kw = 3·5·5 = 75 and 16·3 = 48.
        foreach (var (weight, fanIn) in new[] { (model.Modules.OfType<Conv2d>().Single().Weight, 75), (model.Modules.OfType<Conv1d>().Single().Weight, 48) })
        {
            double[] w = weight.ToArray<double>();
            double std = Math.Sqrt(w.Select(v => v * v).Average());
            std.Should().BeApproximately(Math.Sqrt(2.0 / fanIn), 0.1 * Math.Sqrt(2.0 / fanIn), $"{w.Length} samples");
        }

        model.Modules.OfType<Conv2d>().Single().Bias!.ToArray<double>().Should().OnlyContain(v => v == 0);
        model.Modules.OfType<Conv1d>().Single().Bias!.ToArray<double>().Should().OnlyContain(v => v == 0);
        lstm.WeightIh.ToArray<double>().Should().Equal(recurrent, "recurrent layers keep their own initialisation");
    }

    [Fact]
    public void ApplyVisitsEveryModuleOnceChildrenFirst()
    {
        var inner = new Sequential(new Dense(2, 2, seed: 1), new Tanh());
        var model = new Sequential(new Dense(2, 2, seed: 2), inner, new ReLU());
        var order = new List<string>();
        model.Apply(m => order.Add(m.GetType().Name)).Should().BeSameAs(model);
        order.Should().Equal("Dense", "Dense", "Tanh", "Sequential", "ReLU", "Sequential");
    }
}

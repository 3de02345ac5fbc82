namespace NeuralNet.Layers.Tests;

using System.Text.RegularExpressions;
using NeuralNet;
using NeuralNet.Layers;

public class ModuleSummaryTests
{
    private static Sequential Mnist() => new(
        new Dense(784, 256, seed: 1), new ReLU(),
        new Dense(256, 128, seed: 2), new ReLU(),
        new Dense(128, 10, seed: 3));

    /// <summary>The cells of each table row (cells are separated by at least two spaces).</summary>
    private static string[][] Rows(string summary) =>
        [.. summary.Split('\n').Skip(2).TakeWhile(line => !line.StartsWith('=')).Select(line => Regex.Split(line, " {2,}"))];

    private static string[] Totals(string summary) => summary.Split('\n')[^3..];

    [Fact]
    public void TheMnistNetworkHas235146Parameters()
    {
        // 784·256 + 256 = 200,960; 256·128 + 128 = 32,896; 128·10 + 10 = 1,290; in all 235,146.
        string summary = Mnist().Summary(Tensor.Zeros([1, 784]));

        Rows(summary).Should().BeEquivalentTo(
            new[]
            {
                new[] { "(root)", "Sequential", "[1,10]", "0" },
                ["0", "Dense", "[1,256]", "200,960"],
                ["1", "ReLU", "[1,256]", "0"],
                ["2", "Dense", "[1,128]", "32,896"],
                ["3", "ReLU", "[1,128]", "0"],
                ["4", "Dense", "[1,10]", "1,290"],
            },
            o => o.WithStrictOrdering());
        Totals(summary).Should().Equal("Total params: 235,146", "Trainable params: 235,146", "Non-trainable params: 0");
    }

    [Fact]
    public void TheTableIsAlignedInColumns()
    {
        // Widths: "(root)" 6, "Sequential" 10, "Output shape" 12, "Params" 6; three spaces between; 43 in all.
        string summary = new Sequential(new Dense(2, 3), new ReLU()).Summary(Tensor.Zeros([4, 2]));
        summary.Should().Be(
            "Layer    Type         Output shape   Params\n" +
            "===========================================\n" +
            "(root)   Sequential   [4,3]               0\n" +
            "0        Dense        [4,3]               9\n" +
            "1        ReLU         [4,3]               0\n" +
            "===========================================\n" +
            "Total params: 9\n" +
            "Trainable params: 9\n" +
            "Non-trainable params: 0");
    }

    [Fact]
    public void ParametersThatDoNotRequireGradAreNonTrainable()
    {
        Sequential model = Mnist();
        ((Dense)model.Layers[0]).Weight.RequiresGrad = false;

        // The frozen weight is 784·256 = 200,704; the rest is 235,146 − 200,704 = 34,442.
        Totals(model.Summary(Tensor.Zeros([1, 784]))).Should().Equal(
            "Total params: 235,146", "Trainable params: 34,442", "Non-trainable params: 200,704");
    }

    /// <summary>Runs its child twice, on inputs of different widths, and records whether its output was tracked.</summary>
    private sealed class Probe : Module
    {
        private readonly Dense _dense;
        private readonly ReLU _shared;
        private readonly Tanh _direct;

        public Probe()
        {
            _dense = RegisterModule("dense", new Dense(3, 2, dtype: DType.Float64));
            _shared = RegisterModule("shared", new ReLU());
            _direct = RegisterModule("direct", new Tanh());
        }

        public bool? OutputTracked { get; private set; }

        public override Tensor Forward(Tensor input)
        {
            Tensor y = _dense.Call(input);
            OutputTracked = y.IsTracked;
            _shared.Call(input);
            return _direct.Forward(_shared.Call(y));
        }
    }

    [Fact]
    public void TheSamplePassRunsWithoutGradientsAndShowsSharedAndUnseenModules()
    {
        var probe = new Probe();
        string summary;
        using (Tape.Record())
        {
            summary = probe.Summary(TestHelpers.F64([1, 2, 3], 1, 3));
        }

        probe.OutputTracked.Should().BeFalse("the sample pass records nothing, even inside a tape");
        Rows(summary).Should().BeEquivalentTo(
            new[]
            {
                new[] { "(root)", "Probe", "[1,2]", "0" },
                ["dense", "Dense", "[1,2]", "8"],
                ["shared", "ReLU", "multiple", "0"],
                ["direct", "Tanh", "?", "0"],
            },
            o => o.WithStrictOrdering());
    }

    [Fact]
    public void ATiedParameterIsCountedOnce()
    {
        var shared = new Dense(4, 4, seed: 1);
        string summary = new Sequential(shared, new ReLU(), shared).Summary(Tensor.Zeros([1, 4]));

        // One Dense(4, 4): 16 + 4 = 20, listed once at its first index.
        Rows(summary).Select(row => row[0]).Should().Equal("(root)", "0", "1");
        Totals(summary)[0].Should().Be("Total params: 20");
    }

    [Fact]
    public void AnInputTheModelRefusesThrowsTheLayersError()
    {
        var act = () => Mnist().Summary(Tensor.Zeros([1, 5]));
        act.Should().Throw<ArgumentException>().WithMessage("Dense(in=784, out=256, bias=true): input [1,5] does not end in 784 features*");
    }
}

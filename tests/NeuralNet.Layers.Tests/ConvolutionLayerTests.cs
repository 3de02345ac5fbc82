namespace NeuralNet.Layers.Tests;

using System.Text.RegularExpressions;
using NeuralNet;
using NeuralNet.Layers;

/// <summary>Conv2d, Conv1d, MaxPool2d and AvgPool2d as modules: shapes, PyTorch's initialisation, names, checks and the summary.</summary>
public class ConvolutionLayerTests
{
    [Fact]
    public void OutputShapesFollowPyTorchsFormula()
    {
        // outH = ⌊(H + 2p − d(k − 1) − 1) / s⌋ + 1: (28 + 2 − 2 − 1) / 1 + 1 = 28; (28 − 2 − 1) / 2 + 1 = 13;
        // (9 + 4 − 6 − 1) / 2 + 1 = 4 with k 4 dilated 2, and along the width (9 + 0 − 2 − 1) / 1 + 1 = 7 with k 3.
        new Conv2d(3, 8, 3, padding: 1).Forward(Tensor.Zeros([2, 3, 28, 28])).Shape.Should().Be(new Shape(2, 8, 28, 28));
        new Conv2d(3, 8, 3, stride: 2).Forward(Tensor.Zeros([2, 3, 28, 28])).Shape.Should().Be(new Shape(2, 8, 13, 13));
        new Conv2d(1, 2, (4, 3), stride: (2, 1), padding: (2, 0), dilation: (2, 1)).Forward(Tensor.Zeros([1, 1, 9, 9])).Shape
            .Should().Be(new Shape(1, 2, 4, 7));
        new Conv1d(4, 6, 5, stride: 2, padding: 2).Forward(Tensor.Zeros([3, 4, 20])).Shape.Should().Be(new Shape(3, 6, 10));
        new MaxPool2d(2).Forward(Tensor.Zeros([2, 8, 28, 28])).Shape.Should().Be(new Shape(2, 8, 14, 14));
        new MaxPool2d(3, stride: 2, padding: 1).Forward(Tensor.Zeros([1, 1, 7, 7])).Shape.Should().Be(new Shape(1, 1, 4, 4));
        new AvgPool2d((2, 3)).Forward(Tensor.Zeros([1, 2, 6, 7])).Shape.Should().Be(new Shape(1, 2, 3, 2));
    }

    [Fact]
    public void DefaultInitIsPyTorchsUniformWithinOneOverSqrtFanIn()
    {
        // fan_in = in·kh·kw = 16·5·5 = 400: U(−1/20, 1/20) for the weight and the bias.
        var conv = new Conv2d(16, 64, 5, seed: 7);
        double bound = 1.0 / 20;
        float[] w = conv.Weight.ToArray<float>();
        w.Should().OnlyContain(v => Math.Abs(v) <= bound);
        conv.Bias!.ToArray<float>().Should().OnlyContain(v => Math.Abs(v) <= bound);

        // U(−a, a) has variance a²/3; with 25,600 samples the sample variance's relative standard error is √(0.8/n) ≈ 0.0056,
        // so 5% is a 9-sigma bound.
        double variance = w.Select(v => (double)v * v).Average();
        variance.Should().BeApproximately(bound * bound / 3, 0.05 * bound * bound / 3);
        w.Max().Should().BeGreaterThan((float)(0.99 * bound));
        w.Min().Should().BeLessThan((float)(-0.99 * bound));

        // Conv1d: fan_in = 3·4 = 12.
        var conv1 = new Conv1d(3, 200, 4, seed: 2, dtype: DType.Float64);
        double bound1 = 1.0 / Math.Sqrt(12);
        double[] w1 = conv1.Weight.ToArray<double>();
        w1.Should().OnlyContain(v => Math.Abs(v) <= bound1);
        w1.Max().Should().BeGreaterThan(0.99 * bound1);
        conv1.Bias!.ToArray<double>().Should().OnlyContain(v => Math.Abs(v) <= bound1);
    }

    [Fact]
    public void InitIsReproducibleForASeedAndTheBiasUsesTheNextSeed()
    {
        new Conv2d(2, 3, 2, seed: 3).Weight.ToArray<float>().Should().Equal(new Conv2d(2, 3, 2, seed: 3).Weight.ToArray<float>());
        new Conv2d(2, 3, 2, seed: 3).Weight.ToArray<float>().Should().NotEqual(new Conv2d(2, 3, 2, seed: 4).Weight.ToArray<float>());

        // Same bound (fan_in 8) and seed + 1: the bias is the first 3 draws of a weight seeded one higher.
        new Conv2d(2, 3, 2, seed: 3).Bias!.ToArray<float>().Should().Equal(new Conv2d(2, 3, 2, seed: 4).Weight.ToArray<float>().Take(3));
    }

    [Fact]
    public void ParametersAreNamedAsPyTorchsAndShapedOutInKernel()
    {
        var conv = new Conv2d(3, 8, (3, 2));
        conv.NamedParameters.Select(p => p.Name).Should().Equal("weight", "bias");
        conv.Weight.Shape.Should().Be(new Shape(8, 3, 3, 2));
        conv.Bias!.Shape.Should().Be(new Shape(8));
        new Conv2d(3, 8, 3, bias: false).NamedParameters.Select(p => p.Name).Should().Equal("weight");
        new Conv1d(3, 8, 5).Weight.Shape.Should().Be(new Shape(8, 3, 5));
        new MaxPool2d(2).Parameters.Should().BeEmpty();
        new AvgPool2d(2).Parameters.Should().BeEmpty();
    }

    [Fact]
    public void ForwardIsTheFunctionalOpWithTheLayersParameters()
    {
        var conv = new Conv2d(2, 3, 3, stride: 2, padding: 1, dtype: DType.Float64, seed: 5);
        Tensor x = Tensor.RandomNormal([2, 2, 5, 5], seed: 1, dtype: DType.Float64);
        conv.Forward(x).ToArray<double>().Should().Equal(Tensor.Conv2d(x, conv.Weight, conv.Bias, stride: 2, padding: 1).ToArray<double>());

        var pool = new MaxPool2d((2, 3), stride: 1, dilation: (2, 1));
        pool.Forward(x).ToArray<double>().Should().Equal(Tensor.MaxPool2d(x, (2, 3), stride: 1, dilation: (2, 1)).ToArray<double>());
    }

    [Fact]
    public void ErrorsNameTheLayerAndShapes()
    {
        var conv = new Conv2d(3, 2, 3);
        FluentActions.Invoking(() => conv.Forward(Tensor.Zeros([1, 4, 5, 5])))
            .Should().Throw<ArgumentException>().WithMessage("Conv2d(in=3, out=2, kernel=(3, 3)*input [1,4,5,5]*[N, 3, H, W]*[2,3,3,3]*");
        FluentActions.Invoking(() => conv.Forward(Tensor.Zeros([1, 3, 5, 5], DType.Float64)))
            .Should().Throw<ArgumentException>().WithMessage("Conv2d(*Float64*Float32*");
        FluentActions.Invoking(() => new Conv1d(3, 2, 3).Forward(Tensor.Zeros([1, 3, 5, 5])))
            .Should().Throw<ArgumentException>().WithMessage("Conv1d(in=3*input [1,3,5,5]*[N, 3, L]*");
        FluentActions.Invoking(() => new Conv2d(0, 2, 3)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => new Conv2d(1, 2, (3, 0))).Should().Throw<ArgumentOutOfRangeException>().WithMessage("Conv2d: kernelSize (3, 0)*");
        FluentActions.Invoking(() => new Conv2d(1, 2, 3, stride: 0)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("Conv2d: stride (0, 0)*");
        FluentActions.Invoking(() => new Conv2d(1, 2, 3, padding: -1)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("Conv2d: padding (-1, -1)*");
        FluentActions.Invoking(() => new Conv1d(1, 2, 3, dilation: 0)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => new MaxPool2d(2, padding: 2)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("MaxPool2d: padding (2, 2)*half*(2, 2)*");
        FluentActions.Invoking(() => new AvgPool2d(3, stride: (1, -1))).Should().Throw<ArgumentOutOfRangeException>().WithMessage("AvgPool2d: stride (1, -1)*");
        FluentActions.Invoking(() => new MaxPool2d(3).Forward(Tensor.Zeros([1, 1, 2, 2])))
            .Should().Throw<ArgumentException>().WithMessage("MaxPool2d: kernel (3, 3)*[1,1,2,2]*");
    }

    [Fact]
    public void ToStringShowsTheConfiguration()
    {
        new Conv2d(3, 16, 3).ToString().Should().Be("Conv2d(in=3, out=16, kernel=(3, 3), stride=(1, 1), padding=(0, 0), dilation=(1, 1), bias=true)");
        new Conv1d(3, 16, 5, stride: 2, bias: false).ToString().Should().Be("Conv1d(in=3, out=16, kernel=5, stride=2, padding=0, dilation=1, bias=false)");
        new MaxPool2d(2).ToString().Should().Be("MaxPool2d(kernel=(2, 2), stride=(2, 2), padding=(0, 0), dilation=(1, 1))");
        new AvgPool2d((3, 2), stride: 1, padding: 1).ToString().Should().Be("AvgPool2d(kernel=(3, 2), stride=(1, 1), padding=(1, 1))");
    }

    [Fact]
    public void TheSummaryListsEachLayersOutputShapeAndParameters()
    {
        // Conv2d(1→4, 3×3): 4·1·3·3 + 4 = 40 parameters, 6×6 → 4×4; pooling halves it to 2×2; Dense(16→2): 16·2 + 2 = 34.
        var model = new Sequential(new Conv2d(1, 4, 3, seed: 1), new ReLU(), new MaxPool2d(2), new Flatten(), new Dense(16, 2, seed: 2));
        string summary = model.Summary(Tensor.Zeros([1, 1, 6, 6]));

        string[][] rows = [.. summary.Split('\n').Skip(2).TakeWhile(line => !line.StartsWith('=')).Select(line => Regex.Split(line, " {2,}"))];
        rows.Should().BeEquivalentTo(
            new[]
            {
                new[] { "(root)", "Sequential", "[1,2]", "0" },
                ["0", "Conv2d", "[1,4,4,4]", "40"],
                ["1", "ReLU", "[1,4,4,4]", "0"],
                ["2", "MaxPool2d", "[1,4,2,2]", "0"],
                ["3", "Flatten", "[1,16]", "0"],
                ["4", "Dense", "[1,2]", "34"],
            },
            o => o.WithStrictOrdering());
        summary.Split('\n')[^3..].Should().Equal("Total params: 74", "Trainable params: 74", "Non-trainable params: 0");
    }
}

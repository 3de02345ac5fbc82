namespace NeuralNet.Onnx.Tests;

using NeuralNet;
using NeuralNet.Layers;
using Tensor = NeuralNet.Tensor;

/// <summary>Convolution and pooling layers exported as ONNX Conv, MaxPool and AveragePool give the library's outputs,
/// over strides, paddings, dilations and non-square kernels, on batches of two sizes.</summary>
public sealed class WindowLayerExportTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("onnx-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(3, 3, 1, 1, 0, 0, 1, 1, true)]
    [InlineData(3, 3, 2, 2, 1, 1, 1, 1, true)]
    [InlineData(2, 3, 2, 1, 1, 0, 1, 2, true)]
    [InlineData(3, 1, 1, 3, 2, 1, 2, 1, false)]
    [InlineData(1, 1, 1, 1, 0, 0, 1, 1, false)]
    public void Conv2dAgrees(int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw, bool bias) =>
        Agree(new Conv2d(3, 4, (kh, kw), (sh, sw), (ph, pw), (dh, dw), bias, seed: 1), 3, 9, 8);

    [Theory]
    [InlineData(3, 1, 0, 1, true)]
    [InlineData(4, 2, 1, 1, true)]
    [InlineData(3, 3, 2, 2, false)]
    public void Conv1dAgrees(int kernel, int stride, int padding, int dilation, bool bias)
    {
        var layer = new Conv1d(3, 4, kernel, stride, padding, dilation, bias, seed: 1);
        OnnxAgreement.Check(
            layer,
            Path.Combine(_dir, "conv1d.onnx"),
            Tensor.RandomNormal([2, 3, 11], seed: 7),
            Tensor.RandomNormal([1, 3, 11], seed: 8),
            Tensor.RandomNormal([5, 3, 11], seed: 9));
    }

    [Theory]
    [InlineData(2, 2, 2, 2, 0, 0, 1, 1)]
    [InlineData(3, 3, 1, 1, 1, 1, 1, 1)]
    [InlineData(3, 2, 2, 1, 1, 1, 1, 1)]
    [InlineData(2, 3, 1, 2, 1, 0, 2, 2)]
    public void MaxPool2dAgrees(int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw) =>
        Agree(new MaxPool2d((kh, kw), (sh, sw), (ph, pw), (dh, dw)), 3, 9, 8);

    // Conv and AveragePool are left out: ONNX Runtime 1.32 has no Float64 kernel for them.
    [Fact]
    public void MaxPool2dAgreesInFloat64() =>
        OnnxAgreement.Check(
            new MaxPool2d((3, 2), (2, 1), (1, 1), (1, 2)),
            Path.Combine(_dir, "pool64.onnx"),
            Tensor.RandomNormal([2, 3, 9, 8], seed: 7, dtype: DType.Float64),
            Tensor.RandomNormal([1, 3, 9, 8], seed: 8, dtype: DType.Float64),
            Tensor.RandomNormal([4, 3, 9, 8], seed: 9, dtype: DType.Float64));

    [Theory]
    [InlineData(2, 2, 2, 2, 0, 0)]
    [InlineData(3, 3, 1, 1, 1, 1)]
    [InlineData(3, 2, 2, 1, 1, 1)]
    [InlineData(2, 4, 1, 3, 0, 2)]
    public void AvgPool2dAgrees(int kh, int kw, int sh, int sw, int ph, int pw) =>
        Agree(new AvgPool2d((kh, kw), (sh, sw), (ph, pw)), 3, 9, 8);

    [Fact]
    public void ASmallCnnAgrees()
    {
        var model = new Sequential(
            new Conv2d(1, 4, 3, padding: 1, seed: 1),
            new ReLU(),
            new MaxPool2d(2),
            new Conv2d(4, 6, (3, 2), stride: (1, 2), seed: 3),
            new AvgPool2d(2, padding: 1),
            new Flatten(),
            new Dense(6 * 3 * 2, 5, seed: 5));
        Agree(model, 1, 12, 10);
    }

    [Fact]
    public void ACnnOnRowsOfPixelsAgreesForAnyBatch()
    {
        // MNIST's form: rows of pixels [N, 48] made images [N, 1, 6, 8] by Unflatten, exported as a Reshape that copies
        // the batch axis, so batches of 1 and 5 run in the graph exported from a batch of 3.
        var model = new Sequential(
            new Unflatten(1, [1, 6, 8]),
            new Conv2d(1, 3, 3, seed: 1), new ReLU(), new MaxPool2d(2),
            new Flatten(), new Dense(3 * 2 * 3, 4, seed: 3));
        OnnxAgreement.Check(
            model,
            Path.Combine(_dir, "model.onnx"),
            Tensor.RandomNormal([3, 48], seed: 7),
            Tensor.RandomNormal([1, 48], seed: 8),
            Tensor.RandomNormal([5, 48], seed: 9));
    }

    [Fact]
    public void UnflatteningTheBatchAxisIsRefused()
    {
        var model = new Sequential(new Unflatten(0, [2, 3]), new Flatten());
        var export = () => model.ExportOnnx(Path.Combine(_dir, "model.onnx"), Tensor.Zeros([6, 4]));
        export.Should().Throw<NotSupportedException>().WithMessage("*Unflatten*batch axis*");
    }

    private void Agree(Module model, int channels, int height, int width) =>
        OnnxAgreement.Check(
            model,
            Path.Combine(_dir, "model.onnx"),
            Tensor.RandomNormal([2, channels, height, width], seed: 7),
            Tensor.RandomNormal([1, channels, height, width], seed: 8),
            Tensor.RandomNormal([4, channels, height, width], seed: 9));
}

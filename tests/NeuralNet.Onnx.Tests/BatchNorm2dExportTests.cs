namespace NeuralNet.Onnx.Tests;

using NeuralNet;
using NeuralNet.Layers;
using NeuralNet.Onnx;
using Tensor = NeuralNet.Tensor;

/// <summary>BatchNorm2d exported as ONNX BatchNormalization with its running statistics gives the library's
/// evaluation-mode outputs, alone and in a CNN, on batches of two sizes.</summary>
public sealed class BatchNorm2dExportTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("onnx-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(DType.Float32, true)]
    [InlineData(DType.Float32, false)]
    [InlineData(DType.Float64, true)]
    public void BatchNorm2dAloneAgrees(DType dtype, bool affine)
    {
        var norm = new BatchNorm2d(3, affine: affine, dtype: dtype);
        if (affine)
        {
            norm.Weight!.Assign(Tensor.RandomNormal([3], seed: 1, mean: 1.0, dtype: dtype));
            norm.Bias!.Assign(Tensor.RandomNormal([3], seed: 2, dtype: dtype));
        }

        Warm(norm, [3, 6, 5], dtype);
        Agree(norm, [3, 6, 5], dtype);
    }

    [Fact]
    public void ACnnWithBatchNorm2dAgrees()
    {
        // [N,1,12,10] → conv 3×3 padding 1 → batch norm → ReLU → max pool 2 → [N,4,6,5] → conv (3,2) stride (1,2)
        // → [N,6,4,2] → batch norm → ReLU → [N,48] → [N,5].
        var model = new Sequential(
            new Conv2d(1, 4, 3, padding: 1, seed: 1), new BatchNorm2d(4), new ReLU(),
            new MaxPool2d(2),
            new Conv2d(4, 6, (3, 2), stride: (1, 2), seed: 3), new BatchNorm2d(6, momentum: 0.5), new ReLU(),
            new Flatten(),
            new Dense(6 * 4 * 2, 5, seed: 5));
        Warm(model, [1, 12, 10], DType.Float32);
        model.Modules.OfType<BatchNorm2d>().Should().OnlyContain(n => n.NumBatchesTracked!.Item() == 5);
        Agree(model, [1, 12, 10], DType.Float32);
    }

    [Fact]
    public void BatchNorm2dWithoutRunningStatisticsIsRefused()
    {
        var model = new Sequential(new Conv2d(1, 2, 3, seed: 1), new BatchNorm2d(2, trackRunningStats: false));
        var export = () => model.ExportOnnx(Path.Combine(_dir, "model.onnx"), Tensor.Zeros([2, 1, 5, 5]));
        export.Should().Throw<NotSupportedException>()
            .WithMessage("*module '1' (BatchNorm2d) cannot be exported: exported in evaluation form with running statistics, for [batch, channels, height, width] inputs*");
    }

    // A few training-mode passes so the running statistics are not the initial 0 and 1.
    private static void Warm(Module model, int[] image, DType dtype)
    {
        model.Train();
        for (int i = 0; i < 5; i++)
        {
            model.Forward(Tensor.RandomNormal([8, .. image], seed: 100 + i, mean: 1.5, std: 2.0, dtype: dtype));
        }
    }

    private void Agree(Module model, int[] image, DType dtype) =>
        OnnxAgreement.Check(
            model,
            Path.Combine(_dir, "model.onnx"),
            Tensor.RandomNormal([2, .. image], seed: 7, dtype: dtype),
            Tensor.RandomNormal([1, .. image], seed: 8, dtype: dtype),
            Tensor.RandomNormal([4, .. image], seed: 9, dtype: dtype));
}

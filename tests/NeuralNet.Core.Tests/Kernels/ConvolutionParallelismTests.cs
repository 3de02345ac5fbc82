namespace NeuralNet.Tests.Kernels;

using NeuralNet;

/// <summary>A convolution large enough to split over threads (images for the product and unfold, rows of the weight
/// gradient) gives the one-thread values and gradients bit for bit. Alone (Serial): a kernel another test ran at the
/// same time would hold the worker threads, and every part would run inline on one thread.</summary>
[Collection(SerialCollection.Name)]
public class ConvolutionParallelismTests
{
    [Theory]
    [InlineData(0, 1, 1, DType.Float32)]
    [InlineData(1, 1, 1, DType.Float32)]
    [InlineData(1, 2, 1, DType.Float32)]
    [InlineData(2, 1, 2, DType.Float64)]
    public void ASplitConvolutionStepIsBitIdenticalToOneThread(int padding, int stride, int dilation, DType dtype)
    {
        Tensor x = Tensor.RandomNormal([9, 12, 14, 13], seed: 1, dtype: dtype), w = Tensor.RandomNormal([20, 12, 3, 3], seed: 2, dtype: dtype);
        Tensor b = Tensor.RandomNormal([20], seed: 3, dtype: dtype);
        var geometry = (padding, stride, dilation);
        int saved = Parallelism.ThreadCount;
        try
        {
            Parallelism.ThreadCount = 1;
            double[][] one = Step(x, w, b, geometry);
            Parallelism.ThreadCount = 3;
            double[][] three = Step(x, w, b, geometry);
            for (int i = 0; i < one.Length; i++)
            {
                three[i].Should().Equal(one[i]);
            }
        }
        finally
        {
            Parallelism.ThreadCount = saved;
        }
    }

    /// <summary>The output of a convolution and pooling, and the gradients of its input, weight and bias.</summary>
    [Theory]
    [InlineData(2, 2, 0, DType.Float32)]
    [InlineData(3, 2, 1, DType.Float32)]
    [InlineData(2, 2, 0, DType.Float64)]
    public void AMaxPoolSplitOverPlanesIsBitIdenticalToOneThread(int kernel, int stride, int padding, DType dtype)
    {
        // 8 × 16 planes of 32 × 32 (131,072 elements): large enough to split; its value, gradient (a scatter-add whose
        // overlapping windows add in the one-thread order) and tangent (a gather).
        Tensor x = Tensor.RandomNormal([8, 16, 32, 32], seed: 4, dtype: dtype);
        Tensor weights = Tensor.RandomNormal(Tensor.MaxPool2d(x, kernel, stride, padding).Shape, seed: 5, dtype: dtype);
        double[][] Pool()
        {
            Tensor Weighted(Tensor t) => (Tensor.MaxPool2d(t, kernel, stride, padding) * weights).Sum();
            var (_, tangent) = Autodiff.Jvp(Weighted, x, x);
            return [Tensor.MaxPool2d(x, kernel, stride, padding).ToArray<double>(), Autodiff.Grad(Weighted, x).ToArray<double>(), tangent.ToArray<double>()];
        }

        int saved = Parallelism.ThreadCount;
        try
        {
            Parallelism.ThreadCount = 1;
            double[][] one = Pool();
            Parallelism.ThreadCount = 3;
            double[][] three = Pool();
            for (int i = 0; i < one.Length; i++)
            {
                three[i].Should().Equal(one[i]);
            }
        }
        finally
        {
            Parallelism.ThreadCount = saved;
        }
    }

    // Widened to double for the comparison, which keeps every float32 bit.
    private static double[][] Step(Tensor x, Tensor w, Tensor b, (int Padding, int Stride, int Dilation) g)
    {
        Tensor Convolve(Tensor input, Tensor weight, Tensor bias) => Tensor.Conv2d(input, weight, bias, g.Stride, g.Padding, g.Dilation);
        (Tensor dx, Tensor dw, Tensor db) = Autodiff.Grad(
            (input, weight, bias) => Tensor.MaxPool2d(Convolve(input, weight, bias).Relu(), 2).Pow(2).Sum(), x, w, b);
        return [Convolve(x, w, b).ToArray<double>(), dx.ToArray<double>(), dw.ToArray<double>(), db.ToArray<double>()];
    }
}

namespace NeuralNet.Tests.Kernels;

using NeuralNet;

/// <summary>A convolution large enough to split over threads (images for the product and unfold, rows of the weight
/// gradient) gives the one-thread values and gradients bit for bit.</summary>
[Collection(nameof(ParallelismTests))]
public class ConvolutionParallelismTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void ASplitConvolutionStepIsBitIdenticalToOneThread(int padding)
    {
        Tensor x = Tensor.RandomNormal([9, 12, 14, 13], seed: 1), w = Tensor.RandomNormal([20, 12, 3, 3], seed: 2);
        Tensor b = Tensor.RandomNormal([20], seed: 3);
        int saved = Parallelism.ThreadCount;
        try
        {
            Parallelism.ThreadCount = 1;
            float[][] one = Step(x, w, b, padding);
            Parallelism.ThreadCount = 3;
            float[][] three = Step(x, w, b, padding);
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
    private static float[][] Step(Tensor x, Tensor w, Tensor b, int padding)
    {
        (Tensor dx, Tensor dw, Tensor db) = Autodiff.Grad(
            (input, weight, bias) => Tensor.MaxPool2d(Tensor.Conv2d(input, weight, bias, padding: padding).Relu(), 2).Pow(2).Sum(), x, w, b);
        return [Tensor.Conv2d(x, w, b, padding: padding).ToArray<float>(), dx.ToArray<float>(), dw.ToArray<float>(), db.ToArray<float>()];
    }
}

namespace NeuralNet.Tests.Tensors;

using NeuralNet;

/// <summary>
/// <see cref="Tensor.Dispose"/>: a result made outside a training step gives its pooled buffer back, and every later
/// read of it, or of a view sharing the buffer, throws instead of showing the next result's values.
/// </summary>
[Collection(SerialCollection.Name)]
public class DisposeTests
{
    // 64 × 64 floats: 16 KB, pooled.
    private static readonly Tensor A = Tensor.RandomNormal([64, 64], seed: 1);
    private static readonly Tensor B = Tensor.RandomNormal([64, 64], seed: 2);

    [Fact]
    public void ADisposedResultAndItsViewsThrowOnRead()
    {
        Tensor product = A.MatMul(B);
        Tensor view = product.Reshape(4096);
        Tensor detached = product.Detach();
        product.Dispose();

        foreach (Tensor stale in new[] { product, view, detached })
        {
            var read = () => stale.ToArray<float>();
            read.Should().Throw<ObjectDisposedException>().WithMessage("*disposed*");
        }
    }

    [Fact]
    public void ABufferGivenBackIsReusedAndTheNextResultIsRight()
    {
        float[] expected = A.MatMul(B).ToArray<float>();
        for (int i = 0; i < 3; i++)
        {
            using Tensor product = A.MatMul(B);
            product.ToArray<float>().Should().Equal(expected);
        }

        // Deterministic bytes, not time: after the warm-up a disposed 16 KB product per call leaves only objects.
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            using Tensor product = A.MatMul(B);
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().BeLessThan(100 * 1024, "the 16 KB buffer is reused");
    }

    [Fact]
    public void DisposingTwiceOrASmallTensorIsSafe()
    {
        Tensor small = Tensor.FromArray([1f, 2f, 3f]);
        small.Dispose();
        small.Dispose();
        var read = () => small.ToArray<float>();
        read.Should().Throw<ObjectDisposedException>();
    }

    [Fact]
    public void DisposingAParameterDoesNothingAndAViewOfItOnlyLosesItself()
    {
        var p = new Parameter(A, "w");
        Tensor view = p.Detach();
        view.Dispose();
        p.Dispose();

        p.ToArray<float>().Should().Equal(A.ToArray<float>());
        var read = () => view.ToArray<float>();
        read.Should().Throw<ObjectDisposedException>();
    }

    [Fact]
    public void DisposingAValueATapeSavedMakesItsBackwardPassThrow()
    {
        var w = new Parameter(B, "w");
        using var tape = Tape.Record();
        Tensor hidden = A.MatMul(w);
        Tensor loss = (hidden * hidden).Sum();
        hidden.Dispose();

        var backward = () => tape.Backward(loss);
        backward.Should().Throw<ObjectDisposedException>();
    }
}

namespace NeuralNet.Data;

/// <summary>The MNIST handwritten digits (LeCun, Cortes and Burges): 60,000 training and 10,000 test images of 28×28.</summary>
public static class Mnist
{
    /// <summary>
    /// Loads the four standard files (<c>train-images-idx3-ubyte.gz</c> and its siblings) from
    /// <paramref name="directory"/>: images as [n, 784] Float32 scaled to [0, 1], labels 0–9.
    /// </summary>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    /// <exception cref="InvalidDataException">A file is corrupt, or images and labels disagree in count.</exception>
    public static (Dataset Train, Dataset Test) Load(string directory) =>
        (Read(directory, "train"), Read(directory, "t10k"));

    private static Dataset Read(string directory, string prefix)
    {
        var (imageDims, pixels) = Idx.ReadBytes(Path.Combine(directory, $"{prefix}-images-idx3-ubyte.gz"));
        var (labelDims, labels) = Idx.ReadBytes(Path.Combine(directory, $"{prefix}-labels-idx1-ubyte.gz"));
        if (imageDims.Length != 3 || labelDims.Length != 1 || imageDims[0] != labelDims[0])
        {
            throw new InvalidDataException(
                $"Mnist: {prefix} images [{string.Join(",", imageDims)}] and labels [{string.Join(",", labelDims)}] do not match.");
        }

        int features = imageDims[1] * imageDims[2];
        var values = new float[pixels.Length];
        for (int i = 0; i < pixels.Length; i++)
        {
            values[i] = pixels[i] / 255f;
        }

        return new Dataset(Tensor.FromArray(values, imageDims[0], features), [.. labels.Select(b => (int)b)]);
    }
}

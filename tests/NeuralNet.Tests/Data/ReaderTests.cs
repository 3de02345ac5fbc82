namespace NeuralNet.Tests.Data;

using System.IO.Compression;
using NeuralNet;
using NeuralNet.Data;

public class ReaderTests
{
    [Fact]
    public void MnistLoadsSixtyThousandTrainingAndTenThousandTestImages()
    {
        var (train, test) = Mnist.Load(RepositoryData.Directory("mnist"));
        train.Inputs.Shape.Should().Be(new Shape(60000, 784));
        test.Inputs.Shape.Should().Be(new Shape(10000, 784));
        train.Inputs.DType.Should().Be(DType.Float32);
        train.Classes.Should().Be(10);

        // The first training label of MNIST is 5, the first test label 7 (LeCun's files).
        train.Labels[0].Should().Be(5);
        test.Labels[0].Should().Be(7);
        float[] pixels = train.Inputs.Slice(0, 0, 1).ToArray<float>();
        pixels.Min().Should().Be(0);
        pixels.Max().Should().Be(1);
    }

    [Fact]
    public void SklearnCsvReadsIrisWithItsHeaderAndDigitsWithout()
    {
        string dir = RepositoryData.Directory("sklearn");
        Dataset iris = SklearnCsv.Load(Path.Combine(dir, "iris.csv"));
        iris.Inputs.Shape.Should().Be(new Shape(150, 4));
        iris.Classes.Should().Be(3);
        iris.Inputs.Slice(0, 0, 1).ToArray<double>().Should().Equal(5.1, 3.5, 1.4, 0.2);

        Dataset digits = SklearnCsv.Load(Path.Combine(dir, "digits.csv.gz"), DType.Float32);
        digits.Inputs.Shape.Should().Be(new Shape(1797, 64));
        digits.Classes.Should().Be(10);
    }

    [Fact]
    public void IdxRefusesOtherTypesAndTruncatedFiles()
    {
        string path = Path.Combine(Path.GetTempPath(), $"idx-{Guid.NewGuid():N}.gz");
        try
        {
            Write(path, [0, 0, 0x0D, 1, 0, 0, 0, 2]);
            var act = () => Idx.ReadBytes(path);
            act.Should().Throw<InvalidDataException>().WithMessage("*not an unsigned-byte IDX file*");

            Write(path, [0, 0, 8, 1, 0, 0, 0, 5, 1, 2]);
            act.Should().Throw<InvalidDataException>().WithMessage("*truncated in its values*");

            Write(path, [0, 0, 8, 2, 0, 0, 0, 1, 0, 0, 0, 2, 7, 9]);
            var (dims, values) = Idx.ReadBytes(path);
            dims.Should().Equal(1, 2);
            values.Should().Equal(7, 9);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static void Write(string path, byte[] bytes)
    {
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        gzip.Write(bytes);
    }
}

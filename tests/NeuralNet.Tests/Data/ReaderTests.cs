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

    [Fact]
    public void IdxRefusesOverflowingDimensionsTrailingBytesAndCorruptGzipNamingTheFile()
    {
        string path = Path.Combine(Path.GetTempPath(), $"idx-{Guid.NewGuid():N}.gz");
        try
        {
            var act = () => Idx.ReadBytes(path);

            // 65536 × 65536 values would wrap 32 bits.
            Write(path, [0, 0, 8, 2, 0, 1, 0, 0, 0, 1, 0, 0]);
            act.Should().Throw<InvalidDataException>().WithMessage($"Idx: {path} has dimensions [65536,65536...] holding more values than an array can*");

            Write(path, [0, 0, 8, 1, 0, 0, 0, 2, 7, 9, 11]);
            act.Should().Throw<InvalidDataException>().WithMessage($"Idx: {path} has bytes after its 2 values.");

            File.WriteAllBytes(path, [0x1f, 0x8b, 0x07, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3]);
            act.Should().Throw<InvalidDataException>().WithMessage($"Idx: {path} is not valid gzip data*");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("1.0,2.0,1.7", "*line 1 has label '1.7'; a label must be a class index*")]
    [InlineData("1.0,2.0,NaN", "*line 1 has label 'NaN'*")]
    [InlineData("1.0,2.0,1e10", "*line 1 has label '1e10'*")]
    [InlineData("1.0,2.0,Infinity", "*line 1 has label 'Infinity'*")]
    [InlineData("1.0,2.0,-1", "*line 1 has label '-1'*")]
    [InlineData("1.0,x2,0\n3.0,4.0,1", "*line 1 field 'x2' is not a number, and the line is not a header*")]
    [InlineData("3,2,a,b\n1.0,2.0,0\n3.0,4.0,1", "*has a header for 3 samples of 2 features but holds 2 rows of 2*")]
    [InlineData("2,5,a,b\n1.0,2.0,0\n3.0,4.0,1", "*has a header for 2 samples of 5 features but holds 2 rows of 2*")]
    public void SklearnCsvRefusesBadLabelsAndAFirstLineThatIsNotItsHeader(string content, string message)
    {
        string path = Path.Combine(Path.GetTempPath(), $"csv-{Guid.NewGuid():N}.csv");
        try
        {
            File.WriteAllText(path, content.Replace("\\n", "\n"));
            var act = () => SklearnCsv.Load(path);
            act.Should().Throw<InvalidDataException>().WithMessage($"SklearnCsv: {path} " + message.TrimStart('*'));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void AHeaderThatMatchesItsRowsIsRead()
    {
        string path = Path.Combine(Path.GetTempPath(), $"csv-{Guid.NewGuid():N}.csv");
        try
        {
            File.WriteAllText(path, "2,2,a,b\n1.0,2.0,0\n3.0,4.0,1\n");
            Dataset data = SklearnCsv.Load(path);
            data.Inputs.ToArray<double>().Should().Equal(1, 2, 3, 4);
            data.Labels.Should().Equal(0, 1);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ClassesRefusesALabelWithNoRoomForACount()
    {
        var data = new Dataset(Tensor.Zeros([1, 1]), [int.MaxValue]);
        var act = () => data.Classes;
        act.Should().Throw<InvalidOperationException>().WithMessage("Dataset: label 2147483647 is too large*");
    }

    private static void Write(string path, byte[] bytes)
    {
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        gzip.Write(bytes);
    }
}

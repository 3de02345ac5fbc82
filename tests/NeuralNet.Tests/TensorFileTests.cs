namespace NeuralNet.Tests;

using System.Buffers.Binary;
using System.Text;
using NeuralNet;

public sealed class TensorFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tensor-file-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void NamedTensorsRoundTripWithTheirShapesAndDTypes()
    {
        string path = Path.Combine(_dir, "tensors.safetensors");
        Checkpoint.SaveTensors(
            [
                new("b.matrix", Tensor.FromArray([1f, 2, 3, 4, 5, 6], 2, 3)),
                new("a.scalar", Tensor.Scalar(0.1, DType.Float64)),
                new("c.vector", Tensor.FromArray([1e-300, -2.5], 2)),
            ],
            path);

        IReadOnlyDictionary<string, Tensor> loaded = Checkpoint.LoadTensors(path);
        loaded.Keys.Should().Equal("a.scalar", "b.matrix", "c.vector");
        loaded["a.scalar"].Rank.Should().Be(0);
        loaded["a.scalar"].Item().Should().Be(0.1);
        loaded["b.matrix"].DType.Should().Be(DType.Float32);
        loaded["b.matrix"].Shape.Should().Be(new Shape(2, 3));
        loaded["b.matrix"].ToArray<float>().Should().Equal(1f, 2, 3, 4, 5, 6);
        loaded["c.vector"].ToArray<double>().Should().Equal(1e-300, -2.5);
    }

    [Fact]
    public void RepeatedOrEmptyKeysAreRefusedBeforeAnythingIsWritten()
    {
        string path = Path.Combine(_dir, "refused.safetensors");
        FluentActions.Invoking(() => Checkpoint.SaveTensors([new("x", Tensor.Scalar(1.0)), new("x", Tensor.Scalar(2.0))], path))
            .Should().Throw<ArgumentException>().WithMessage("*SaveTensors: 'x' is a repeated key*");
        FluentActions.Invoking(() => Checkpoint.SaveTensors([new(string.Empty, Tensor.Scalar(1.0))], path))
            .Should().Throw<ArgumentException>().WithMessage("*an empty key*");
        File.Exists(path).Should().BeFalse();
    }

    [Fact]
    public void AHalfPrecisionTensorIsRefusedNamingItsKeyAndDType()
    {
        // A valid safetensors file holding one F16 tensor of two elements (4 bytes).
        byte[] header = Encoding.UTF8.GetBytes("""{"h":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}}""");
        byte[] file = new byte[8 + header.Length + 4];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)header.Length);
        header.CopyTo(file, 8);
        string path = Path.Combine(_dir, "half.safetensors");
        File.WriteAllBytes(path, file);

        FluentActions.Invoking(() => Checkpoint.LoadTensors(path))
            .Should().Throw<InvalidDataException>().WithMessage("*'h' is F16 [2]; only F32 and F64*");
    }
}

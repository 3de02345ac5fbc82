namespace NeuralNet.Tests;

using System.Buffers.Binary;
using System.Text.Json;
using NeuralNet;

public sealed class CheckpointTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("checkpoint-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Parameter[] Model(int seed) =>
    [
        new(Tensor.RandomNormal([3, 2], seed), "weight"),
        new(Tensor.RandomNormal([2], seed + 1, dtype: DType.Float64), "bias"),
        new(Tensor.Scalar(seed, DType.Float64), "scale"),
    ];

    [Fact]
    public void RoundTripsValuesShapesAndDTypes()
    {
        Parameter[] saved = Model(1), loaded = Model(2);
        string path = Path.Combine(_dir, "model.safetensors");
        Checkpoint.Save(saved, path);
        Checkpoint.Load(loaded, path);

        for (int i = 0; i < saved.Length; i++)
        {
            loaded[i].Shape.Should().Be(saved[i].Shape);
            loaded[i].ToArray<double>().Should().Equal(saved[i].ToArray<double>());
        }

        Directory.GetFiles(_dir).Should().ContainSingle("no temporary file is left behind");
    }

    [Fact]
    public void WritesTheSafetensorsLayout()
    {
        string path = Path.Combine(_dir, "layout.safetensors");
        Checkpoint.Save(Model(1), path);
        byte[] file = File.ReadAllBytes(path);
        int length = (int)BinaryPrimitives.ReadUInt64LittleEndian(file);
        using JsonDocument header = JsonDocument.Parse(file.AsMemory(8, length));
        JsonElement weight = header.RootElement.GetProperty("0.weight");
        weight.GetProperty("dtype").GetString().Should().Be("F32");
        weight.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).Should().Equal(3, 2);
        weight.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).Should().Equal(0, 24);
        header.RootElement.GetProperty("1.bias").GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).Should().Equal(24, 40);
        (length % 8).Should().Be(0);
        file.Length.Should().Be(8 + length + 24 + 16 + 8);
    }

    [Fact]
    public void AModuleIsSavedUnderPyTorchsStateDictKeys()
    {
        var model = new NeuralNet.Layers.Sequential(
            new NeuralNet.Layers.Dense(3, 4, seed: 1), new NeuralNet.Layers.ReLU(), new NeuralNet.Layers.Dense(4, 2, seed: 2));
        string path = Path.Combine(_dir, "sequential.safetensors");
        model.Save(path);

        byte[] file = File.ReadAllBytes(path);
        using JsonDocument header = JsonDocument.Parse(file.AsMemory(8, (int)BinaryPrimitives.ReadUInt64LittleEndian(file)));
        header.RootElement.EnumerateObject().Select(p => p.Name).Should().Equal("0.weight", "0.bias", "2.weight", "2.bias");

        var copy = new NeuralNet.Layers.Sequential(
            new NeuralNet.Layers.Dense(3, 4, seed: 7), new NeuralNet.Layers.ReLU(), new NeuralNet.Layers.Dense(4, 2, seed: 8));
        copy.Load(path);
        Tensor x = Tensor.RandomNormal([5, 3], seed: 3);
        copy.Forward(x).ToArray<float>().Should().Equal(model.Forward(x).ToArray<float>());
    }

    [Fact]
    public void ATruncatedFileIsRefusedAndLeavesTheParametersUnchanged()
    {
        string path = Path.Combine(_dir, "truncated.safetensors");
        Checkpoint.Save(Model(1), path);
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^4]);

        Parameter[] target = Model(2);
        double[][] before = [.. target.Select(p => p.ToArray<double>())];
        var act = () => Checkpoint.Load(target, path);
        act.Should().Throw<InvalidDataException>().WithMessage("*'2.scale'*truncated*");
        target.Select(p => p.ToArray<double>()).Should().BeEquivalentTo(before, o => o.WithStrictOrdering());
    }

    [Fact]
    public void CorruptOrMismatchedFilesGiveClearErrors()
    {
        string path = Path.Combine(_dir, "bad.safetensors");
        File.WriteAllBytes(path, [1, 2, 3]);
        var tooShort = () => Checkpoint.Load(Model(1), path);
        tooShort.Should().Throw<InvalidDataException>().WithMessage("*too short*");

        byte[] notJson = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(notJson, 8);
        "{{{{{{{{"u8.CopyTo(notJson.AsSpan(8));
        File.WriteAllBytes(path, notJson);
        tooShort.Should().Throw<InvalidDataException>().WithMessage("*not valid JSON*");

        Checkpoint.Save(Model(1), path);
        Parameter[] other = [new(Tensor.Zeros([2, 3]), "weight"), .. Model(1)[1..]];
        var mismatch = () => Checkpoint.Load(other, path);
        mismatch.Should().Throw<InvalidDataException>().WithMessage("*'0.weight' is F32 [3,2]*needs F32 [2,3]*");
    }

    [Fact]
    public void AFailedSaveKeepsTheLastGoodCheckpoint()
    {
        string path = Path.Combine(_dir, "keep.safetensors");
        Checkpoint.Save(Model(1), path);
        byte[] good = File.ReadAllBytes(path);

        // The target is now a directory's name: the final rename fails after the temporary file was written.
        string blocked = Path.Combine(_dir, "blocked");
        Directory.CreateDirectory(blocked);
        var act = () => Checkpoint.Save(Model(2), blocked);
        act.Should().Throw<IOException>();

        File.ReadAllBytes(path).Should().Equal(good);
        Directory.GetFiles(_dir).Should().ContainSingle("the temporary file is removed");
    }
}

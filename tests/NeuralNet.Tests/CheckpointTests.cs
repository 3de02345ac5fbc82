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
        act.Should().Throw<InvalidDataException>().WithMessage("*needs 48 bytes of data but has 44 (truncated?)*");
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
        tooShort.Should().Throw<InvalidDataException>().WithMessage("*not valid UTF-8 JSON*");

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

    /// <summary>A file with this JSON header (padded to 8 bytes, as the format asks) and these data bytes.</summary>
    private string Raw(string name, string header, int dataBytes)
    {
        string path = Path.Combine(_dir, name);
        byte[] json = System.Text.Encoding.UTF8.GetBytes(header.PadRight(header.Length + ((8 - (header.Length % 8)) % 8)));
        byte[] file = new byte[8 + json.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)json.Length);
        json.CopyTo(file, 8);
        File.WriteAllBytes(path, file);
        return path;
    }

    private static Parameter[] Pair() => [new(Tensor.Zeros([2]), "a"), new(Tensor.Zeros([2]), "b")];

    [Theory]
    [InlineData("""{"0.a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"1.b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""", 12, "*'1.b' starts at byte 4, inside the tensor before it*")]
    [InlineData("""{"0.a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"1.b":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", 8, "*starts at byte 0, inside the tensor before it*")]
    [InlineData("""{"0.a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"0.a":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}""", 16, "*names tensor '0.a' twice*")]
    [InlineData("""{"0.a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"1.b":{"dtype":"F32","shape":[2],"data_offsets":[12,20]}}""", 20, "*a gap of 4 bytes before '1.b'*")]
    [InlineData("""{"0.a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"1.b":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}""", 20, "*4 bytes after its last tensor*")]
    [InlineData("""{"0.a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"1.b":{"dtype":"F32","shape":[3],"data_offsets":[8,16]}}""", 16, "*'1.b' has byte range [8,16], which does not hold its F32 [3] (12 bytes)*")]
    [InlineData("""{"0.a":{"dtype":"Q4","shape":[2],"data_offsets":[0,8]}}""", 8, "*'0.a' has an unknown dtype 'Q4'*")]
    [InlineData("""[1, 2]""", 0, "*not a JSON object*")]
    public void AFileThatBreaksTheFormatIsRefusedWithoutTouchingTheModel(string header, int dataBytes, string message)
    {
        string path = Raw("bad.safetensors", header, dataBytes);
        Parameter[] model = [new(Tensor.FromArray([1f, 2f]), "a"), new(Tensor.FromArray([3f, 4f]), "b")];
        var act = () => Checkpoint.Load(model, path);
        act.Should().Throw<InvalidDataException>().WithMessage(message);
        model[0].ToArray<float>().Should().Equal(1, 2);
        model[1].ToArray<float>().Should().Equal(3, 4);
    }

    [Fact]
    public void AHeaderLongerThanTheFormatAllowsIsRefused()
    {
        string path = Path.Combine(_dir, "huge.safetensors");
        byte[] file = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(file, 1UL << 40);
        File.WriteAllBytes(path, file);
        var act = () => Checkpoint.Load(Pair(), path);
        act.Should().Throw<InvalidDataException>().WithMessage("*declares a 1099511627776-byte header*at most 100000000*");
    }

    [Fact]
    public void ExtraOrMissingTensorsAreRefusedUnlessTheLoadIsNotStrict()
    {
        // A bigger model's checkpoint: the smaller model lacks its third tensor.
        string path = Path.Combine(_dir, "bigger.safetensors");
        Checkpoint.Save([new Parameter(Tensor.FromArray([1f, 2f]), "a"), new Parameter(Tensor.FromArray([3f, 4f]), "b"), new Parameter(Tensor.FromArray([5f, 6f]), "c")], path);
        Parameter[] smaller = Pair();
        var strict = () => Checkpoint.Load(smaller, path);
        strict.Should().Throw<InvalidDataException>().WithMessage("*does not match the parameters: missing [], unexpected [2.c]*strict: false*");
        smaller[0].ToArray<float>().Should().Equal(0, 0);

        CheckpointKeys keys = Checkpoint.Load(smaller, path, strict: false);
        keys.Missing.Should().BeEmpty();
        keys.Unexpected.Should().Equal("2.c");
        smaller[1].ToArray<float>().Should().Equal(3, 4);

        Parameter[] larger = [.. Pair(), new(Tensor.Zeros([2]), "c"), new(Tensor.Full([1], 9), "d")];
        var missing = () => Checkpoint.Load(larger, path);
        missing.Should().Throw<InvalidDataException>().WithMessage("*missing [3.d], unexpected []*");
        Checkpoint.Load(larger, path, strict: false).Missing.Should().Equal("3.d");
        larger[2].ToArray<float>().Should().Equal(5, 6);
        larger[3].ToArray<float>().Should().Equal(9);
    }

    [Fact]
    public void LoadingADirectoryNamesThePath()
    {
        var act = () => Checkpoint.Load(Pair(), _dir);
        act.Should().Throw<IOException>().WithMessage($"Checkpoint: {_dir} is a directory, not a checkpoint file.");
    }

    [Fact]
    public void ASaveRemovesTemporaryFilesThatAKilledSaveLeftBehind()
    {
        string path = Path.Combine(_dir, "model.safetensors");
        File.WriteAllBytes(Path.Combine(_dir, ".model.safetensors.0123456789abcdef0123456789abcdef.tmp"), new byte[100]);
        File.WriteAllBytes(Path.Combine(_dir, ".other.safetensors.0123456789abcdef0123456789abcdef.tmp"), new byte[10]);
        Checkpoint.Save(Pair(), path);
        Directory.GetFiles(_dir).Select(Path.GetFileName).Should().BeEquivalentTo(
            ["model.safetensors", ".other.safetensors.0123456789abcdef0123456789abcdef.tmp"], "only the same target's leftovers are removed");
    }

    [Fact]
    public void ATensorPastTwoGigabytesLoads()
    {
        // A sparse 2.2 GB file: a byte tensor the model does not take, then the model's tensor beyond 2³¹.
        const long padding = 2_200_000_000;
        string header = "{\"pad\":{\"dtype\":\"U8\",\"shape\":[" + padding + "],\"data_offsets\":[0," + padding + "]}," +
            "\"0.a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[" + padding + "," + (padding + 8) + "]}}";
        byte[] json = System.Text.Encoding.UTF8.GetBytes(header.PadRight(header.Length + ((8 - (header.Length % 8)) % 8)));
        string path = Path.Combine(_dir, "large.safetensors");
        using (var stream = new FileStream(path, FileMode.CreateNew))
        {
            stream.SetLength(8 + json.Length + padding + 8);
            byte[] prefix = new byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)json.Length);
            stream.Write(prefix);
            stream.Write(json);
            stream.Position = 8 + json.Length + padding;
            stream.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes<float>([1.5f, -2.5f]));
        }

        var a = new Parameter(Tensor.Zeros([2]), "a");
        CheckpointKeys keys = Checkpoint.Load([a], path, strict: false);
        keys.Unexpected.Should().Equal("pad");
        a.ToArray<float>().Should().Equal(1.5f, -2.5f);
    }

    [Fact]
    public void ATensorOverTwoGigabytesSavesAndLoads()
    {
        // 2²⁸ + 3 doubles: 2.1 GB, more bytes than one span can hold, in one tensor and a checkpoint of 2.1 GB.
        const int count = (1 << 28) + 3;
        var large = new Parameter(Tensor.Arange(0, count, dtype: DType.Float64), "large");
        var small = new Parameter(Tensor.FromArray([7.0]), "small");
        string path = Path.Combine(_dir, "large.safetensors");
        Checkpoint.Save([large, small], path);
        new FileInfo(path).Length.Should().BeGreaterThan(int.MaxValue);

        var largeLoaded = new Parameter(Tensor.Zeros([count], DType.Float64), "large");
        var smallLoaded = new Parameter(Tensor.Zeros([1], DType.Float64), "small");
        Checkpoint.Load([largeLoaded, smallLoaded], path);
        largeLoaded.Values<double>().SequenceEqual(large.Values<double>()).Should().BeTrue();
        largeLoaded.Values<double>()[count - 1].Should().Be(count - 1);
        smallLoaded.ToArray<double>().Should().Equal(7.0);
    }
}

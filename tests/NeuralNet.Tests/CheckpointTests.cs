namespace NeuralNet.Tests;

using System.Buffers.Binary;
using System.Text.Json;
using NeuralNet;
using NeuralNet.Layers;

public sealed class CheckpointTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("checkpoint-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>One parameter of each kind: a Float32 matrix, a Float64 vector and a Float64 scalar.</summary>
    private sealed class Model : Module
    {
        public Model(int seed, int rows = 3)
        {
            RegisterParameter("weight", new(Tensor.RandomNormal([rows, 2], seed), "weight"));
            RegisterParameter("bias", new(Tensor.RandomNormal([2], seed + 1, dtype: DType.Float64), "bias"));
            RegisterParameter("scale", new(Tensor.Scalar(seed, DType.Float64), "scale"));
        }

        public override Tensor Forward(Tensor input) => input;
    }

    private static double[][] Values(Module model) => [.. model.Parameters.Select(p => p.ToArray<double>())];

    [Fact]
    public void RoundTripsValuesShapesAndDTypes()
    {
        Model saved = new(1), loaded = new(2);
        string path = Path.Combine(_dir, "model.safetensors");
        saved.Save(path);
        loaded.Load(path).Should().BeEquivalentTo(new CheckpointKeys([], []));

        for (int i = 0; i < saved.Parameters.Count; i++)
        {
            loaded.Parameters[i].Shape.Should().Be(saved.Parameters[i].Shape);
            loaded.Parameters[i].DType.Should().Be(saved.Parameters[i].DType);
            loaded.Parameters[i].ToArray<double>().Should().Equal(saved.Parameters[i].ToArray<double>());
        }

        Directory.GetFiles(_dir).Should().ContainSingle("no temporary file is left behind");
    }

    [Fact]
    public void WritesTheSafetensorsLayout()
    {
        string path = Path.Combine(_dir, "layout.safetensors");
        new Model(1).Save(path);
        byte[] file = File.ReadAllBytes(path);
        int length = (int)BinaryPrimitives.ReadUInt64LittleEndian(file);
        using JsonDocument header = JsonDocument.Parse(file.AsMemory(8, length));
        JsonElement weight = header.RootElement.GetProperty("weight");
        weight.GetProperty("dtype").GetString().Should().Be("F32");
        weight.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).Should().Equal(3, 2);
        weight.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).Should().Equal(0, 24);
        header.RootElement.GetProperty("bias").GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).Should().Equal(24, 40);
        (length % 8).Should().Be(0);
        file.Length.Should().Be(8 + length + 24 + 16 + 8);
    }

    [Fact]
    public void AModuleIsSavedUnderPyTorchsStateDictKeys()
    {
        var model = new Sequential(new Dense(3, 4, seed: 1), new ReLU(), new Dense(4, 2, seed: 2));
        string path = Path.Combine(_dir, "sequential.safetensors");
        model.Save(path);

        byte[] file = File.ReadAllBytes(path);
        using JsonDocument header = JsonDocument.Parse(file.AsMemory(8, (int)BinaryPrimitives.ReadUInt64LittleEndian(file)));
        header.RootElement.EnumerateObject().Select(p => p.Name).Should().Equal("0.weight", "0.bias", "2.weight", "2.bias");

        var copy = new Sequential(new Dense(3, 4, seed: 7), new ReLU(), new Dense(4, 2, seed: 8));
        copy.Load(path);
        Tensor x = Tensor.RandomNormal([5, 3], seed: 3);
        copy.Forward(x).ToArray<float>().Should().Equal(model.Forward(x).ToArray<float>());
    }

    /// <summary>A parameter of its own, a nested Sequential and a Dense head: PyTorch's paths "scale", "body.0.weight", ….</summary>
    private sealed class Nested : Module
    {
        public Nested(int seed)
        {
            RegisterParameter("scale", new(Tensor.Scalar(seed), "scale"));
            RegisterModule("body", new Sequential(new Dense(3, 4, seed: seed), new ReLU()));
            RegisterModule("head", new Dense(4, 2, bias: false, seed: seed + 1));
        }

        public override Tensor Forward(Tensor input) => input;
    }

    private static string[] Keys(string path)
    {
        byte[] file = File.ReadAllBytes(path);
        using JsonDocument header = JsonDocument.Parse(file.AsMemory(8, (int)BinaryPrimitives.ReadUInt64LittleEndian(file)));
        return [.. header.RootElement.EnumerateObject().Select(p => p.Name)];
    }

    [Fact]
    public void NestedModulesAreSavedUnderTheirFullPaths()
    {
        string path = Path.Combine(_dir, "nested.safetensors");
        var model = new Nested(1);
        model.Save(path);
        Keys(path).Should().Equal("scale", "body.0.weight", "body.0.bias", "head.weight");

        var copy = new Nested(5);
        copy.Load(path);
        copy.Parameters.Select(p => p.ToArray<float>()).Should().BeEquivalentTo(
            model.Parameters.Select(p => p.ToArray<float>()), o => o.WithStrictOrdering());
    }

    [Fact]
    public void TheNamedListAndTheModuleWriteTheSameFile()
    {
        var model = new Nested(1);
        string fromModule = Path.Combine(_dir, "module.safetensors"), fromList = Path.Combine(_dir, "list.safetensors");
        model.Save(fromModule);
        Checkpoint.Save(model.NamedParameters, fromList);
        File.ReadAllBytes(fromList).Should().Equal(File.ReadAllBytes(fromModule));

        // A subset by path loads from the module's file: only the body changes.
        var copy = new Nested(5);
        float[] head = copy.Parameters[^1].ToArray<float>();
        CheckpointKeys keys = Checkpoint.Load(copy.NamedParameters.Where(n => n.Name.StartsWith("body.", StringComparison.Ordinal)), fromModule, strict: false);
        keys.Unexpected.Should().Equal("head.weight", "scale");
        copy.Parameters[1].ToArray<float>().Should().Equal(model.Parameters[1].ToArray<float>());
        copy.Parameters[^1].ToArray<float>().Should().Equal(head);
    }

    [Fact]
    public void ATiedWeightIsSavedOnceUnderItsFirstPath()
    {
        var shared = new Dense(2, 2, seed: 1);
        string path = Path.Combine(_dir, "tied.safetensors");
        new Sequential(shared, new ReLU(), shared).Save(path);
        Keys(path).Should().Equal("0.weight", "0.bias");
    }

    [Fact]
    public void ANamedListWithARepeatedOrEmptyKeyIsRefusedBeforeWriting()
    {
        string path = Path.Combine(_dir, "refused.safetensors");
        Parameter a = new(Tensor.Zeros([2]), "a"), b = new(Tensor.Zeros([2]), "b");
        var repeated = () => Checkpoint.Save([("w", a), ("w", b)], path);
        repeated.Should().Throw<ArgumentException>().WithMessage("Checkpoint.Save: two parameters have the key 'w'.*");
        var empty = () => Checkpoint.Load([("a", a), ("", b)], path);
        empty.Should().Throw<ArgumentException>().WithMessage("Checkpoint.Load: entry 1 has an empty key or no parameter ('', Parameter(b, [2], Float32)).*");
        File.Exists(path).Should().BeFalse();
    }

    /// <summary>Keeps a parameter it never registers: a checkpoint of it would silently lack that tensor.</summary>
    private sealed class Forgetful : Module
    {
        private readonly Parameter _offset = new(Tensor.Zeros([2]), "offset");

        public override Tensor Forward(Tensor input) => input + _offset;
    }

    [Fact]
    public void AModuleWithAnUnregisteredParameterIsNeitherSavedNorLoaded()
    {
        string path = Path.Combine(_dir, "forgetful.safetensors");
        var save = () => new Forgetful().Save(path);
        save.Should().Throw<InvalidOperationException>().WithMessage("*Forgetful._offset holds Parameter(offset, [2], Float32), which Forgetful does not register*");
        File.Exists(path).Should().BeFalse();

        new Model(1).Save(path);
        var load = () => new Forgetful().Load(path, strict: false);
        load.Should().Throw<InvalidOperationException>().WithMessage("*Forgetful._offset*");
    }

    [Fact]
    public void ATruncatedFileIsRefusedAndLeavesTheParametersUnchanged()
    {
        string path = Path.Combine(_dir, "truncated.safetensors");
        new Model(1).Save(path);
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^4]);

        // 3·2 floats, 2 doubles and 1 double: 24 + 16 + 8 = 48 bytes.
        var target = new Model(2);
        double[][] before = Values(target);
        var act = () => target.Load(path);
        act.Should().Throw<InvalidDataException>().WithMessage("*needs 48 bytes of data but has 44 (truncated?)*");
        Values(target).Should().BeEquivalentTo(before, o => o.WithStrictOrdering());
    }

    [Fact]
    public void CorruptOrMismatchedFilesGiveClearErrors()
    {
        string path = Path.Combine(_dir, "bad.safetensors");
        File.WriteAllBytes(path, [1, 2, 3]);
        var tooShort = () => new Model(1).Load(path);
        tooShort.Should().Throw<InvalidDataException>().WithMessage("*too short*");

        byte[] notJson = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(notJson, 8);
        "{{{{{{{{"u8.CopyTo(notJson.AsSpan(8));
        File.WriteAllBytes(path, notJson);
        tooShort.Should().Throw<InvalidDataException>().WithMessage("*not valid UTF-8 JSON*");

        new Model(1).Save(path);
        var mismatch = () => new Model(1, rows: 4).Load(path);
        mismatch.Should().Throw<InvalidDataException>().WithMessage("*'weight' is F32 [3,2]*needs F32 [4,2]*");
    }

    [Fact]
    public void AFailedSaveKeepsTheLastGoodCheckpoint()
    {
        string path = Path.Combine(_dir, "keep.safetensors");
        new Model(1).Save(path);
        byte[] good = File.ReadAllBytes(path);

        // The target is now a directory's name: the final rename fails after the temporary file was written.
        string blocked = Path.Combine(_dir, "blocked");
        Directory.CreateDirectory(blocked);
        var act = () => new Model(2).Save(blocked);
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

    private static (string, Parameter)[] Named(params Parameter[] parameters) => [.. parameters.Select(p => (p.Name!, p))];

    private static (string, Parameter)[] Pair() => Named(new(Tensor.Zeros([2]), "a"), new(Tensor.Zeros([2]), "b"));

    [Theory]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""", 12, "*'b' starts at byte 4, inside the tensor before it*")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", 8, "*starts at byte 0, inside the tensor before it*")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"a":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}""", 16, "*names tensor 'a' twice*")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[12,20]}}""", 20, "*a gap of 4 bytes before 'b'*")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}""", 20, "*4 bytes after its last tensor*")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[3],"data_offsets":[8,16]}}""", 16, "*'b' has byte range [8,16], which does not hold its F32 [3] (12 bytes)*")]
    [InlineData("""{"a":{"dtype":"Q4","shape":[2],"data_offsets":[0,8]}}""", 8, "*'a' has an unknown dtype 'Q4'*")]
    [InlineData("""[1, 2]""", 0, "*not a JSON object*")]
    public void AFileThatBreaksTheFormatIsRefusedWithoutTouchingTheModel(string header, int dataBytes, string message)
    {
        string path = Raw("bad.safetensors", header, dataBytes);
        Parameter a = new(Tensor.FromArray([1f, 2f]), "a"), b = new(Tensor.FromArray([3f, 4f]), "b");
        var act = () => Checkpoint.Load(Named(a, b), path);
        act.Should().Throw<InvalidDataException>().WithMessage(message);
        a.ToArray<float>().Should().Equal(1, 2);
        b.ToArray<float>().Should().Equal(3, 4);
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
        Checkpoint.Save(Named(new(Tensor.FromArray([1f, 2f]), "a"), new(Tensor.FromArray([3f, 4f]), "b"), new(Tensor.FromArray([5f, 6f]), "c")), path);
        (string, Parameter)[] smaller = Pair();
        var strict = () => Checkpoint.Load(smaller, path);
        strict.Should().Throw<InvalidDataException>().WithMessage("*does not match the parameters: missing [], unexpected [c]*strict: false*");
        smaller[0].Item2.ToArray<float>().Should().Equal(0, 0);

        CheckpointKeys keys = Checkpoint.Load(smaller, path, strict: false);
        keys.Missing.Should().BeEmpty();
        keys.Unexpected.Should().Equal("c");
        smaller[1].Item2.ToArray<float>().Should().Equal(3, 4);

        (string, Parameter)[] larger = [.. Pair(), .. Named(new(Tensor.Zeros([2]), "c"), new(Tensor.Full([1], 9), "d"))];
        var missing = () => Checkpoint.Load(larger, path);
        missing.Should().Throw<InvalidDataException>().WithMessage("*missing [d], unexpected []*");
        Checkpoint.Load(larger, path, strict: false).Missing.Should().Equal("d");
        larger[2].Item2.ToArray<float>().Should().Equal(5, 6);
        larger[3].Item2.ToArray<float>().Should().Equal(9);
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
            "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[" + padding + "," + (padding + 8) + "]}}";
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
        CheckpointKeys keys = Checkpoint.Load(Named(a), path, strict: false);
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
        Checkpoint.Save(Named(large, small), path);
        new FileInfo(path).Length.Should().BeGreaterThan(int.MaxValue);

        var largeLoaded = new Parameter(Tensor.Zeros([count], DType.Float64), "large");
        var smallLoaded = new Parameter(Tensor.Zeros([1], DType.Float64), "small");
        Checkpoint.Load(Named(largeLoaded, smallLoaded), path);
        largeLoaded.Values<double>().SequenceEqual(large.Values<double>()).Should().BeTrue();
        largeLoaded.Values<double>()[count - 1].Should().Be(count - 1);
        smallLoaded.ToArray<double>().Should().Equal(7.0);
    }

    [Fact]
    public void BatchNormBuffersRoundTripUnderPyTorchsKeysInPlace()
    {
        var model = new Sequential(new BatchNorm1d(3), new Dense(3, 2, seed: 1));
        for (int step = 0; step < 2; step++)
        {
            model.Forward(Tensor.RandomNormal([4, 3], seed: 10 + step, mean: 1.0));
        }

        string path = Path.Combine(_dir, "norm.safetensors");
        model.Save(path);
        Keys(path).Should().Equal("0.weight", "0.bias", "1.weight", "1.bias", "0.running_mean", "0.running_var", "0.num_batches_tracked");

        var copy = new Sequential(new BatchNorm1d(3), new Dense(3, 2, seed: 2));
        var norm = (BatchNorm1d)copy.Children.First();
        Tensor runningMean = norm.RunningMean!;
        copy.Load(path).Should().BeEquivalentTo(new CheckpointKeys([], []));
        norm.RunningMean.Should().BeSameAs(runningMean, "a load writes the buffer in place");
        var saved = (BatchNorm1d)model.Children.First();
        norm.RunningMean!.ToArray<float>().Should().Equal(saved.RunningMean!.ToArray<float>());
        norm.RunningVar!.ToArray<float>().Should().Equal(saved.RunningVar!.ToArray<float>());
        norm.NumBatchesTracked!.Item().Should().Be(2);

        Tensor x = Tensor.RandomNormal([2, 3], seed: 3);
        copy.Eval().Forward(x).ToArray<float>().Should().Equal(model.Eval().Forward(x).ToArray<float>());
    }

    [Fact]
    public void BatchNorm2dBuffersRoundTripUnderPyTorchsKeysInPlace()
    {
        static Sequential Cnn(int seed) => new(new Conv2d(2, 3, 3, seed: seed), new BatchNorm2d(3), new Flatten());
        Sequential model = Cnn(1);
        for (int step = 0; step < 2; step++)
        {
            model.Forward(Tensor.RandomNormal([4, 2, 5, 5], seed: 10 + step, mean: 1.0));
        }

        string path = Path.Combine(_dir, "norm2d.safetensors");
        model.Save(path);
        Keys(path).Should().Equal("0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var", "1.num_batches_tracked");

        Sequential copy = Cnn(2);
        var norm = (BatchNorm2d)copy.Children.ElementAt(1);
        Tensor runningVar = norm.RunningVar!;
        copy.Load(path).Should().BeEquivalentTo(new CheckpointKeys([], []));
        norm.RunningVar.Should().BeSameAs(runningVar, "a load writes the buffer in place");
        var saved = (BatchNorm2d)model.Children.ElementAt(1);
        norm.RunningMean!.ToArray<float>().Should().Equal(saved.RunningMean!.ToArray<float>());
        norm.RunningVar!.ToArray<float>().Should().Equal(saved.RunningVar!.ToArray<float>());
        norm.NumBatchesTracked!.Item().Should().Be(2);

        Tensor x = Tensor.RandomNormal([2, 2, 5, 5], seed: 3);
        copy.Eval().Forward(x).ToArray<float>().Should().Equal(model.Eval().Forward(x).ToArray<float>());
    }

    /// <summary>A parameter and a buffer whose length the test chooses.</summary>
    private sealed class WithBuffer : Module
    {
        public WithBuffer(int length, double fill)
        {
            Weight = RegisterParameter("w", new(Tensor.Full([2], fill), "w"));
            Stat = RegisterBuffer("stat", Tensor.Full([length], fill));
        }

        public Parameter Weight { get; }

        public Tensor Stat { get; }

        public override Tensor Forward(Tensor input) => input;
    }

    [Fact]
    public void AMismatchedOrMissingBufferIsRefusedBeforeAnythingChanges()
    {
        string path = Path.Combine(_dir, "buffer.safetensors");
        new WithBuffer(3, 1).Save(path);

        var wrongShape = new WithBuffer(4, 5);
        Action act = () => wrongShape.Load(path);
        act.Should().Throw<InvalidDataException>().WithMessage("*'stat' is F32 [3]; the buffer needs F32 [4]*");
        wrongShape.Weight.ToArray<float>().Should().Equal(5f, 5f);
        wrongShape.Stat.ToArray<float>().Should().Equal(5f, 5f, 5f, 5f);

        string withoutBuffer = Path.Combine(_dir, "no-buffer.safetensors");
        Checkpoint.Save(new WithBuffer(3, 1).NamedParameters, withoutBuffer);
        var target = new WithBuffer(3, 7);
        Action strict = () => target.Load(withoutBuffer);
        strict.Should().Throw<InvalidDataException>().WithMessage("*missing [stat], unexpected []*");
        target.Weight.ToArray<float>().Should().Equal(7f, 7f);
        target.Load(withoutBuffer, strict: false).Missing.Should().Equal("stat");
        target.Weight.ToArray<float>().Should().Equal(1f, 1f);
        target.Stat.ToArray<float>().Should().Equal(7f, 7f, 7f);
    }
}

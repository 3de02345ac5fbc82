namespace NeuralNet.Tests.Data;

using System.IO.Compression;
using NeuralNet;
using NeuralNet.Data;

/// <summary>
/// Seeded random corruptions of valid files: every outcome is a clean load or a named
/// <see cref="InvalidDataException"/>, and a refused checkpoint leaves the model as it was.
/// </summary>
public sealed class FuzzTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fuzz-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void CorruptedCheckpointsLoadCleanlyOrAreRefusedWithoutTouchingTheModel()
    {
        string valid = Path.Combine(_dir, "valid.safetensors");
        Checkpoint.Save(Named(Model(1)), valid);
        byte[] original = File.ReadAllBytes(valid);
        string path = Path.Combine(_dir, "mutant.safetensors");
        var random = new Random(20261202);
        int refused = 0;
        for (int trial = 0; trial < 2000; trial++)
        {
            File.WriteAllBytes(path, Mutate(original, random));
            Parameter[] model = Model(2);
            double[][] before = [.. model.Select(p => p.ToArray<double>())];
            try
            {
                Checkpoint.Load(Named(model), path);
            }
            catch (InvalidDataException e)
            {
                refused++;
                e.Message.Should().StartWith($"Checkpoint: {path}");
                model.Select(p => p.ToArray<double>()).Should().BeEquivalentTo(before, o => o.WithStrictOrdering(), $"trial {trial}");
            }
        }

        refused.Should().BeGreaterThan(1000, "most corruptions break the format");
    }

    [Fact]
    public void CorruptedIdxFilesLoadCleanlyOrAreRefusedNamingTheFile()
    {
        byte[] idx = [0, 0, 8, 2, 0, 0, 0, 3, 0, 0, 0, 4, .. Enumerable.Range(0, 12).Select(i => (byte)i)];
        var random = new Random(7);
        foreach (bool gzip in new[] { false, true })
        {
            string path = Path.Combine(_dir, gzip ? "mutant.idx.gz" : "mutant.idx");
            byte[] valid = gzip ? Compress(idx) : idx;
            for (int trial = 0; trial < 1000; trial++)
            {
                File.WriteAllBytes(path, Mutate(valid, random));
                try
                {
                    var (dims, values) = Idx.ReadBytes(path);
                    values.Length.Should().Be(dims.Aggregate(1, (a, b) => a * b), "a clean load holds what its dimensions say");
                }
                catch (InvalidDataException e)
                {
                    e.Message.Should().StartWith($"Idx: {path}");
                }
            }
        }
    }

    private static Parameter[] Model(int seed) =>
    [
        new(Tensor.RandomNormal([3, 2], seed), "weight"),
        new(Tensor.RandomNormal([2], seed + 1, dtype: DType.Float64), "bias"),
    ];

    private static (string, Parameter)[] Named(Parameter[] parameters) => [.. parameters.Select(p => (p.Name!, p))];

    // One to three of: flip a byte, truncate, insert a byte, or duplicate a run.
    private static byte[] Mutate(byte[] bytes, Random random)
    {
        var result = new List<byte>(bytes);
        for (int m = random.Next(1, 4); m > 0 && result.Count > 0; m--)
        {
            int at = random.Next(result.Count);
            switch (random.Next(4))
            {
                case 0:
                    result[at] ^= (byte)random.Next(1, 256);
                    break;
                case 1:
                    result.RemoveRange(at, result.Count - at);
                    break;
                case 2:
                    result.Insert(at, (byte)random.Next(256));
                    break;
                default:
                    int length = Math.Min(random.Next(1, 16), result.Count - at);
                    result.InsertRange(at, result.GetRange(at, length));
                    break;
            }
        }

        return [.. result];
    }

    private static byte[] Compress(byte[] bytes)
    {
        using var memory = new MemoryStream();
        using (var gzip = new GZipStream(memory, CompressionLevel.Fastest))
        {
            gzip.Write(bytes);
        }

        return memory.ToArray();
    }
}

using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using NeuralNet.Layers;

namespace NeuralNet;

/// <summary>
/// Saves and loads parameters in the safetensors format (Hugging Face's: an 8-byte little-endian header length, a
/// JSON header naming each tensor's dtype, shape and byte range, then the raw little-endian values), so
/// checkpoints open in Python too. Saving is atomic; loading validates everything before it changes anything.
/// Values are written in the machine's byte order, which is little-endian on every platform .NET supports today.
/// </summary>
public static class Checkpoint
{
    /// <summary>
    /// Writes <paramref name="parameters"/> to <paramref name="path"/>, keyed "index.name" ("0.weight", "1.bias", …).
    /// The file is written beside the target under a temporary name, flushed to disk, then renamed over it: a crash
    /// mid-save leaves the previous checkpoint intact.
    /// </summary>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Save(IReadOnlyList<Parameter> parameters, string path) =>
        Save([.. parameters.Select((p, i) => (Key(i, p), p))], path);

    /// <summary>Saves a module's parameters under their <see cref="Module.NamedParameters"/> paths ("0.weight", …).</summary>
    /// <exception cref="IOException">The file cannot be written.</exception>
    /// <exception cref="ArgumentException">Two parameters have the same path.</exception>
    public static void Save(this Module module, string path) => Save(Named(module), path);

    /// <summary>Loads a module's parameters by their <see cref="Module.NamedParameters"/> paths (see <see cref="Load(IReadOnlyList{Parameter}, string)"/>).</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is corrupt, truncated, or does not match the module.</exception>
    public static void Load(this Module module, string path) => Load(Named(module), path);

    private static (string Key, Parameter Parameter)[] Named(Module module)
    {
        (string Key, Parameter Parameter)[] named = [.. module.NamedParameters];
        string? repeated = named.GroupBy(n => n.Key).FirstOrDefault(g => g.Count() > 1)?.Key;
        if (repeated is not null)
        {
            throw new ArgumentException($"Checkpoint: two parameters of {module.GetType().Name} are both named '{repeated}'.", nameof(module));
        }

        return named;
    }

    private static void Save((string Key, Parameter Parameter)[] entries, string path)
    {
        Parameter[] parameters = [.. entries.Select(e => e.Parameter)];
        var header = new Dictionary<string, object>();
        long offset = 0;
        for (int i = 0; i < parameters.Length; i++)
        {
            Parameter p = parameters[i];
            long bytes = (long)p.Size * ElementSize(p.DType);
            header[entries[i].Key] = new { dtype = p.DType == DType.Float32 ? "F32" : "F64", shape = p.Shape.ToArray(), data_offsets = new[] { offset, offset + bytes } };
            offset += bytes;
        }

        byte[] json = JsonSerializer.SerializeToUtf8Bytes(header);
        int padding = (8 - (json.Length % 8)) % 8;
        string full = Path.GetFullPath(path);
        string temporary = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                Span<byte> length = stackalloc byte[8];
                BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)(json.Length + padding));
                stream.Write(length);
                stream.Write(json);
                stream.Write(Encoding.ASCII.GetBytes(new string(' ', padding)));
                foreach (Parameter p in parameters)
                {
                    stream.Write(p.DType == DType.Float32 ? MemoryMarshal.AsBytes(p.Values<float>()) : MemoryMarshal.AsBytes(p.Values<double>()));
                }

                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>
    /// Reads a checkpoint written by <see cref="Save(IReadOnlyList{Parameter}, string)"/> into <paramref name="parameters"/>.
    /// Every tensor is read and checked (name, dtype, shape, byte range) before any parameter changes, so a corrupt,
    /// truncated or mismatched file leaves the parameters as they were.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not valid safetensors, is truncated, or does not match the parameters.</exception>
    public static void Load(IReadOnlyList<Parameter> parameters, string path) =>
        Load([.. parameters.Select((p, i) => (Key(i, p), p))], path);

    private static void Load((string Key, Parameter Parameter)[] entries, string path)
    {
        Parameter[] parameters = [.. entries.Select(e => e.Parameter)];
        byte[] file = File.ReadAllBytes(path);
        if (file.Length < 8)
        {
            throw new InvalidDataException($"Checkpoint: {path} is {file.Length} bytes, too short for a safetensors header.");
        }

        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(file);
        if (headerLength > (ulong)(file.Length - 8))
        {
            throw new InvalidDataException($"Checkpoint: {path} declares a {headerLength}-byte header but has {file.Length - 8} bytes after the length.");
        }

        int dataStart = 8 + (int)headerLength;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(file.AsMemory(8, (int)headerLength));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Checkpoint: {path} has a header that is not valid JSON.", e);
        }

        var values = new Tensor[parameters.Length];
        using (document)
        {
            for (int i = 0; i < parameters.Length; i++)
            {
                values[i] = ReadTensor(document.RootElement, file, dataStart, entries[i].Key, parameters[i], path);
            }
        }

        for (int i = 0; i < parameters.Length; i++)
        {
            parameters[i].Assign(values[i]);
        }
    }

    private static Tensor ReadTensor(JsonElement header, byte[] file, int dataStart, string key, Parameter target, string path)
    {
        if (header.ValueKind != JsonValueKind.Object || !header.TryGetProperty(key, out JsonElement entry))
        {
            throw new InvalidDataException($"Checkpoint: {path} has no tensor '{key}' for parameter {target}.");
        }

        try
        {
            string dtype = entry.GetProperty("dtype").GetString() ?? string.Empty;
            int[] shape = [.. entry.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32())];
            long[] range = [.. entry.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64())];
            string expected = target.DType == DType.Float32 ? "F32" : "F64";
            if (dtype != expected || !shape.AsSpan().SequenceEqual(target.Shape.Dimensions))
            {
                throw new InvalidDataException(
                    $"Checkpoint: {path} '{key}' is {dtype} [{string.Join(",", shape)}]; parameter {target} needs {expected} {target.Shape}.");
            }

            long bytes = (long)target.Size * ElementSize(target.DType);
            if (range.Length != 2 || range[0] < 0 || range[1] - range[0] != bytes || range[1] > file.Length - dataStart)
            {
                throw new InvalidDataException(
                    $"Checkpoint: {path} '{key}' has byte range [{string.Join(",", range)}], which does not hold {bytes} bytes within the file (truncated?).");
            }

            ReadOnlySpan<byte> raw = file.AsSpan(dataStart + (int)range[0], (int)bytes);
            // FromSpan reads a flat run; the reshape keeps a scalar parameter a scalar.
            Tensor flat = target.DType == DType.Float32
                ? Tensor.FromSpan(MemoryMarshal.Cast<byte, float>(raw))
                : Tensor.FromSpan(MemoryMarshal.Cast<byte, double>(raw));
            return flat.Reshape(target.Shape);
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"Checkpoint: {path} '{key}' has a malformed header entry.", e);
        }
    }

    private static string Key(int index, Parameter parameter) => $"{index}.{parameter.Name ?? "param"}";

    private static int ElementSize(DType dtype) => dtype == DType.Float32 ? sizeof(float) : sizeof(double);
}

using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;
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

    /// <summary>Loads a module's parameters by their <see cref="Module.NamedParameters"/> paths (see <see cref="Load(IReadOnlyList{Parameter}, string, bool)"/>).</summary>
    /// <param name="module">The module.</param>
    /// <param name="path">The checkpoint file.</param>
    /// <param name="strict">Require the file's tensors and the module's parameters to match one to one (PyTorch's <c>strict</c>).</param>
    /// <returns>The keys that did not match.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="IOException">The path is a directory.</exception>
    /// <exception cref="InvalidDataException">The file is corrupt, truncated, or does not match the module.</exception>
    public static CheckpointKeys Load(this Module module, string path, bool strict = true) => Load(Named(module), path, strict);

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
        string directory = Path.GetDirectoryName(full)!;
        RemoveStaleTemporaries(directory, Path.GetFileName(full));
        string temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
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
                    if (p.DType == DType.Float32)
                    {
                        WriteValues(stream, p.Values<float>());
                    }
                    else
                    {
                        WriteValues(stream, p.Values<double>());
                    }
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
    /// The whole file is validated against the safetensors format first (header size, unique keys, byte ranges that
    /// tile the data exactly) and every tensor is read and checked against its parameter (dtype, shape) before any
    /// parameter changes, so a corrupt, truncated or mismatched file leaves the parameters as they were.
    /// </summary>
    /// <param name="parameters">The parameters, keyed "index.name" as <see cref="Save(IReadOnlyList{Parameter}, string)"/> writes them.</param>
    /// <param name="path">The checkpoint file.</param>
    /// <param name="strict">Require the file's tensors and the parameters to match one to one (PyTorch's <c>strict</c>);
    /// when false, tensors the parameters lack are ignored and parameters the file lacks are left as they are.</param>
    /// <returns>The keys that did not match (both empty after a strict load), as PyTorch's <c>load_state_dict</c> returns them.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="IOException">The path is a directory.</exception>
    /// <exception cref="InvalidDataException">The file is not valid safetensors, is truncated, or does not match the parameters.</exception>
    public static CheckpointKeys Load(IReadOnlyList<Parameter> parameters, string path, bool strict = true) =>
        Load([.. parameters.Select((p, i) => (Key(i, p), p))], path, strict);

    private static CheckpointKeys Load((string Key, Parameter Parameter)[] entries, string path, bool strict)
    {
        if (Directory.Exists(path))
        {
            throw new IOException($"Checkpoint: {path} is a directory, not a checkpoint file.");
        }

        using SafeFileHandle file = File.OpenHandle(path);
        var header = SafetensorsHeader.Read(file, RandomAccess.GetLength(file), path);
        var values = new Tensor?[entries.Length];
        var missing = new List<string>();
        for (int i = 0; i < entries.Length; i++)
        {
            if (header.Entries.TryGetValue(entries[i].Key, out SafetensorsHeader.Entry? entry))
            {
                values[i] = ReadTensor(entry, file, header.DataStart, entries[i].Parameter, path);
            }
            else
            {
                missing.Add(entries[i].Key);
            }
        }

        string[] unexpected = [.. header.Entries.Keys.Except(entries.Select(e => e.Key)).Order(StringComparer.Ordinal)];
        if (strict && (missing.Count > 0 || unexpected.Length > 0))
        {
            throw new InvalidDataException(
                $"Checkpoint: {path} does not match the parameters: missing [{string.Join(", ", missing)}], unexpected " +
                $"[{string.Join(", ", unexpected)}]; load with strict: false to load only the tensors that match.");
        }

        for (int i = 0; i < entries.Length; i++)
        {
            if (values[i] is { } value)
            {
                entries[i].Parameter.Assign(value);
            }
        }

        return new CheckpointKeys(missing, unexpected);
    }

    private static Tensor ReadTensor(SafetensorsHeader.Entry entry, SafeFileHandle file, long dataStart, Parameter target, string path)
    {
        string expected = target.DType == DType.Float32 ? "F32" : "F64";
        if (entry.DType != expected || !entry.Shape.SequenceEqual(target.Shape.ToArray().Select(d => (long)d)))
        {
            throw new InvalidDataException(
                $"Checkpoint: {path} '{entry.Key}' is {entry.DType} [{string.Join(",", entry.Shape)}]; parameter {target} needs {expected} {target.Shape}.");
        }

        // FromArray takes an empty shape for 1-D; the Reshape keeps a scalar a scalar.
        int[] shape = target.Shape.ToArray();
        long offset = dataStart + entry.Begin;
        return target.DType == DType.Float32
            ? Tensor.FromArray(ReadValues<float>(file, target.Size, offset), shape).Reshape(target.Shape)
            : Tensor.FromArray(ReadValues<double>(file, target.Size, offset), shape).Reshape(target.Shape);
    }

    // A span of bytes is int-indexed, so a tensor over 2 GB (2²⁸ doubles) moves in chunks of at most ChunkBytes.
    private const int ChunkBytes = 1 << 30;

    private static void WriteValues<T>(Stream stream, ReadOnlySpan<T> values)
        where T : unmanaged
    {
        int chunk = ChunkBytes / Unsafe.SizeOf<T>();
        for (int start = 0; start < values.Length; start += chunk)
        {
            stream.Write(MemoryMarshal.AsBytes(values.Slice(start, Math.Min(chunk, values.Length - start))));
        }
    }

    // Reads at 64-bit offsets, so files over 2 GB load.
    private static T[] ReadValues<T>(SafeFileHandle file, int count, long offset)
        where T : unmanaged
    {
        var values = new T[count];
        int chunk = ChunkBytes / Unsafe.SizeOf<T>();
        for (int start = 0; start < count; start += chunk)
        {
            int length = Math.Min(chunk, count - start);
            SafetensorsHeader.ReadExactly(file, MemoryMarshal.AsBytes(values.AsSpan(start, length)), offset + ((long)start * Unsafe.SizeOf<T>()));
        }

        return values;
    }

    // A save killed mid-write leaves its temporary file behind; the next save of the same target removes it.
    private static void RemoveStaleTemporaries(string directory, string name)
    {
        if (!Directory.Exists(directory))
        {
            return;
        }

        foreach (string stale in Directory.EnumerateFiles(directory, $".{name}.*.tmp"))
        {
            File.Delete(stale);
        }
    }

    private static string Key(int index, Parameter parameter) => $"{index}.{parameter.Name ?? "param"}";

    private static int ElementSize(DType dtype) => dtype == DType.Float32 ? sizeof(float) : sizeof(double);
}

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
    /// Writes a module's parameters under their <see cref="Module.NamedParameters"/> paths ("0.weight", "2.bias",
    /// "block.0.weight": PyTorch's <c>state_dict</c> keys), then its buffers under their <see cref="Module.NamedBuffers"/>
    /// paths ("1.running_mean", "1.num_batches_tracked"). The file is written beside the target under a temporary
    /// name, flushed to disk, then renamed over it: a crash mid-save leaves the previous checkpoint intact.
    /// </summary>
    /// <param name="module">The module.</param>
    /// <param name="path">The checkpoint file.</param>
    /// <exception cref="IOException">The file cannot be written.</exception>
    /// <exception cref="InvalidOperationException">The module keeps a parameter or child it does not register (see <see cref="ModuleChecks"/>).</exception>
    public static void Save(this Module module, string path) => Save(Named(module), path);

    /// <summary>
    /// Writes named parameters under the given names, atomically as <see cref="Save(Module, string)"/> does:
    /// <c>Checkpoint.Save(model.NamedParameters, path)</c> writes the same file as <c>model.Save(path)</c> for a model
    /// without buffers (<see cref="Module.NamedBuffers"/>), and a subset (<c>model.NamedParameters.Where(…)</c>) writes those keys only.
    /// </summary>
    /// <param name="parameters">The parameters with their keys; keys must be non-empty and distinct.</param>
    /// <param name="path">The checkpoint file.</param>
    /// <exception cref="IOException">The file cannot be written.</exception>
    /// <exception cref="ArgumentException">A key is empty or repeated.</exception>
    public static void Save(IEnumerable<(string Name, Parameter Parameter)> parameters, string path) =>
        Save(AsTargets(Checked(nameof(Save), parameters)), path);

    /// <summary>
    /// Loads a module's parameters and buffers by their <see cref="Module.NamedParameters"/> and
    /// <see cref="Module.NamedBuffers"/> paths, in place, validating the whole file first (see <see cref="Load(IEnumerable{ValueTuple{string, Parameter}}, string, bool)"/>).
    /// </summary>
    /// <param name="module">The module.</param>
    /// <param name="path">The checkpoint file.</param>
    /// <param name="strict">Require the file's tensors and the module's parameters and buffers to match one to one (PyTorch's <c>strict</c>).</param>
    /// <returns>The keys that did not match.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="IOException">The path is a directory.</exception>
    /// <exception cref="InvalidDataException">The file is corrupt, truncated, or does not match the module.</exception>
    /// <exception cref="InvalidOperationException">The module keeps a parameter or child it does not register (see <see cref="ModuleChecks"/>).</exception>
    public static CheckpointKeys Load(this Module module, string path, bool strict = true) => Load(Named(module), path, strict);

    /// <summary>
    /// Reads a checkpoint into the parameters whose keys it holds. The whole file is validated against the
    /// safetensors format first (header size, unique keys, byte ranges that tile the data exactly) and every tensor
    /// is read and checked against its parameter (dtype, shape) before any parameter changes, so a corrupt,
    /// truncated or mismatched file leaves the parameters as they were.
    /// </summary>
    /// <param name="parameters">The parameters with their keys (e.g. <c>model.NamedParameters</c>); keys must be non-empty and distinct.</param>
    /// <param name="path">The checkpoint file.</param>
    /// <param name="strict">Require the file's tensors and the parameters to match one to one (PyTorch's <c>strict</c>);
    /// when false, tensors the parameters lack are ignored and parameters the file lacks are left as they are.</param>
    /// <returns>The keys that did not match (both empty after a strict load), as PyTorch's <c>load_state_dict</c> returns them.</returns>
    /// <exception cref="ArgumentException">A key is empty or repeated.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="IOException">The path is a directory.</exception>
    /// <exception cref="InvalidDataException">The file is not valid safetensors, is truncated, or does not match the parameters.</exception>
    public static CheckpointKeys Load(IEnumerable<(string Name, Parameter Parameter)> parameters, string path, bool strict = true) =>
        Load(AsTargets(Checked(nameof(Load), parameters)), path, strict);

    /// <summary>
    /// Writes named tensors to a safetensors file, atomically as <see cref="Save(Module, string)"/> does (the
    /// counterpart of <c>safetensors.torch.save_file</c>): for state that is not a module's, such as an optimizer's
    /// (<see cref="TrainingCheckpoint"/> uses it).
    /// </summary>
    /// <param name="tensors">The tensors with their keys; keys must be non-empty and distinct, tensors Float32 or Float64.</param>
    /// <param name="path">The file.</param>
    /// <exception cref="ArgumentException">A key is empty or repeated, or a tensor is null.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void SaveTensors(IEnumerable<KeyValuePair<string, Tensor>> tensors, string path)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        (string Key, Tensor Target)[] entries = [.. tensors.Select(pair => (pair.Key, pair.Value))];
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach ((string key, Tensor tensor) in entries)
        {
            if (string.IsNullOrEmpty(key) || tensor is null || !keys.Add(key))
            {
                throw new ArgumentException(
                    $"Checkpoint.SaveTensors: '{key}' is {(tensor is null ? "null" : string.IsNullOrEmpty(key) ? "an empty key" : "a repeated key")}.",
                    nameof(tensors));
            }
        }

        Save(entries, path);
    }

    /// <summary>
    /// Reads every tensor of a safetensors file into new tensors (the counterpart of <c>safetensors.torch.load_file</c>),
    /// validating the whole file first as <see cref="Load(Module, string, bool)"/> does.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <returns>The tensors by key, in key order.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="IOException">The path is a directory.</exception>
    /// <exception cref="InvalidDataException">The file is corrupt or truncated, or holds a dtype other than F32 and F64.</exception>
    public static IReadOnlyDictionary<string, Tensor> LoadTensors(string path)
    {
        using SafeFileHandle file = OpenCheckpoint(path);
        var header = SafetensorsHeader.Read(file, RandomAccess.GetLength(file), path);
        var tensors = new SortedDictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (SafetensorsHeader.Entry entry in header.Entries.Values)
        {
            if (entry.DType is not ("F32" or "F64") || entry.Shape.Any(d => d > int.MaxValue) || entry.Shape.Aggregate(1L, (n, d) => n * d) > int.MaxValue)
            {
                throw new InvalidDataException(
                    $"Checkpoint: {path} '{entry.Key}' is {entry.DType} [{string.Join(",", entry.Shape)}]; only F32 and F64 tensors of under 2³¹ elements load.");
            }
        }

        foreach (SafetensorsHeader.Entry entry in header.Entries.Values)
        {
            tensors[entry.Key] = ReadValues(entry, file, header.DataStart, entry.DType == "F32" ? DType.Float32 : DType.Float64, [.. entry.Shape.Select(d => (int)d)]);
        }

        return tensors;
    }

    // Paths from one registration are unique by construction (names have no '.'), so only the check for
    // forgotten registrations is needed.
    // Parameter and buffer names share one namespace per module, so their paths cannot collide either.
    internal static (string Key, Tensor Target)[] Named(Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        ModuleChecks.AssertRegistered(module);
        return [.. module.NamedParameters.Select(p => (p.Name, (Tensor)p.Parameter)), .. module.NamedBuffers];
    }

    private static (string Key, Tensor Target)[] AsTargets((string Key, Parameter Parameter)[] named) =>
        [.. named.Select(n => (n.Key, (Tensor)n.Parameter))];

    private static (string Key, Parameter Parameter)[] Checked(string method, IEnumerable<(string Name, Parameter Parameter)> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        (string Key, Parameter Parameter)[] named = [.. parameters];
        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < named.Length; i++)
        {
            (string key, Parameter parameter) = named[i];
            if (string.IsNullOrEmpty(key) || parameter is null)
            {
                throw new ArgumentException($"Checkpoint.{method}: entry {i} has an empty key or no parameter ('{key}', {parameter?.ToString() ?? "null"}).", nameof(parameters));
            }

            if (!keys.Add(key))
            {
                throw new ArgumentException($"Checkpoint.{method}: two parameters have the key '{key}'.", nameof(parameters));
            }
        }

        return named;
    }

    private static void Save((string Key, Tensor Target)[] entries, string path)
    {
        Tensor[] parameters = [.. entries.Select(e => e.Target)];
        byte[] json = Header(entries);
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
                foreach (Tensor p in parameters)
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

    // Written with Utf8JsonWriter rather than JsonSerializer so that saving works where reflection-based
    // serialization is off (trimmed and native AOT apps, file-based `dotnet run` apps).
    private static byte[] Header((string Key, Tensor Target)[] entries)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            long offset = 0;
            foreach ((string key, Tensor p) in entries)
            {
                long bytes = (long)p.Size * ElementSize(p.DType);
                writer.WriteStartObject(key);
                writer.WriteString("dtype", p.DType == DType.Float32 ? "F32" : "F64");
                writer.WriteStartArray("shape");
                foreach (int dimension in p.Shape.ToArray())
                {
                    writer.WriteNumberValue(dimension);
                }

                writer.WriteEndArray();
                writer.WriteStartArray("data_offsets");
                writer.WriteNumberValue(offset);
                writer.WriteNumberValue(offset + bytes);
                writer.WriteEndArray();
                writer.WriteEndObject();
                offset += bytes;
            }

            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static CheckpointKeys Load((string Key, Tensor Target)[] entries, string path, bool strict)
    {
        using SafeFileHandle file = OpenCheckpoint(path);
        var header = SafetensorsHeader.Read(file, RandomAccess.GetLength(file), path);
        var values = new Tensor?[entries.Length];
        var missing = new List<string>();
        for (int i = 0; i < entries.Length; i++)
        {
            if (header.Entries.TryGetValue(entries[i].Key, out SafetensorsHeader.Entry? entry))
            {
                values[i] = ReadTensor(entry, file, header.DataStart, entries[i].Target, path);
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
            if (values[i] is not { } value)
            {
                continue;
            }

            Write(entries[i].Target, value);
        }

        return new CheckpointKeys(missing, unexpected);
    }

    /// <summary>Puts a checked value (same dtype and shape) into a parameter or a module's buffer.</summary>
    internal static void Write(Tensor target, Tensor value)
    {
        if (target is Parameter parameter)
        {
            parameter.Assign(value);
        }
        else
        {
            // A buffer is the module's own versioned storage (Module.RegisterBuffer): written in place, so the
            // module's reference stays valid and a tape that saved the old value notices.
            Array.Copy(value.Data, target.Data, target.Size);
            target.Storage!.MarkWritten();
        }
    }

    private static Tensor ReadTensor(SafetensorsHeader.Entry entry, SafeFileHandle file, long dataStart, Tensor target, string path)
    {
        string expected = target.DType == DType.Float32 ? "F32" : "F64";
        if (entry.DType != expected || !entry.Shape.SequenceEqual(target.Shape.ToArray().Select(d => (long)d)))
        {
            throw new InvalidDataException(
                $"Checkpoint: {path} '{entry.Key}' is {entry.DType} [{string.Join(",", entry.Shape)}]; {(target is Parameter ? $"parameter {target}" : "the buffer")} needs {expected} {target.Shape}.");
        }

        return ReadValues(entry, file, dataStart, target.DType, target.Shape.ToArray());
    }

    private static Tensor ReadValues(SafetensorsHeader.Entry entry, SafeFileHandle file, long dataStart, DType dtype, int[] shape)
    {
        // FromArray takes an empty shape for 1-D; the Reshape keeps a scalar a scalar.
        int size = shape.Aggregate(1, (n, d) => n * d);
        long offset = dataStart + entry.Begin;
        return dtype == DType.Float32
            ? Tensor.FromArray(ReadValues<float>(file, size, offset), shape).Reshape(shape)
            : Tensor.FromArray(ReadValues<double>(file, size, offset), shape).Reshape(shape);
    }

    private static SafeFileHandle OpenCheckpoint(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Directory.Exists(path)
            ? throw new IOException($"Checkpoint: {path} is a directory, not a checkpoint file.")
            : File.OpenHandle(path);
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

    private static int ElementSize(DType dtype) => dtype == DType.Float32 ? sizeof(float) : sizeof(double);
}

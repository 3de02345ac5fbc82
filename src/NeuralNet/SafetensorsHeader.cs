using System.Buffers.Binary;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;

namespace NeuralNet;

/// <summary>
/// A safetensors header, parsed and checked against the format's rules before anything is read from the buffer:
/// a bounded header length, a JSON object of unique keys (plus an optional <c>__metadata__</c> map), each tensor with
/// a known dtype, a non-negative shape and a byte range that holds exactly shape × dtype bytes, and ranges that,
/// in order, start at 0, follow one another with no gap or overlap, and end exactly at the end of the file.
/// </summary>
internal sealed class SafetensorsHeader
{
    // The format's own limit on the header (safetensors refuses larger ones, which stops a hostile length early).
    private const long MaxHeaderBytes = 100_000_000;

    private static readonly Dictionary<string, int> s_elementSizes = new()
    {
        ["BOOL"] = 1, ["U8"] = 1, ["I8"] = 1, ["F8_E5M2"] = 1, ["F8_E4M3"] = 1,
        ["I16"] = 2, ["U16"] = 2, ["F16"] = 2, ["BF16"] = 2,
        ["I32"] = 4, ["U32"] = 4, ["F32"] = 4,
        ["I64"] = 8, ["U64"] = 8, ["F64"] = 8,
    };

    private SafetensorsHeader(Dictionary<string, Entry> entries, long dataStart)
    {
        Entries = entries;
        DataStart = dataStart;
    }

    /// <summary>The tensors by key.</summary>
    public IReadOnlyDictionary<string, Entry> Entries { get; }

    /// <summary>Where the data buffer starts in the file.</summary>
    public long DataStart { get; }

    /// <summary>Parses and validates the header of the open file <paramref name="file"/>, which is <paramref name="fileLength"/> bytes long.</summary>
    /// <exception cref="InvalidDataException">The file breaks a rule of the format; the message names the path and the rule.</exception>
    public static SafetensorsHeader Read(SafeFileHandle file, long fileLength, string path)
    {
        if (fileLength < 8)
        {
            throw new InvalidDataException($"Checkpoint: {path} is {fileLength} bytes, too short for a safetensors header.");
        }

        Span<byte> prefix = stackalloc byte[8];
        ReadExactly(file, prefix, 0);
        ulong length = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (length > MaxHeaderBytes || length > (ulong)(fileLength - 8))
        {
            throw new InvalidDataException(
                $"Checkpoint: {path} declares a {length}-byte header; it has {fileLength - 8} bytes after the length, and a header may hold at most {MaxHeaderBytes}.");
        }

        byte[] json = new byte[(int)length];
        ReadExactly(file, json, 8);

        var entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            using JsonDocument document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"Checkpoint: {path} has a header that is not a JSON object.");
            }

            foreach (JsonProperty property in document.RootElement.EnumerateObject())
            {
                if (!names.Add(property.Name))
                {
                    throw new InvalidDataException($"Checkpoint: {path} names tensor '{property.Name}' twice.");
                }

                if (property.Name == "__metadata__")
                {
                    continue;
                }

                entries[property.Name] = ParseEntry(property, path);
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a key that is not valid UTF-8 (the document parses; reading the name fails).
            throw new InvalidDataException($"Checkpoint: {path} has a header that is not valid UTF-8 JSON.", e);
        }

        long dataStart = 8 + (long)length;
        CheckLayout(entries, fileLength - dataStart, path);
        return new SafetensorsHeader(entries, dataStart);
    }

    /// <summary>Fills <paramref name="buffer"/> from <paramref name="offset"/> (64-bit: files may exceed 2 GB).</summary>
    public static void ReadExactly(SafeFileHandle file, Span<byte> buffer, long offset)
    {
        while (!buffer.IsEmpty)
        {
            int read = RandomAccess.Read(file, buffer, offset);
            if (read == 0)
            {
                throw new EndOfStreamException($"Checkpoint: the file ended at byte {offset} while reading.");
            }

            buffer = buffer[read..];
            offset += read;
        }
    }

    private static Entry ParseEntry(JsonProperty property, string path)
    {
        string key = property.Name;
        try
        {
            JsonElement entry = property.Value;
            string dtype = entry.GetProperty("dtype").GetString() ?? string.Empty;
            if (!s_elementSizes.TryGetValue(dtype, out int elementSize))
            {
                throw new InvalidDataException($"Checkpoint: {path} '{key}' has an unknown dtype '{dtype}'.");
            }

            long[] shape = [.. entry.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64())];
            long[] range = [.. entry.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64())];
            long elements = 1;
            foreach (long d in shape)
            {
                if (d < 0 || (d > 0 && elements > long.MaxValue / d / elementSize))
                {
                    throw new InvalidDataException($"Checkpoint: {path} '{key}' has an invalid shape [{string.Join(",", shape)}].");
                }

                elements *= d;
            }

            if (range.Length != 2 || range[0] < 0 || range[1] < range[0] || range[1] - range[0] != elements * elementSize)
            {
                throw new InvalidDataException(
                    $"Checkpoint: {path} '{key}' has byte range [{string.Join(",", range)}], which does not hold its {dtype} [{string.Join(",", shape)}] ({elements * elementSize} bytes).");
            }

            return new Entry(key, dtype, shape, range[0], range[1]);
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"Checkpoint: {path} '{key}' has a malformed header entry.", e);
        }
    }

    // Sorted by offset, the ranges must tile the buffer exactly: no tensor reads another's bytes, nothing is hidden.
    private static void CheckLayout(Dictionary<string, Entry> entries, long bufferLength, string path)
    {
        long next = 0;
        foreach (Entry entry in entries.Values.OrderBy(e => e.Begin).ThenBy(e => e.End))
        {
            if (entry.Begin != next)
            {
                throw new InvalidDataException(entry.Begin < next
                    ? $"Checkpoint: {path} '{entry.Key}' starts at byte {entry.Begin}, inside the tensor before it (which ends at {next})."
                    : $"Checkpoint: {path} has a gap of {entry.Begin - next} bytes before '{entry.Key}'.");
            }

            next = entry.End;
        }

        if (next != bufferLength)
        {
            throw new InvalidDataException(next > bufferLength
                ? $"Checkpoint: {path} needs {next} bytes of data but has {bufferLength} (truncated?)."
                : $"Checkpoint: {path} has {bufferLength - next} bytes after its last tensor.");
        }
    }

    /// <summary>One tensor of the header.</summary>
    internal sealed record Entry(string Key, string DType, long[] Shape, long Begin, long End);
}

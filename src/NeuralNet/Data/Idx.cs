using System.Buffers.Binary;
using System.IO.Compression;

namespace NeuralNet.Data;

/// <summary>
/// Reads IDX files (the format MNIST ships in: a big-endian magic number giving the element type and rank, the
/// dimensions, then the values), plain or gzip-compressed (by the <c>.gz</c> extension).
/// </summary>
public static class Idx
{
    /// <summary>Reads an IDX file of unsigned bytes (type code 0x08): its dimensions and values.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not unsigned-byte IDX (or not gzip, for .gz), its dimensions
    /// hold more values than an array can, it is truncated, or it has bytes after its values; the message names the file.</exception>
    public static (int[] Dimensions, byte[] Values) ReadBytes(string path)
    {
        using Stream file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
        try
        {
            return Read(stream, path);
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith("Idx:", StringComparison.Ordinal))
        {
            // GZipStream's own errors ("unsupported compression method") do not say which file.
            throw new InvalidDataException($"Idx: {path} is not valid gzip data: {e.Message}", e);
        }
    }

    private static (int[] Dimensions, byte[] Values) Read(Stream stream, string path)
    {
        Span<byte> header = stackalloc byte[4];
        ReadExactly(stream, header, path, "header");
        if (header[0] != 0 || header[1] != 0 || header[2] != 0x08)
        {
            throw new InvalidDataException($"Idx: {path} is not an unsigned-byte IDX file (magic {Convert.ToHexString(header)}).");
        }

        int rank = header[3];
        var dimensions = new int[rank];
        Span<byte> dimension = stackalloc byte[4];
        long size = 1;
        for (int i = 0; i < rank; i++)
        {
            ReadExactly(stream, dimension, path, $"dimension {i}");
            dimensions[i] = BinaryPrimitives.ReadInt32BigEndian(dimension);
            if (dimensions[i] < 0)
            {
                throw new InvalidDataException($"Idx: {path} has a negative dimension {dimensions[i]}.");
            }

            size *= dimensions[i];
            if (size > Array.MaxLength)
            {
                throw new InvalidDataException(
                    $"Idx: {path} has dimensions [{string.Join(",", dimensions[..(i + 1)])}...] holding more values than an array can ({Array.MaxLength}).");
            }
        }

        byte[] values = ReadValues(stream, (int)size, path);
        if (stream.ReadByte() >= 0)
        {
            throw new InvalidDataException($"Idx: {path} has bytes after its {size} values.");
        }

        return (dimensions, values);
    }

    // In chunks, so that a header claiming more values than the file holds costs what the file holds, not the claim.
    private static byte[] ReadValues(Stream stream, int size, string path)
    {
        using var values = new MemoryStream(Math.Min(size, 1 << 24));
        var chunk = new byte[1 << 16];
        for (int remaining = size; remaining > 0;)
        {
            int read = stream.Read(chunk, 0, Math.Min(chunk.Length, remaining));
            if (read == 0)
            {
                throw new InvalidDataException($"Idx: {path} is truncated in its values ({size - remaining} of {size} bytes).");
            }

            values.Write(chunk, 0, read);
            remaining -= read;
        }

        return values.ToArray();
    }

    private static void ReadExactly(Stream stream, Span<byte> buffer, string path, string what)
    {
        try
        {
            stream.ReadExactly(buffer);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"Idx: {path} is truncated in its {what}.", e);
        }
    }
}

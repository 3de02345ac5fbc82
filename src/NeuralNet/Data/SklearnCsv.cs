using System.Globalization;
using System.IO.Compression;

namespace NeuralNet.Data;

/// <summary>
/// Reads the CSV files scikit-learn ships its small data sets in (iris, wine, breast cancer, digits): one example per
/// line, the features then an integer class label last; iris, wine and breast cancer start with a header line
/// "samples,features,class names…", digits has none. Plain or gzip-compressed (by the <c>.gz</c> extension).
/// </summary>
public static class SklearnCsv
{
    /// <summary>Loads a data set as Float64 features (or <paramref name="dtype"/>) and integer labels.</summary>
    /// <remarks>A first line with a field that is not a number must be scikit-learn's header, "samples,features,names…",
    /// and the file must then hold that many rows of that many features; labels must be whole numbers from 0.</remarks>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">A line has the wrong number of fields, a field is not a number, a label is
    /// not a class index, the header does not match the rows, or a .gz file is not gzip; the message names the file, the
    /// line and the value.</exception>
    public static Dataset Load(string path, DType dtype = DType.Float64)
    {
        using Stream file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = new StreamReader(stream);
        try
        {
            return Read(reader, path, dtype);
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith("SklearnCsv:", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"SklearnCsv: {path} is not valid gzip data: {e.Message}", e);
        }
    }

    private static Dataset Read(StreamReader reader, string path, DType dtype)
    {
        var features = new List<double>();
        var labels = new List<int>();
        int width = -1, lineNumber = 0;
        (int Samples, int Features)? header = null;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            string[] fields = line.Split(',');
            if (lineNumber == 1 && fields.Any(f => !IsNumber(f, out _)))
            {
                header = Header(fields, path);
                continue;
            }

            if (line.Length == 0)
            {
                continue;
            }

            width = width < 0 ? fields.Length : width;
            if (fields.Length != width || width < 2)
            {
                throw new InvalidDataException($"SklearnCsv: {path} line {lineNumber} has {fields.Length} fields; expected {width}.");
            }

            for (int i = 0; i < width; i++)
            {
                if (!IsNumber(fields[i], out double value))
                {
                    throw new InvalidDataException($"SklearnCsv: {path} line {lineNumber} field {i + 1} '{fields[i]}' is not a number.");
                }

                if (i < width - 1)
                {
                    features.Add(value);
                }
                else if (value >= 0 && value < int.MaxValue && value == Math.Floor(value))
                {
                    labels.Add((int)value);
                }
                else
                {
                    throw new InvalidDataException(
                        $"SklearnCsv: {path} line {lineNumber} has label '{fields[i]}'; a label must be a class index, a whole number from 0 below {int.MaxValue}.");
                }
            }
        }

        if (header is var (samples, featureCount) && (samples != labels.Count || (labels.Count > 0 && featureCount != width - 1)))
        {
            throw new InvalidDataException(
                $"SklearnCsv: {path} has a header for {samples} samples of {featureCount} features but holds {labels.Count} rows of {Math.Max(width - 1, 0)}.");
        }

        Tensor inputs = Tensor.FromArray([.. features], labels.Count, Math.Max(width - 1, 0)).To(dtype);
        return new Dataset(inputs, [.. labels]);
    }

    private static bool IsNumber(string field, out double value) =>
        double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    // scikit-learn's first line: the sample count, the feature count, then the class names.
    private static (int Samples, int Features) Header(string[] fields, string path)
    {
        if (fields.Length < 2 || !int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out int samples)
            || !int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out int features))
        {
            string bad = fields.First(f => !IsNumber(f, out _));
            throw new InvalidDataException(
                $"SklearnCsv: {path} line 1 field '{bad}' is not a number, and the line is not a header 'samples,features,names…'.");
        }

        return (samples, features);
    }
}

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
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">A line has the wrong number of fields or a field is not a number.</exception>
    public static Dataset Load(string path, DType dtype = DType.Float64)
    {
        using Stream file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = new StreamReader(stream);
        var features = new List<double>();
        var labels = new List<int>();
        int width = -1, lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            string[] fields = line.Split(',');
            if (lineNumber == 1 && fields.Any(f => !double.TryParse(f, NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
            {
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
                if (!double.TryParse(fields[i], NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
                {
                    throw new InvalidDataException($"SklearnCsv: {path} line {lineNumber} field {i + 1} '{fields[i]}' is not a number.");
                }

                if (i < width - 1)
                {
                    features.Add(value);
                }
                else
                {
                    labels.Add((int)value);
                }
            }
        }

        Tensor inputs = Tensor.FromArray([.. features], labels.Count, Math.Max(width - 1, 0)).To(dtype);
        return new Dataset(inputs, [.. labels]);
    }
}

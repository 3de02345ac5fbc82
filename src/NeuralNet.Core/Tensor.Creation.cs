namespace NeuralNet;

public partial class Tensor
{
    private static volatile DType s_defaultDType = DType.Float32;

    /// <summary>A <see cref="DType.Float32"/> tensor holding a copy of <paramref name="values"/>.</summary>
    /// <param name="values">The values in row-major order.</param>
    /// <param name="shape">The shape; a 1-D shape of the values' length when omitted.</param>
    /// <exception cref="ArgumentException">The values do not fill the shape.</exception>
    public static Tensor FromArray(float[] values, params int[] shape) => Copy<float>(nameof(FromArray), values, shape);

    /// <summary>A <see cref="DType.Float64"/> tensor holding a copy of <paramref name="values"/>.</summary>
    /// <param name="values">The values in row-major order.</param>
    /// <param name="shape">The shape; a 1-D shape of the values' length when omitted.</param>
    /// <exception cref="ArgumentException">The values do not fill the shape.</exception>
    public static Tensor FromArray(double[] values, params int[] shape) => Copy<double>(nameof(FromArray), values, shape);

    /// <summary>A <see cref="DType.Float32"/> tensor of the rows and columns of a 2-D array.</summary>
    public static Tensor FromArray(float[,] values) => FromSpan<float>(Flatten(values), [values.GetLength(0), values.GetLength(1)]);

    /// <summary>A <see cref="DType.Float64"/> tensor of the rows and columns of a 2-D array.</summary>
    public static Tensor FromArray(double[,] values) => FromSpan<double>(Flatten(values), [values.GetLength(0), values.GetLength(1)]);

    /// <summary>A tensor holding a copy of <paramref name="values"/>, of dtype <see cref="DType.Float32"/> for
    /// <see cref="float"/> and <see cref="DType.Float64"/> for <see cref="double"/>.</summary>
    /// <param name="values">The values in row-major order.</param>
    /// <param name="shape">The shape; a 1-D shape of the values' length when empty.</param>
    /// <exception cref="ArgumentException">The values do not fill the shape.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public static Tensor FromSpan<T>(ReadOnlySpan<T> values, params int[] shape)
        where T : unmanaged => Copy(nameof(FromSpan), values, shape);

    /// <summary>FromSpan and FromArray; <paramref name="op"/> is the public name the caller used, for error messages.</summary>
    private static Tensor Copy<T>(string op, ReadOnlySpan<T> values, int[] shape)
        where T : unmanaged
    {
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
        {
            throw new NotSupportedException($"{op}: element type {typeof(T).Name} is not supported; use float or double.");
        }

        Shape s = shape.Length == 0 ? new Shape(values.Length) : new Shape(shape);
        if (s.Size != values.Length)
        {
            throw new ArgumentException($"{op}: {values.Length} values do not fill shape {s} ({s.Size} elements).", nameof(values));
        }

        return new Tensor(values.ToArray(), s);
    }

    /// <summary>
    /// The dtype of every tensor a creation method makes when it is given no dtype (PyTorch's
    /// <c>torch.set_default_dtype</c>): <see cref="DType.Float32"/> until set. Process-wide; <c>FromArray</c> and
    /// <c>FromSpan</c> always take their array's element type.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined <see cref="NeuralNet.DType"/>.</exception>
    public static DType DefaultDType
    {
        get => s_defaultDType;
        set
        {
            if (!Enum.IsDefined(value))
            {
                throw new ArgumentOutOfRangeException(nameof(value), $"DefaultDType: {value} is not a dtype.");
            }

            s_defaultDType = value;
        }
    }

    /// <summary>
    /// A rank-0 tensor holding <paramref name="value"/>. Without a <paramref name="dtype"/> it is a <em>weak</em>
    /// scalar (JAX's weak type, PyTorch's Python number): it has <see cref="DefaultDType"/>, and in an element-wise op
    /// with any other tensor it takes that tensor's dtype, so <c>x * Tensor.Scalar(2.0)</c> keeps <c>x</c>'s dtype.
    /// </summary>
    /// <param name="value">The value, rounded to the dtype.</param>
    /// <param name="dtype">The dtype; null for a weak scalar of <see cref="DefaultDType"/>.</param>
    public static Tensor Scalar(double value, DType? dtype = null)
    {
        Tensor scalar = Full(Shape.ScalarShape, value, dtype);
        scalar._isWeak = dtype is null;
        scalar._weakValue = value;
        return scalar;
    }

    /// <summary>A tensor of zeros, of <paramref name="dtype"/> or else <see cref="DefaultDType"/>.</summary>
    public static Tensor Zeros(Shape shape, DType? dtype = null) => new(Allocate(dtype ?? DefaultDType, shape.Size), shape);

    /// <summary>A tensor of ones, of <paramref name="dtype"/> or else <see cref="DefaultDType"/>.</summary>
    public static Tensor Ones(Shape shape, DType? dtype = null) => Full(shape, 1.0, dtype);

    /// <summary>A tensor with every element equal to <paramref name="value"/>, of <paramref name="dtype"/> or else <see cref="DefaultDType"/>.</summary>
    public static Tensor Full(Shape shape, double value, DType? dtype = null)
    {
        Array data = Allocate(dtype ?? DefaultDType, shape.Size);
        if (data is float[] f)
        {
            f.AsSpan().Fill((float)value);
        }
        else
        {
            ((double[])data).AsSpan().Fill(value);
        }

        return new Tensor(data, shape);
    }

    /// <summary>Zeros of the shape and dtype of <paramref name="like"/>.</summary>
    public static Tensor ZerosLike(Tensor like) => Zeros(like.Shape, like.DType);

    /// <summary>Ones of the shape and dtype of <paramref name="like"/>.</summary>
    public static Tensor OnesLike(Tensor like) => Ones(like.Shape, like.DType);

    /// <summary><paramref name="value"/> in the shape and dtype of <paramref name="like"/>.</summary>
    public static Tensor FullLike(Tensor like, double value) => Full(like.Shape, value, like.DType);

    /// <summary>
    /// One row per label with a 1 in the label's column and 0 elsewhere: shape [labels.Length, <paramref name="classes"/>]
    /// (PyTorch's <c>one_hot</c>). Turns class labels into targets for a loss.
    /// </summary>
    /// <param name="labels">Class indices, each in 0..classes−1.</param>
    /// <param name="classes">The number of classes (columns); positive.</param>
    /// <param name="dtype">The element type of the result; null for <see cref="DefaultDType"/>.</param>
    /// <remarks>Creation, not an op on tensor values: the result is a constant with no derivative.</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classes"/> is not positive, or a label is outside
    /// 0..classes−1, or the result has more values than an array can hold.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="labels"/> is null.</exception>
    public static Tensor OneHot(int[] labels, int classes, DType? dtype = null)
    {
        ArgumentNullException.ThrowIfNull(labels);
        CaptureSession.RefuseHostLabels(nameof(OneHot), labels);
        if (classes <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(classes), $"OneHot: classes {classes} must be positive.");
        }

        if ((long)labels.Length * classes > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(
                nameof(classes), $"OneHot: {labels.Length} labels of {classes} classes are {(long)labels.Length * classes} values, more than an array can hold ({Array.MaxLength}).");
        }

        var values = new double[labels.Length * classes];
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] < 0 || labels[i] >= classes)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(labels), $"OneHot: label {labels[i]} (at position {i}) is out of range for {classes} classes (0..{classes - 1}).");
            }

            values[(i * classes) + labels[i]] = 1.0;
        }

        return new Tensor(values, new Shape(labels.Length, classes)).To(dtype ?? DefaultDType);
    }

    /// <summary>The 1-D tensor <c>start, start + step, ...</c> up to but excluding <paramref name="stop"/> (NumPy's <c>arange</c>), of <paramref name="dtype"/> or else <see cref="DefaultDType"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="step"/> is zero or not finite, <paramref name="start"/> or
    /// <paramref name="stop"/> is not finite, or the range has more values than an array can hold.</exception>
    public static Tensor Arange(double start, double stop, double step = 1.0, DType? dtype = null)
    {
        if (step == 0 || !double.IsFinite(step))
        {
            throw new ArgumentOutOfRangeException(nameof(step), $"Arange: step {step} must be finite and non-zero.");
        }

        if (!double.IsFinite(start) || !double.IsFinite(stop))
        {
            throw new ArgumentOutOfRangeException(
                double.IsFinite(start) ? nameof(stop) : nameof(start), $"Arange: start {start} and stop {stop} must be finite.");
        }

        double steps = Math.Ceiling((stop - start) / step);
        if (steps > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(
                nameof(step), $"Arange: {start} to {stop} by {step} is {steps} values, more than an array can hold ({Array.MaxLength}).");
        }

        int count = Math.Max(0, (int)steps);
        var values = new double[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = start + (i * step);
        }

        return new Tensor(values, new Shape(count)).To(dtype ?? DefaultDType);
    }

    /// <summary>Samples from the normal distribution N(<paramref name="mean"/>, <paramref name="std"/>²), reproducibly for a seed, of <paramref name="dtype"/> or else <see cref="DefaultDType"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="std"/> is negative.</exception>
    public static Tensor RandomNormal(Shape shape, int seed, double mean = 0.0, double std = 1.0, DType? dtype = null)
    {
        CaptureSession.Refuse("RandomNormal draws on the host, and a replay would reuse the draw (make the noise outside the step and pass it in)");

        if (!(std >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(std), $"RandomNormal: std {std} must be non-negative.");
        }

        var random = new Random(seed);
        var values = new double[shape.Size];
        for (int i = 0; i < values.Length; i += 2)
        {
            // Box-Muller: two independent normals from two uniforms; 1 - u keeps the logarithm finite.
            double radius = Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble()));
            double angle = 2.0 * Math.PI * random.NextDouble();
            values[i] = mean + (std * radius * Math.Cos(angle));
            if (i + 1 < values.Length)
            {
                values[i + 1] = mean + (std * radius * Math.Sin(angle));
            }
        }

        return new Tensor(values, shape).To(dtype ?? DefaultDType);
    }

    /// <summary>Samples uniformly from [<paramref name="low"/>, <paramref name="high"/>), reproducibly for a seed, of <paramref name="dtype"/> or else <see cref="DefaultDType"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="high"/> is below <paramref name="low"/>.</exception>
    public static Tensor RandomUniform(Shape shape, int seed, double low = 0.0, double high = 1.0, DType? dtype = null)
    {
        CaptureSession.Refuse("RandomUniform draws on the host, and a replay would reuse the draw (make the noise outside the step and pass it in)");

        if (!(high >= low))
        {
            throw new ArgumentOutOfRangeException(nameof(high), $"RandomUniform: high {high} is below low {low}.");
        }

        var random = new Random(seed);
        var values = new double[shape.Size];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = low + ((high - low) * random.NextDouble());
        }

        return new Tensor(values, shape).To(dtype ?? DefaultDType);
    }

    internal static Array Allocate(DType dtype, int size) => dtype == DType.Float32 ? Allocate<float>(size) : Allocate<double>(size);

    /// <summary>A zeroed array for an op's result: the one allocation point of every kernel's output (pooled during a
    /// training step; see <c>Tape.Pooling.cs</c>). Wrap it in a tensor at once.</summary>
    internal static T[] Allocate<T>(int size)
        where T : unmanaged => Tape.Allocate<T>(size, zeroed: true);

    /// <summary>Like <see cref="Allocate(DType, int)"/>, with unspecified contents: for a kernel that writes every element.</summary>
    internal static Array AllocateUninitialized(DType dtype, int size) =>
        dtype == DType.Float32 ? AllocateUninitialized<float>(size) : AllocateUninitialized<double>(size);

    /// <summary>Like <see cref="Allocate{T}(int)"/>, with unspecified contents: for a kernel that writes every element.</summary>
    internal static T[] AllocateUninitialized<T>(int size)
        where T : unmanaged => Tape.Allocate<T>(size, zeroed: false);

    private static T[] Flatten<T>(T[,] values)
    {
        var flat = new T[values.Length];
        int k = 0;
        foreach (T v in values)
        {
            flat[k++] = v;
        }

        return flat;
    }
}

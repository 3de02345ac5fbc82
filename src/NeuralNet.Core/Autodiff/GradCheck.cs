namespace NeuralNet;

// GradCheck: compares a function's reverse-mode (VJP) and forward-mode (JVP) derivatives with central
// finite differences, in float64. It builds the full Jacobian one column per input element, so it is meant
// for the small inputs of tests, not for production-sized tensors.
public static partial class Autodiff
{
    /// <summary>
    /// Checks <paramref name="f"/>'s derivatives with respect to one input against central finite differences.
    /// </summary>
    /// <param name="f">The function; it must be deterministic and return a Float64 tensor.</param>
    /// <param name="x">The point to check at; it must be Float64.</param>
    /// <param name="tolerance">The largest worst-case error that passes.</param>
    /// <param name="step">The finite-difference step h.</param>
    /// <param name="seed">Seeds the random cotangent and tangent.</param>
    /// <returns>The worst VJP and JVP errors, and whether both are within <paramref name="tolerance"/>.</returns>
    /// <remarks>See the many-input overload for what is computed and the exceptions for broken rules.</remarks>
    /// <exception cref="ArgumentException"><paramref name="x"/> or <paramref name="f"/>'s output is not Float64.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="tolerance"/> is negative or <paramref name="step"/> is not positive.</exception>
    public static GradCheckResult GradCheck(
        Func<Tensor, Tensor> f, Tensor x, double tolerance = 1e-6, double step = 1e-6, int seed = 0) =>
        GradCheck(xs => f(xs[0]), [x], tolerance, step, seed);

    /// <summary>
    /// Checks <paramref name="f"/>'s derivatives with respect to each input against central finite differences.
    /// </summary>
    /// <remarks>
    /// Effectively computes, for each input xᵢ, the Jacobian Jᵢ column by column as
    /// (f(xᵢ + h·eⱼ) − f(xᵢ − h·eⱼ)) / 2h, then compares the VJP uᵀJᵢ from <see cref="Vjp(Func{Tensor[], Tensor}, Tensor[])"/>
    /// (one random cotangent u for all inputs) and the JVP Jᵢvᵢ from <see cref="Jvp(Func{Tensor[], Tensor}, Tensor[], Tensor[])"/>
    /// (a random tangent vᵢ on xᵢ, zero on the others) with the same products of the finite-difference Jacobian.
    /// The error of a pair a, b is |a − b| / max(1, |a|, |b|); the result keeps the worst per input and mode.
    /// NaN anywhere makes the error NaN, and a NaN error fails. The inputs are detached first: f is checked at
    /// their values, and f may itself use the transforms (so grad-of-grad can be checked).
    /// </remarks>
    /// <param name="f">The function; it must be deterministic and return a Float64 tensor.</param>
    /// <param name="inputs">The point to check at; every input must be Float64.</param>
    /// <param name="tolerance">The largest worst-case error that passes.</param>
    /// <param name="step">The finite-difference step h.</param>
    /// <param name="seed">Seeds the random cotangent and tangents.</param>
    /// <returns>The worst errors per input, and whether they are all within <paramref name="tolerance"/>.</returns>
    /// <exception cref="ArgumentException">
    /// An input or <paramref name="f"/>'s output is not Float64, or <paramref name="inputs"/> is empty.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="tolerance"/> is negative or <paramref name="step"/> is not positive.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="f"/> or <paramref name="inputs"/> is null.</exception>
    /// <exception cref="InvalidOperationException">A VJP or JVP has the wrong shape, or f's output shape changes near the point.</exception>
    public static GradCheckResult GradCheck(
        Func<Tensor[], Tensor> f, Tensor[] inputs, double tolerance = 1e-6, double step = 1e-6, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentOutOfRangeException.ThrowIfNegative(tolerance);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(step);
        if (inputs.Length == 0)
        {
            throw new ArgumentException("GradCheck: no inputs to check.", nameof(inputs));
        }

        for (int i = 0; i < inputs.Length; i++)
        {
            if (inputs[i].DType != DType.Float64)
            {
                throw new ArgumentException(
                    $"GradCheck: input {i} ({inputs[i].Shape}) is {inputs[i].DType}; finite differences need Float64 (use To(DType.Float64)).",
                    nameof(inputs));
            }
        }

        Tensor[] point = [.. inputs.Select(x => x.Detach())];
        Tensor value = f(point);
        if (value.DType != DType.Float64)
        {
            throw new ArgumentException($"GradCheck: f returned {value.DType} ({value.Shape}); finite differences need Float64.", nameof(f));
        }

        Tensor u = Tensor.RandomNormal(value.Shape, seed, dtype: DType.Float64);
        Tensor[] vjps = Vjp(f, point).Pullback(u);
        double[] uValues = u.ToArray<double>();

        var vjpErrors = new double[inputs.Length];
        var jvpErrors = new double[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            double[][] columns = JacobianColumns(f, point, value.Shape, i, step);

            // VJP: (uᵀJ)ⱼ = ⟨u, column j⟩.
            double[] vjp = Values(vjps[i], point[i].Shape, $"the VJP for input {i}");
            for (int j = 0; j < columns.Length; j++)
            {
                vjpErrors[i] = Worst(vjpErrors[i], vjp[j], Dot(uValues, columns[j]));
            }

            // JVP: J·v = Σⱼ vⱼ · column j.
            Tensor v = Tensor.RandomNormal(point[i].Shape, seed + 1 + i, dtype: DType.Float64);
            Tensor[] tangents = [.. point.Select((x, k) => k == i ? v : Tensor.ZerosLike(x))];
            double[] jvp = Values(Jvp(f, point, tangents).Tangent, value.Shape, $"the JVP for input {i}");
            double[] vValues = v.ToArray<double>();
            for (int r = 0; r < jvp.Length; r++)
            {
                double expected = 0;
                for (int j = 0; j < columns.Length; j++)
                {
                    expected += vValues[j] * columns[j][r];
                }

                jvpErrors[i] = Worst(jvpErrors[i], jvp[r], expected);
            }
        }

        return new GradCheckResult(vjpErrors, jvpErrors, tolerance);
    }

    /// <summary>Column j of ∂f/∂xᵢ by central differences, one column per element of input i.</summary>
    private static double[][] JacobianColumns(Func<Tensor[], Tensor> f, Tensor[] point, Shape value, int i, double h)
    {
        double[] x = point[i].ToArray<double>();
        var columns = new double[x.Length][];
        for (int j = 0; j < x.Length; j++)
        {
            double[] plus = Shifted(x, j, h);
            double[] minus = Shifted(x, j, -h);
            double[] fPlus = Values(f(With(point, i, ShapedLike(point[i], plus))), value, "f near the point");
            double[] fMinus = Values(f(With(point, i, ShapedLike(point[i], minus))), value, "f near the point");

            // Divide by the step actually taken, which rounding may make differ from 2h.
            double taken = plus[j] - minus[j];
            columns[j] = new double[fPlus.Length];
            for (int r = 0; r < fPlus.Length; r++)
            {
                columns[j][r] = (fPlus[r] - fMinus[r]) / taken;
            }
        }

        return columns;
    }

    private static double[] Shifted(double[] x, int j, double h)
    {
        double[] copy = (double[])x.Clone();
        copy[j] += h;
        return copy;
    }

    // A derivative of the wrong shape is a broken rule: say so rather than compare misaligned elements.
    private static double[] Values(Tensor t, Shape expected, string what) => t.Shape == expected
        ? t.ToArray<double>()
        : throw new InvalidOperationException($"GradCheck: {what} has shape {t.Shape}; expected {expected}.");

    // FromArray with an empty shape means 1-D, so a scalar input would come back as [1]: reshape instead.
    private static Tensor ShapedLike(Tensor like, double[] values) => Tensor.FromArray(values).Reshape(like.Shape);

    private static Tensor[] With(Tensor[] point, int i, Tensor replacement)
    {
        Tensor[] copy = (Tensor[])point.Clone();
        copy[i] = replacement;
        return copy;
    }

    private static double Dot(double[] a, double[] b)
    {
        double sum = 0;
        for (int k = 0; k < a.Length; k++)
        {
            sum += a[k] * b[k];
        }

        return sum;
    }

    // Math.Max propagates NaN, so a NaN derivative is never hidden.
    private static double Worst(double worst, double a, double b) =>
        Math.Max(worst, Math.Abs(a - b) / Math.Max(1.0, Math.Max(Math.Abs(a), Math.Abs(b))));
}

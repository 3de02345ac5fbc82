namespace NeuralNet;

// Full Jacobians, built from the JVP (one column per input element) or the VJP (one row per output element).
// The result has shape output ++ input, as JAX's jacfwd/jacrev. Constant columns and rows are copied straight
// into the result; columns or rows that still carry a derivative (a Jacobian taken inside another transform)
// are assembled with differentiable ops, so Jacobians nest: JacobianForward(x => Grad(f, x), x) is f's Hessian.
public static partial class Autodiff
{
    /// <summary>
    /// The Jacobian ∂f/∂x by forward mode: one <see cref="Jvp(Func{Tensor, Tensor}, Tensor, Tensor)"/> per element
    /// of <paramref name="x"/>, column by column (JAX's <c>jacfwd</c>).
    /// </summary>
    /// <param name="f">The function; it must be deterministic.</param>
    /// <param name="x">The point at which to differentiate.</param>
    /// <returns>
    /// A tensor of shape f(x).Shape ++ x.Shape and f(x)'s dtype: element [i…, j…] is ∂f(x)[i…]/∂x[j…].
    /// </returns>
    /// <remarks>Costs x.Size forward passes (one if x is empty, to learn the output's shape); cheapest when x has
    /// fewer elements than f(x).</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="f"/> or <paramref name="x"/> is null.</exception>
    public static Tensor JacobianForward(Func<Tensor, Tensor> f, Tensor x)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(x);
        return JacobianForward(xs => f(xs[0]), [x])[0];
    }

    /// <summary>
    /// The Jacobians ∂f/∂xᵢ with respect to each input by forward mode: one JVP per element of each input.
    /// </summary>
    /// <param name="f">The function; it must be deterministic.</param>
    /// <param name="xs">The point at which to differentiate.</param>
    /// <returns>One tensor per input, of shape f(xs).Shape ++ xs[i].Shape and f's output dtype.</returns>
    /// <remarks>Costs Σᵢ xs[i].Size forward passes (one if that is zero, to learn the output's shape).</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="f"/>, <paramref name="xs"/> or an input is null.</exception>
    public static Tensor[] JacobianForward(Func<Tensor[], Tensor> f, Tensor[] xs)
    {
        CheckJacobianArguments(nameof(JacobianForward), f, xs);
        var columns = new Tensor[xs.Length][];
        Tensor? value = null;
        for (int i = 0; i < xs.Length; i++)
        {
            columns[i] = new Tensor[xs[i].Size];
            for (int j = 0; j < columns[i].Length; j++)
            {
                var tangents = new Tensor[xs.Length];
                for (int k = 0; k < xs.Length; k++)
                {
                    tangents[k] = k == i ? BasisVector(xs[i].Shape, xs[i].DType, j) : Tensor.ZerosLike(xs[k]);
                }

                (value, columns[i][j]) = Jvp(f, xs, tangents);
            }
        }

        if (xs.Length == 0)
        {
            return [];
        }

        // Every input is empty: no JVP ran, but the (empty) Jacobians still need the output's shape.
        value ??= f(xs);
        var result = new Tensor[xs.Length];
        for (int i = 0; i < xs.Length; i++)
        {
            result[i] = Assemble(columns[i], piecesAreRows: false, value.Shape, xs[i].Shape, value.DType);
        }

        return result;
    }

    /// <summary>
    /// The Jacobian ∂f/∂x by reverse mode: one forward pass, then one pullback of its
    /// <see cref="Vjp(Func{Tensor, Tensor}, Tensor)"/> per element of f(x), row by row (JAX's <c>jacrev</c>).
    /// </summary>
    /// <param name="f">The function; it must be deterministic.</param>
    /// <param name="x">The point at which to differentiate.</param>
    /// <returns>
    /// A tensor of shape f(x).Shape ++ x.Shape and f(x)'s dtype: element [i…, j…] is ∂f(x)[i…]/∂x[j…].
    /// </returns>
    /// <remarks>Costs one forward and f(x).Size backward passes; cheapest when f(x) has fewer elements than x.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="f"/> or <paramref name="x"/> is null.</exception>
    public static Tensor JacobianReverse(Func<Tensor, Tensor> f, Tensor x)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(x);
        return JacobianReverse(xs => f(xs[0]), [x])[0];
    }

    /// <summary>
    /// The Jacobians ∂f/∂xᵢ with respect to each input by reverse mode: one forward pass, then one pullback per
    /// element of the output, each giving a row of every input's Jacobian.
    /// </summary>
    /// <param name="f">The function; it must be deterministic.</param>
    /// <param name="xs">The point at which to differentiate.</param>
    /// <returns>One tensor per input, of shape f(xs).Shape ++ xs[i].Shape and f's output dtype.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="f"/>, <paramref name="xs"/> or an input is null.</exception>
    public static Tensor[] JacobianReverse(Func<Tensor[], Tensor> f, Tensor[] xs)
    {
        CheckJacobianArguments(nameof(JacobianReverse), f, xs);
        var (value, pullback) = Vjp(f, xs);
        return JacobianByRows(value, pullback, xs);
    }

    /// <summary>
    /// The Jacobian ∂f/∂x, by whichever mode needs fewer passes: forward mode (<see cref="JacobianForward(Func{Tensor, Tensor}, Tensor)"/>)
    /// when <paramref name="x"/> has fewer elements than f(x), reverse mode (<see cref="JacobianReverse(Func{Tensor, Tensor}, Tensor)"/>)
    /// otherwise, ties included (as DiffSharp's <c>jacobian</c>).
    /// </summary>
    /// <param name="f">The function; it must be deterministic.</param>
    /// <param name="x">The point at which to differentiate.</param>
    /// <returns>
    /// A tensor of shape f(x).Shape ++ x.Shape and f(x)'s dtype: element [i…, j…] is ∂f(x)[i…]/∂x[j…].
    /// </returns>
    /// <remarks>f is first run once, recorded, to learn the output's size; reverse mode reuses that pass, forward
    /// mode then runs x.Size more.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="f"/> or <paramref name="x"/> is null.</exception>
    public static Tensor Jacobian(Func<Tensor, Tensor> f, Tensor x)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(x);
        return Jacobian(xs => f(xs[0]), [x])[0];
    }

    /// <summary>
    /// The Jacobians ∂f/∂xᵢ with respect to each input, by forward mode when the inputs have fewer elements in
    /// total than the output, by reverse mode otherwise (ties included).
    /// </summary>
    /// <param name="f">The function; it must be deterministic.</param>
    /// <param name="xs">The point at which to differentiate.</param>
    /// <returns>One tensor per input, of shape f(xs).Shape ++ xs[i].Shape and f's output dtype.</returns>
    /// <remarks>f is first run once, recorded, to learn the output's size; reverse mode reuses that pass, forward
    /// mode then runs Σᵢ xs[i].Size more.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="f"/>, <paramref name="xs"/> or an input is null.</exception>
    public static Tensor[] Jacobian(Func<Tensor[], Tensor> f, Tensor[] xs)
    {
        CheckJacobianArguments(nameof(Jacobian), f, xs);
        var (value, pullback) = Vjp(f, xs);
        long inputSize = 0;
        foreach (Tensor x in xs)
        {
            inputSize += x.Size;
        }

        return PrefersForwardMode(inputSize, value.Size) ? JacobianForward(f, xs) : JacobianByRows(value, pullback, xs);
    }

    /// <summary><see cref="Jacobian(Func{Tensor[], Tensor}, Tensor[])"/>'s rule: forward mode only when the inputs are smaller than the output.</summary>
    internal static bool PrefersForwardMode(long inputSize, long outputSize) => inputSize < outputSize;

    private static void CheckJacobianArguments(string op, Func<Tensor[], Tensor> f, Tensor[] xs)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(xs);
        for (int i = 0; i < xs.Length; i++)
        {
            if (xs[i] is null)
            {
                throw new ArgumentNullException(nameof(xs), $"{op}: input {i} is null.");
            }
        }
    }

    /// <summary>Pulls back each basis cotangent of <paramref name="value"/> once: row r of every input's Jacobian.</summary>
    private static Tensor[] JacobianByRows(Tensor value, Func<Tensor, Tensor[]> pullback, Tensor[] xs)
    {
        var rows = new Tensor[xs.Length][];
        for (int i = 0; i < xs.Length; i++)
        {
            rows[i] = new Tensor[value.Size];
        }

        for (int r = 0; r < value.Size; r++)
        {
            Tensor[] cotangents = pullback(BasisVector(value.Shape, value.DType, r));
            for (int i = 0; i < xs.Length; i++)
            {
                rows[i][r] = cotangents[i];
            }
        }

        var result = new Tensor[xs.Length];
        for (int i = 0; i < xs.Length; i++)
        {
            result[i] = Assemble(rows[i], piecesAreRows: true, value.Shape, xs[i].Shape, value.DType);
        }

        return result;
    }

    /// <summary>The one-hot tensor of <paramref name="shape"/> with a 1 at flat (row-major) index <paramref name="index"/>.</summary>
    private static Tensor BasisVector(Shape shape, DType dtype, int index)
    {
        Array data = Tensor.Allocate(dtype, shape.Size);
        if (data is float[] f)
        {
            f[index] = 1;
        }
        else
        {
            ((double[])data)[index] = 1;
        }

        return new Tensor(data, shape);
    }

    /// <summary>
    /// The m×n Jacobian (reshaped to <paramref name="output"/> ++ <paramref name="input"/>) from its n columns (each
    /// of the output's shape) or its m rows (each of the input's shape).
    /// </summary>
    internal static Tensor Assemble(Tensor[] pieces, bool piecesAreRows, Shape output, Shape input, DType dtype)
    {
        CaptureSession.Refuse("a Jacobian or a Hessian is assembled on the host from its rows or columns (HessianVectorProduct, Grad and Jvp replay)");

        int m = output.Size;
        int n = input.Size;
        Shape shape = [.. output.Dimensions, .. input.Dimensions];
        Array data = Tensor.Allocate(dtype, checked(m * n));

        // Row k starts at k·n with stride 1; column k starts at k with stride n.
        int stride = piecesAreRows ? 1 : n;
        List<int>? tracked = null;
        for (int k = 0; k < pieces.Length; k++)
        {
            if (Dispatcher.Strip(pieces[k]).Level is not null)
            {
                (tracked ??= []).Add(k);
                continue;
            }

            int start = piecesAreRows ? k * n : k;
            if (data is float[] f)
            {
                CopyStrided(pieces[k], f, start, stride);
            }
            else
            {
                CopyStrided(pieces[k], (double[])data, start, stride);
            }
        }

        Tensor result = new(data, shape);
        if (tracked is null)
        {
            return result;
        }

        // A piece that carries a derivative enters as an outer product with a basis vector, so the outer
        // transforms see the Jacobian as a function of it: column k is c ⊗ eₖ, row k is eₖ ⊗ r.
        Tensor sum = result.Reshape(m, n);
        foreach (int k in tracked)
        {
            Tensor piece = piecesAreRows ? pieces[k].Reshape(1, n) : pieces[k].Reshape(m, 1);
            Tensor basis = piecesAreRows ? BasisVector([m, 1], dtype, k) : BasisVector([1, n], dtype, k);
            sum += piece * basis;
        }

        return sum.Reshape(shape);
    }

    private static void CopyStrided<T>(Tensor piece, T[] destination, int start, int stride)
        where T : System.Numerics.INumberBase<T>
    {
        // A piece of another dtype (the zero derivative of an input f does not depend on) is converted.
        T[] values = piece.Data as T[] ?? piece.ToArray<T>();
        for (int e = 0; e < values.Length; e++)
        {
            destination[start + (e * stride)] = values[e];
        }
    }
}

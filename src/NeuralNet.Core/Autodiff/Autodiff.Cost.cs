namespace NeuralNet;

// The cost report: f, its JVP and its VJP evaluated once each, with every op the dispatcher runs counted.
public static partial class Autodiff
{
    /// <summary>
    /// The FLOPs and bytes moved, op by op and in total, of f(x), of its JVP (forward mode, one tangent) and of its VJP
    /// (reverse mode, one cotangent), counted from the ops that actually run: the lecture notes' claim that a derivative
    /// costs a small constant times the function, measured.
    /// </summary>
    /// <remarks>
    /// <para>Each evaluation runs once, in this order: f plainly; <see cref="Jvp(Func{Tensor, Tensor}, Tensor, Tensor)"/>
    /// with a tangent of ones; <see cref="Vjp(Func{Tensor, Tensor}, Tensor)"/> and its pullback of a cotangent of ones
    /// (the counts do not depend on those values). A derivative's phase includes the ops of f it re-runs, so
    /// <see cref="CostReport.JvpRatio"/> and <see cref="CostReport.VjpRatio"/> compare the cost of f with its derivative
    /// to the cost of f alone.</para>
    /// <para>FLOP conventions: element-wise add, subtract, multiply, divide and negate are one FLOP per output element;
    /// exp, log, sqrt, tanh, sigmoid and the other element-wise functions (selections such as ReLU, maximum and where
    /// included) are counted as one FLOP each, as the notes do. A matrix product [m,k]·[k,n] is 2mkn per batch entry, and
    /// so is <see cref="Tensor.Linear"/> (its kernel starts each sum from the bias, so the bias adds none), plus one per
    /// output element for the ReLU of <c>LinearRelu</c>, the op <c>Sequential</c> runs for a Dense then a ReLU; a dot product
    /// of length n is 2n. A reduction of n elements to one (sum, max, min) is n − 1. Shape and data-movement ops
    /// (reshape, permute, broadcast, slice, pad, gather, concatenate, indexing, casts, unfold and max pooling's gather) are 0;
    /// a scatter-add (fold and max pooling's scatter included) is one per input element; max pooling is one per output element. Fused kernels count their passes per input element: softmax and log-softmax 5, log-sum-exp and
    /// softmax cross-entropy 4, the cross-entropy gradient 6; the tanh and sigmoid gradients 3, the ReLU gradient 1.
    /// A custom op counts the ops its forward runs.</para>
    /// <para>Bytes moved: each input's elements read once and the output's written once, times the element size;
    /// a reshape, which shares its input's values, moves none.</para>
    /// <para>Ops are observed on the calling thread only, through a hook in the dispatcher that costs one thread-static
    /// check when no report is being taken.</para>
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="f"/> or <paramref name="x"/> is null.</exception>
    public static CostReport Cost(Func<Tensor, Tensor> f, Tensor x)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(x);
        return Cost(xs => f(xs[0]), [x]);
    }

    /// <summary>
    /// The cost report of a function of several inputs: its JVP carries one tangent per input and its VJP returns one
    /// cotangent per input (so a weight passed as an input gets its gradient's ops counted).
    /// </summary>
    /// <inheritdoc cref="Cost(Func{Tensor, Tensor}, Tensor)" path="/remarks"/>
    /// <exception cref="ArgumentNullException"><paramref name="f"/> or <paramref name="xs"/> is null.</exception>
    public static CostReport Cost(Func<Tensor[], Tensor> f, Tensor[] xs)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(xs);
        Tensor[] tangents = [.. xs.Select(Tensor.OnesLike)];
        IReadOnlyList<CostRow> rows = CostObserver.Observe(observer =>
        {
            observer.Phase = CostPhase.Function;
            f(xs);

            observer.Phase = CostPhase.Jvp;
            Jvp(f, xs, tangents);

            observer.Phase = CostPhase.Vjp;
            var (value, pullback) = Vjp(f, xs);
            observer.Step = CostStep.Adjoint;
            pullback(Tensor.OnesLike(value));
        });
        return new CostReport(rows);
    }
}

namespace NeuralNet;

/// <summary>
/// Function transforms in the style of JAX: gradients, vector-Jacobian and Jacobian-vector products of plain
/// C# functions of tensors. Transforms nest: <c>Autodiff.Grad(x =&gt; Autodiff.Grad(f, x), x)</c> is f″.
/// </summary>
public static partial class Autodiff
{
    /// <summary>
    /// A scope in which ops compute plain values: nothing is recorded on any tape and no tangent is carried
    /// (PyTorch's <c>torch.no_grad()</c>). Dispose it to restore the previous mode.
    /// </summary>
    public static IDisposable NoGrad() => GradMode.Disable();

    /// <summary>
    /// A scope in which every op checks its result: an op that turns finite inputs into NaN or ∞ throws an
    /// <see cref="ArithmeticException"/> naming itself, its input shapes and, in a backward pass, the op whose
    /// derivative was being computed (PyTorch's <c>torch.autograd.detect_anomaly()</c>). It costs a scan of every
    /// input and output, so use it to debug, not to train. Dispose it to turn checking off.
    /// </summary>
    public static IDisposable DetectAnomalies() => AnomalyMode.Enable();

    /// <summary>Whether ops currently record and carry derivatives (false inside <see cref="NoGrad"/>).</summary>
    public static bool IsGradEnabled => GradMode.IsEnabled;

    /// <summary>∇f(x) for a scalar-valued <paramref name="f"/>, by reverse mode.</summary>
    /// <exception cref="ArgumentException"><paramref name="f"/> does not return a one-element tensor.</exception>
    public static Tensor Grad(Func<Tensor, Tensor> f, Tensor x) => ValueAndGrad(f, x).Gradient;

    /// <summary>The gradients of a scalar-valued <paramref name="f"/> with respect to each of its inputs.</summary>
    /// <exception cref="ArgumentException"><paramref name="f"/> does not return a one-element tensor.</exception>
    public static Tensor[] Grad(Func<Tensor[], Tensor> f, Tensor[] xs) => ValueAndGrad(f, xs).Gradients;

    /// <summary>f(x) and ∇f(x) in one forward and one backward pass.</summary>
    /// <exception cref="ArgumentException"><paramref name="f"/> does not return a one-element tensor.</exception>
    public static (Tensor Value, Tensor Gradient) ValueAndGrad(Func<Tensor, Tensor> f, Tensor x)
    {
        var (value, gradients) = ValueAndGrad(xs => f(xs[0]), [x]);
        return (value, gradients[0]);
    }

    /// <summary>f(x₁, …, xₙ) and its gradient with respect to each input.</summary>
    /// <exception cref="ArgumentException"><paramref name="f"/> does not return a one-element tensor.</exception>
    public static (Tensor Value, Tensor[] Gradients) ValueAndGrad(Func<Tensor[], Tensor> f, Tensor[] xs)
    {
        var (value, pullback) = Vjp(f, xs);
        if (value.Size != 1)
        {
            throw new ArgumentException(
                $"Grad: the function returned shape {value.Shape}; a gradient needs a one-element output (use Vjp for others).", nameof(f));
        }

        return (value, pullback(Tensor.OnesLike(value)));
    }

    /// <summary>
    /// f(x) and its pullback: a function from a cotangent u of f(x)'s shape to uᵀ·J, the vector-Jacobian
    /// product (one row of the Jacobian per basis vector u).
    /// </summary>
    public static (Tensor Value, Func<Tensor, Tensor> Pullback) Vjp(Func<Tensor, Tensor> f, Tensor x)
    {
        var (value, pullback) = Vjp(xs => f(xs[0]), [x]);
        return (value, u => pullback(u)[0]);
    }

    /// <summary>f(x₁, …, xₙ) and its pullback, which maps a cotangent of the output to one cotangent per input.</summary>
    public static (Tensor Value, Func<Tensor, Tensor[]> Pullback) Vjp(Func<Tensor[], Tensor> f, Tensor[] xs)
    {
        var tape = Tape.RecordWatchedOnly();
        Tensor output;
        Node[] leaves;
        try
        {
            var watched = new Tensor[xs.Length];
            leaves = new Node[xs.Length];
            for (int i = 0; i < xs.Length; i++)
            {
                watched[i] = tape.Watch(xs[i]);
                leaves[i] = watched[i].Node!;
            }

            output = Dispatcher.Strip(f(watched));
        }
        finally
        {
            // The tape stays readable for the pullback, but records nothing more.
            tape.StopRecording();
        }

        Tensor value = Dispatcher.PrimalAt(output, tape.Level);
        return (value, u => tape.Pullback("Vjp pullback", output, leaves, Tape.Seed(nameof(Vjp), value, u), createGraph: false));
    }

    /// <summary>f(x) and the Jacobian-vector product J·v, in one forward pass (forward mode).</summary>
    /// <exception cref="ArgumentException"><paramref name="v"/>'s shape or dtype differs from <paramref name="x"/>'s.</exception>
    public static (Tensor Value, Tensor Tangent) Jvp(Func<Tensor, Tensor> f, Tensor x, Tensor v) =>
        Jvp(xs => f(xs[0]), [x], [v]);

    /// <summary>f(x₁, …, xₙ) and Σᵢ Jᵢ·vᵢ, in one forward pass (forward mode).</summary>
    /// <exception cref="ArgumentException">The inputs and tangents differ in number, shape or dtype.</exception>
    public static (Tensor Value, Tensor Tangent) Jvp(Func<Tensor[], Tensor> f, Tensor[] xs, Tensor[] vs)
    {
        using var dual = DualLevel.Enter();
        return dual.Unpack(f(dual.MakeDuals(nameof(Jvp), xs, vs)));
    }
}

namespace NeuralNet;

// Transforms of functions of two and three tensors, typed by arity. A lambda's parameter count picks the
// overload, so `v => v.Max()` can only mean the one-input form, and a function of a list (the Tensor[] forms,
// which take an array, never params) is chosen only by passing an array: no call silently means another.
public static partial class Autodiff
{
    /// <summary>The gradients of a scalar-valued <paramref name="f"/> with respect to both of its inputs.</summary>
    /// <exception cref="ArgumentException"><paramref name="f"/> does not return a one-element tensor.</exception>
    public static (Tensor X, Tensor Y) Grad(Func<Tensor, Tensor, Tensor> f, Tensor x, Tensor y) =>
        ValueAndGrad(f, x, y).Gradients;

    /// <summary>The gradients of a scalar-valued <paramref name="f"/> with respect to each of its three inputs.</summary>
    /// <exception cref="ArgumentException"><paramref name="f"/> does not return a one-element tensor.</exception>
    public static (Tensor X, Tensor Y, Tensor Z) Grad(Func<Tensor, Tensor, Tensor, Tensor> f, Tensor x, Tensor y, Tensor z) =>
        ValueAndGrad(f, x, y, z).Gradients;

    /// <summary>f(x, y) and its gradient with respect to each input, in one forward and one backward pass.</summary>
    /// <exception cref="ArgumentException"><paramref name="f"/> does not return a one-element tensor.</exception>
    public static (Tensor Value, (Tensor X, Tensor Y) Gradients) ValueAndGrad(Func<Tensor, Tensor, Tensor> f, Tensor x, Tensor y)
    {
        ArgumentNullException.ThrowIfNull(f);
        var (value, g) = ValueAndGrad(xs => f(xs[0], xs[1]), [x, y]);
        return (value, (g[0], g[1]));
    }

    /// <summary>f(x, y, z) and its gradient with respect to each input, in one forward and one backward pass.</summary>
    /// <exception cref="ArgumentException"><paramref name="f"/> does not return a one-element tensor.</exception>
    public static (Tensor Value, (Tensor X, Tensor Y, Tensor Z) Gradients) ValueAndGrad(
        Func<Tensor, Tensor, Tensor, Tensor> f, Tensor x, Tensor y, Tensor z)
    {
        ArgumentNullException.ThrowIfNull(f);
        var (value, g) = ValueAndGrad(xs => f(xs[0], xs[1], xs[2]), [x, y, z]);
        return (value, (g[0], g[1], g[2]));
    }

    /// <summary>f(x, y) and its pullback, which maps a cotangent of the output to the cotangents of x and y.</summary>
    public static (Tensor Value, Func<Tensor, (Tensor X, Tensor Y)> Pullback) Vjp(Func<Tensor, Tensor, Tensor> f, Tensor x, Tensor y)
    {
        ArgumentNullException.ThrowIfNull(f);
        var (value, pullback) = Vjp(xs => f(xs[0], xs[1]), [x, y]);
        return (value, u =>
        {
            Tensor[] g = pullback(u);
            return (g[0], g[1]);
        });
    }

    /// <summary>f(x, y, z) and its pullback, which maps a cotangent of the output to the cotangents of x, y and z.</summary>
    public static (Tensor Value, Func<Tensor, (Tensor X, Tensor Y, Tensor Z)> Pullback) Vjp(
        Func<Tensor, Tensor, Tensor, Tensor> f, Tensor x, Tensor y, Tensor z)
    {
        ArgumentNullException.ThrowIfNull(f);
        var (value, pullback) = Vjp(xs => f(xs[0], xs[1], xs[2]), [x, y, z]);
        return (value, u =>
        {
            Tensor[] g = pullback(u);
            return (g[0], g[1], g[2]);
        });
    }

    /// <summary>The cost report of f(x, y): its JVP carries a tangent for each input and its VJP a cotangent for each.</summary>
    /// <inheritdoc cref="Cost(Func{Tensor, Tensor}, Tensor)" path="/remarks"/>
    /// <exception cref="ArgumentNullException"><paramref name="f"/>, <paramref name="x"/> or <paramref name="y"/> is null.</exception>
    public static CostReport Cost(Func<Tensor, Tensor, Tensor> f, Tensor x, Tensor y)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        return Cost(xs => f(xs[0], xs[1]), [x, y]);
    }
}

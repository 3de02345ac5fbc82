namespace NeuralNet;

// Second-order transforms, built by nesting first-order ones (forward-over-reverse, as JAX's hvp and hessian).
public static partial class Autodiff
{
    /// <summary>
    /// The Hessian-vector product ∇²f(x)·v of a scalar-valued <paramref name="f"/>, by forward-over-reverse: the
    /// JVP of the gradient along <paramref name="v"/>. It costs a small constant times one gradient and never
    /// forms the Hessian.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="f"/> does not return a one-element tensor, or
    /// <paramref name="v"/>'s shape or dtype differs from <paramref name="x"/>'s.</exception>
    public static Tensor HessianVectorProduct(Func<Tensor, Tensor> f, Tensor x, Tensor v) =>
        HessianVectorProduct(xs => f(xs[0]), [x], [v])[0];

    /// <summary>
    /// The Hessian-vector products of a scalar-valued <paramref name="f"/> of several inputs: for tangents vⱼ,
    /// the i-th result is Σⱼ ∂²f/∂xᵢ∂xⱼ · vⱼ (forward-over-reverse).
    /// </summary>
    /// <exception cref="ArgumentException">The inputs and tangents differ in number, shape or dtype, or
    /// <paramref name="f"/> does not return a one-element tensor.</exception>
    public static Tensor[] HessianVectorProduct(Func<Tensor[], Tensor> f, Tensor[] xs, Tensor[] vs)
    {
        using var dual = DualLevel.Enter();
        Tensor[] gradients = Grad(f, dual.MakeDuals(nameof(HessianVectorProduct), xs, vs));
        var products = new Tensor[gradients.Length];
        for (int i = 0; i < gradients.Length; i++)
        {
            products[i] = dual.Unpack(gradients[i]).Tangent;
        }

        return products;
    }

    /// <summary>
    /// The Hessian ∇²f(x) of a scalar-valued <paramref name="f"/>, of shape x.Shape ++ x.Shape: the forward-mode
    /// Jacobian of the gradient (one Hessian-vector product per element of x).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="f"/> does not return a one-element tensor.</exception>
    public static Tensor Hessian(Func<Tensor, Tensor> f, Tensor x) => JacobianForward(u => Grad(f, u), x);
}

namespace NeuralNet.Layers;

/// <summary>Weight penalties to add to a loss: L1 (lasso) and L2 (ridge, weight decay).</summary>
public static class Regularization
{
    /// <summary>The L1 penalty λ·Σ|w| over every element of every parameter.</summary>
    /// <param name="parameters">The parameters to penalise (e.g. <c>model.Parameters</c>, or only the weights).</param>
    /// <param name="lambda">The strength λ; finite and non-negative.</param>
    /// <returns>A scalar tensor (rank 0) of the parameters' dtype; Float32 zero when there are none.</returns>
    /// <remarks>∂/∂w = λ·sign(w) (0 at w = 0).</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lambda"/> is negative or not finite.</exception>
    /// <exception cref="ArgumentException">The parameters have different dtypes.</exception>
    public static Tensor L1(IEnumerable<Parameter> parameters, double lambda) =>
        Penalty(nameof(L1), parameters, lambda, p => p.Abs().Sum());

    /// <summary>The L2 penalty λ·Σw² over every element of every parameter, without a factor ½.</summary>
    /// <param name="parameters">The parameters to penalise.</param>
    /// <param name="lambda">The strength λ; finite and non-negative.</param>
    /// <returns>A scalar tensor (rank 0) of the parameters' dtype; Float32 zero when there are none.</returns>
    /// <remarks>
    /// ∂/∂w = 2λ·w. With no ½, gradient descent at rate η shrinks each weight by the factor (1 − 2ηλ) per step;
    /// an optimizer's <c>weight_decay</c> d corresponds to λ = d/2.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lambda"/> is negative or not finite.</exception>
    /// <exception cref="ArgumentException">The parameters have different dtypes.</exception>
    public static Tensor L2(IEnumerable<Parameter> parameters, double lambda) =>
        Penalty(nameof(L2), parameters, lambda, p => p.Square().Sum());

    private static Tensor Penalty(string name, IEnumerable<Parameter> parameters, double lambda, Func<Tensor, Tensor> term)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(lambda >= 0) || double.IsInfinity(lambda))
        {
            throw new ArgumentOutOfRangeException(nameof(lambda), $"Regularization.{name}: lambda {lambda} must be finite and non-negative.");
        }

        Tensor? total = null;
        foreach (Parameter p in parameters)
        {
            if (total is not null && total.DType != p.DType)
            {
                throw new ArgumentException(
                    $"Regularization.{name}: parameter {p} is {p.DType}, but earlier parameters are {total.DType}.", nameof(parameters));
            }

            total = total is null ? term(p) : total + term(p);
        }

        return total is null ? Tensor.Scalar(0.0) : total * lambda;
    }
}

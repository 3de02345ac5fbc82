using System.Numerics;

namespace NeuralNet.Optimizers;

/// <summary>
/// Clips accumulated gradients between the backward pass and the optimizer's step, as PyTorch's
/// <c>torch.nn.utils.clip_grad_norm_</c> and <c>clip_grad_value_</c> do. Parameters whose <see cref="Parameter.Grad"/>
/// is null are skipped.
/// </summary>
/// <remarks>
/// A gradient in the parameter's own accumulation buffer is rewritten in place; one you assigned yourself is replaced
/// by a new tensor, never written into. Norms are accumulated in double precision.
/// </remarks>
public static class GradientClipping
{
    // PyTorch's guard against dividing by a zero norm.
    private const double Guard = 1e-6;

    /// <summary>
    /// Scales all gradients together so that their total norm is at most <paramref name="maxNorm"/>: the norm of the
    /// vector of every parameter's gradient, each gradient multiplied by min(1, maxNorm / (norm + 10⁻⁶)).
    /// </summary>
    /// <param name="parameters">The parameters whose gradients to clip (e.g. <c>model.Parameters</c>).</param>
    /// <param name="maxNorm">The largest total norm allowed, ≥ 0.</param>
    /// <param name="normType">The order p of the norm: any p &gt; 0, or <see cref="double.PositiveInfinity"/> for the
    /// largest absolute element. Default 2.</param>
    /// <param name="errorIfNonfinite">Throw when the total norm is NaN or infinite instead of scaling by a NaN or zero
    /// coefficient (PyTorch's <c>error_if_nonfinite</c>).</param>
    /// <returns>The total norm before clipping, as <c>clip_grad_norm_</c> returns it.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxNorm"/> is negative or NaN, or
    /// <paramref name="normType"/> is not positive.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="errorIfNonfinite"/> is set and the total norm is not
    /// finite; no gradient changes.</exception>
    public static double ClipNorm(IEnumerable<Parameter> parameters, double maxNorm, double normType = 2, bool errorIfNonfinite = false)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(maxNorm >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, $"GradientClipping.ClipNorm: maxNorm {Hyperparameter.Format(maxNorm)} must be non-negative.");
        }

        if (!(normType > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(normType), normType, $"GradientClipping.ClipNorm: normType {Hyperparameter.Format(normType)} must be positive (or infinity).");
        }

        Parameter?[] all = [.. parameters];
        return CaptureSession.Current is null
            ? ClipNormNow(all, maxNorm, normType, errorIfNonfinite)
            : ClipNormAtEveryReplay(all, maxNorm, normType, errorIfNonfinite);
    }

    /// <summary>A captured step clips again at every replay, by the norm of that replay's gradients; a method of its own, so
    /// that an ordinary call makes no closure.</summary>
    private static double ClipNormAtEveryReplay(Parameter?[] parameters, double maxNorm, double normType, bool errorIfNonfinite)
    {
        double total = 0;
        CaptureSession.RunRecorded(() => total = ClipNormNow(parameters, maxNorm, normType, errorIfNonfinite));
        return total;
    }

    // Over an array with the parameters without a gradient skipped in place: a replay's clipping allocates nothing.
    private static double ClipNormNow(Parameter?[] parameters, double maxNorm, double normType, bool errorIfNonfinite)
    {
        double total = TotalNorm(parameters, normType);
        if (errorIfNonfinite && !double.IsFinite(total))
        {
            throw new InvalidOperationException(
                $"GradientClipping.ClipNorm: the total norm of order {Hyperparameter.Format(normType)} of the gradients is {Hyperparameter.Format(total)}; no gradient was changed.");
        }

        double coefficient = maxNorm / (total + Guard);
        if (!(coefficient >= 1))
        {
            foreach (Parameter? parameter in parameters)
            {
                if (parameter?.Grad is not null)
                {
                    parameter.ScaleGrad(coefficient);
                }
            }
        }

        return total;
    }

    /// <summary>Clamps every element of every gradient to [−<paramref name="clipValue"/>, <paramref name="clipValue"/>].</summary>
    /// <param name="parameters">The parameters whose gradients to clip.</param>
    /// <param name="clipValue">The largest absolute value allowed, ≥ 0.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="clipValue"/> is negative or NaN.</exception>
    public static void ClipValue(IEnumerable<Parameter> parameters, double clipValue)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(clipValue >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(clipValue), clipValue, $"GradientClipping.ClipValue: clipValue {Hyperparameter.Format(clipValue)} must be non-negative.");
        }

        Parameter?[] all = [.. parameters];
        if (CaptureSession.Current is null)
        {
            ClampAll(all, clipValue);
        }
        else
        {
            ClampAtEveryReplay(all, clipValue);
        }
    }

    /// <summary>A captured step clamps again at every replay; a method of its own, so that an ordinary call makes no closure.</summary>
    private static void ClampAtEveryReplay(Parameter?[] parameters, double clipValue) => CaptureSession.RunRecorded(() => ClampAll(parameters, clipValue));

    private static void ClampAll(Parameter?[] parameters, double clipValue)
    {
        foreach (Parameter? parameter in parameters)
        {
            parameter?.ClampGrad(clipValue);
        }
    }

    /// <summary>‖(‖g₁‖_p, ‖g₂‖_p, …)‖_p, which is the p-norm of all gradients seen as one vector.</summary>
    private static double TotalNorm(Parameter?[] parameters, double p)
    {
        double total = 0;
        foreach (Parameter? parameter in parameters)
        {
            if (parameter?.Grad is not { } gradient)
            {
                continue;
            }

            double norm = gradient.DType == DType.Float32 ? Norm(gradient.Values<float>(), p) : Norm(gradient.Values<double>(), p);
            total = double.IsPositiveInfinity(p) ? Math.Max(total, norm) : total + Power(norm, p);
        }

        return double.IsPositiveInfinity(p) ? total : Root(total, p);
    }

    private static double Norm<T>(ReadOnlySpan<T> values, double p)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (values.IsEmpty)
        {
            return 0;
        }

        if (double.IsPositiveInfinity(p))
        {
            return double.CreateChecked(T.Abs(TP.MaxMagnitude(values)));
        }

        if (p == 2)
        {
            return double.CreateChecked(TP.Norm(values));
        }

        if (p == 1)
        {
            return double.CreateChecked(TP.SumOfMagnitudes(values));
        }

        double sum = 0;
        foreach (T value in values)
        {
            sum += Math.Pow(Math.Abs(double.CreateChecked(value)), p);
        }

        return Root(sum, p);
    }

    private static double Power(double norm, double p) => p == 1 ? norm : p == 2 ? norm * norm : Math.Pow(norm, p);

    private static double Root(double sum, double p) => p == 1 ? sum : p == 2 ? Math.Sqrt(sum) : Math.Pow(sum, 1 / p);
}

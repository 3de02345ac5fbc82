using System.Globalization;

namespace NeuralNet.Layers;

/// <summary>
/// The batch normalisation shared by <see cref="BatchNorm1d"/> and <see cref="BatchNorm2d"/>, PyTorch's
/// <c>_BatchNorm</c>: y = (x − E[x]) / √(Var[x] + ε) · γ + β per channel (axis 1), with E and Var taken over every
/// other axis. In training mode E and Var are the batch's mean and biased variance; in evaluation mode they are the
/// running statistics. The sealed subclasses differ only in the input ranks they accept.
/// </summary>
/// <remarks>
/// <para>Registers "weight" (γ, ones), then "bias" (β, zeros) when <see cref="Affine"/>, and the buffers
/// "running_mean" (zeros), "running_var" (ones) and "num_batches_tracked" (a Float64 scalar 0) when
/// <see cref="TrackRunningStats"/>: checkpoints save them under PyTorch's <c>state_dict</c> keys.</para>
/// <para>Each training-mode forward updates, with m the momentum and n the number of values per channel,
/// running_mean ← (1 − m)·running_mean + m·mean and running_var ← (1 − m)·running_var + m·var·n/(n − 1) (the
/// unbiased variance), and adds 1 to num_batches_tracked. The update runs without gradients and writes the
/// buffers in place, so it is never recorded and never holds a step's buffers.</para>
/// <para>Without running statistics the batch statistics are used in evaluation mode too, as in PyTorch.</para>
/// </remarks>
public abstract class BatchNorm : Module
{
    // Private protected: the accepted ranks and their messages are the subclasses' only business, and ONNX export
    // knows each of them by type.
    private protected BatchNorm(int features, double eps, double momentum, bool affine, bool trackRunningStats, DType? dtype)
    {
        string layer = GetType().Name;
        if (features <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(features), features, $"{layer}: features = {features} must be positive.");
        }

        if (!(eps >= 0.0))
        {
            throw new ArgumentOutOfRangeException(nameof(eps), eps, $"{layer}: eps = {eps.ToString(CultureInfo.InvariantCulture)} must be non-negative.");
        }

        if (!(momentum is >= 0.0 and <= 1.0))
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, $"{layer}: momentum = {momentum.ToString(CultureInfo.InvariantCulture)} is not in [0, 1].");
        }

        Features = features;
        Eps = eps;
        Momentum = momentum;
        DType = dtype ?? Tensor.DefaultDType;
        var shape = new Shape(features);
        if (affine)
        {
            Weight = RegisterParameter("weight", new Parameter(Tensor.Ones(shape, DType), "weight"));
            Bias = RegisterParameter("bias", new Parameter(Tensor.Zeros(shape, DType), "bias"));
        }

        if (trackRunningStats)
        {
            RunningMean = RegisterBuffer("running_mean", Tensor.Zeros(shape, DType));
            RunningVar = RegisterBuffer("running_var", Tensor.Ones(shape, DType));

            // PyTorch keeps an int64; a Float64 counts exactly to 2⁵³ batches, and checkpoints hold only floats.
            NumBatchesTracked = RegisterBuffer("num_batches_tracked", Tensor.Zeros(Shape.ScalarShape, DType.Float64));
        }
    }

    /// <summary>The number of channels C.</summary>
    public int Features { get; }

    /// <summary>The ε added to the variance.</summary>
    public double Eps { get; }

    /// <summary>The weight of each new batch in the running averages.</summary>
    public double Momentum { get; }

    /// <summary>The element type of the parameters and running statistics.</summary>
    public DType DType { get; }

    /// <summary>Whether γ and β are learned.</summary>
    public bool Affine => Weight is not null;

    /// <summary>Whether running statistics are kept.</summary>
    public bool TrackRunningStats => RunningMean is not null;

    /// <summary>γ, shape [C], or null without an affine transform.</summary>
    public Parameter? Weight { get; }

    /// <summary>β, shape [C], or null without an affine transform.</summary>
    public Parameter? Bias { get; }

    /// <summary>The buffer "running_mean", shape [C], updated in place; null without running statistics.</summary>
    public Tensor? RunningMean { get; }

    /// <summary>The buffer "running_var" (of the unbiased batch variances), shape [C], updated in place; null without running statistics.</summary>
    public Tensor? RunningVar { get; }

    /// <summary>The buffer "num_batches_tracked", a Float64 scalar counting training-mode forwards; null without running statistics.</summary>
    public Tensor? NumBatchesTracked { get; }

    /// <summary>The input shapes the layer accepts, for messages, e.g. "[N, 3] or [N, 3, L]".</summary>
    private protected abstract string ExpectedInputs { get; }

    /// <summary>Normalises <paramref name="input"/> per channel; in training mode also updates the running statistics.</summary>
    /// <param name="input">Of a rank the layer accepts, with <see cref="Features"/> channels on axis 1; in training mode
    /// more than one value per channel.</param>
    /// <returns>Shape of <paramref name="input"/>.</returns>
    /// <exception cref="ArgumentException">The shape or dtype does not fit, or training mode has one value per channel.</exception>
    public sealed override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!AcceptsRank(input.Rank) || input.Shape[1] != Features)
        {
            throw new ArgumentException($"{this}: input {input.Shape} is not {ExpectedInputs}.", nameof(input));
        }

        if (input.DType != DType)
        {
            throw new ArgumentException($"{this}: input {input.Shape} is {input.DType}; the layer's parameters are {DType}.", nameof(input));
        }

        int count = input.Size / Features;
        if (IsTraining && count <= 1)
        {
            throw new ArgumentException(
                $"{this}: expected more than 1 value per channel when training, got input {input.Shape}; use a batch of at least 2, or Eval().", nameof(input));
        }

        if (!IsTraining && RunningMean is not null && RunningVar is not null)
        {
            Shape channels = ChannelShape(input);
            return Normalize(input, RunningMean.Reshape(channels), RunningVar.Reshape(channels), Weight, Bias, Eps);
        }

        int[] axes = ReductionAxes(input);
        Tensor mean = input.Mean(axes, keepDims: true);
        Tensor variance = input.Variance(axes, keepDims: true, correction: 0);
        if (IsTraining)
        {
            UpdateRunningStats(mean, variance, count);
        }

        return Normalize(input, mean, variance, Weight, Bias, Eps);
    }

    /// <summary>The settings, e.g. <c>BatchNorm2d(features=4, eps=1E-05, momentum=0.1, affine=true, trackRunningStats=true)</c>.</summary>
    public sealed override string ToString() =>
        $"{GetType().Name}(features={Features}, eps={Eps.ToString(CultureInfo.InvariantCulture)}, momentum={Momentum.ToString(CultureInfo.InvariantCulture)}, " +
        $"affine={(Affine ? "true" : "false")}, trackRunningStats={(TrackRunningStats ? "true" : "false")})";

    /// <summary>Whether an input of rank <paramref name="rank"/> is one the layer normalises.</summary>
    private protected abstract bool AcceptsRank(int rank);

    /// <summary>Normalises by the batch mean and biased variance per channel: the subclasses' static <c>Apply</c>, once
    /// they have checked the rank.</summary>
    private protected static Tensor NormalizeByBatch(Tensor input, Tensor? weight, Tensor? bias, double eps)
    {
        int[] axes = ReductionAxes(input);
        return Normalize(input, input.Mean(axes, keepDims: true), input.Variance(axes, keepDims: true, correction: 0), weight, bias, eps);
    }

    // Every axis but the channel axis 1: statistics are per channel.
    private static int[] ReductionAxes(Tensor input) => [0, .. Enumerable.Range(2, input.Rank - 2)];

    // [C] broadcasts against [N, C]; [C, 1] against [N, C, L]; [C, 1, 1] against [N, C, H, W].
    private static Shape ChannelShape(Tensor input) => new([input.Shape[1], .. Enumerable.Repeat(1, input.Rank - 2)]);

    private static Tensor Normalize(Tensor input, Tensor mean, Tensor variance, Tensor? weight, Tensor? bias, double eps)
    {
        Tensor normalized = (input - mean) / (variance + eps).Sqrt();
        Shape channels = ChannelShape(input);
        if (weight is not null)
        {
            normalized *= weight.Reshape(channels);
        }

        return bias is null ? normalized : normalized + bias.Reshape(channels);
    }

    private void UpdateRunningStats(Tensor mean, Tensor variance, int count)
    {
        if (RunningMean is null || RunningVar is null || NumBatchesTracked is null)
        {
            return;
        }

        // Not differentiated and not recorded: the new values are computed from detached statistics and copied into
        // the buffers' own storage, so nothing of the step's (pooled) memory is kept.
        using (Autodiff.NoGrad())
        {
            Tensor batchMean = mean.Detach().Reshape(RunningMean.Shape);
            Tensor unbiased = variance.Detach().Reshape(RunningVar.Shape) * ((double)count / (count - 1));
            AssignBuffer("running_mean", (RunningMean * (1.0 - Momentum)) + (batchMean * Momentum));
            AssignBuffer("running_var", (RunningVar * (1.0 - Momentum)) + (unbiased * Momentum));
            AssignBuffer("num_batches_tracked", NumBatchesTracked + 1.0);
        }
    }
}

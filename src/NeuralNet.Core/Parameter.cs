namespace NeuralNet;

/// <summary>
/// A trainable tensor: every <see cref="Tape.Record"/> tape watches it, and <see cref="Tape.Backward"/> adds its
/// gradient into <see cref="Grad"/>. Optimizers update its values in place.
/// </summary>
public sealed class Parameter : Tensor
{
    /// <summary>Creates a parameter holding a copy of <paramref name="value"/>'s values.</summary>
    /// <param name="value">The initial value.</param>
    /// <param name="name">An optional name, shown by <see cref="ToString"/> and used in checkpoints.</param>
    public Parameter(Tensor value, string? name = null)
        : base(new Storage((Array)value.Data.Clone()), value.Shape)
    {
        Name = name;
        Storage!.Owner = this;
    }

    /// <summary>The name given at construction, if any.</summary>
    public string? Name { get; }

    /// <summary>The accumulated gradient, or null before the first backward pass and after <see cref="ZeroGrad"/>.</summary>
    public Tensor? Grad { get; set; }

    /// <summary>Whether tapes record ops on this parameter (PyTorch's <c>requires_grad</c>). True by default.</summary>
    public bool RequiresGrad { get; set; } = true;

    /// <summary>
    /// A writable view of the values, for optimizers that update in place (PyTorch's <c>p.data</c>).
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> for <see cref="DType.Float32"/>, <see cref="double"/> for <see cref="DType.Float64"/>.</typeparam>
    /// <remarks>Writes are seen by everything that shares this parameter's storage (its <see cref="Tensor.Detach"/>,
    /// same-dtype <see cref="Tensor.To"/> and reshaped views, as in PyTorch). Update between training steps: a tape
    /// whose derivative rules read the parameter, or a view of it, as it was before the write refuses to run them.</remarks>
    /// <exception cref="InvalidOperationException"><typeparamref name="T"/> does not match the dtype.</exception>
    public Span<T> AsSpan<T>()
        where T : unmanaged
    {
        Span<T> values = TypedData<T>(nameof(AsSpan));
        Storage!.MarkWritten();
        return values;
    }

    /// <summary>Copies <paramref name="value"/>'s values into this parameter, in place.</summary>
    /// <exception cref="ArgumentException">The shape or dtype differs.</exception>
    public void Assign(Tensor value)
    {
        if (value.Shape != Shape || value.DType != DType)
        {
            throw new ArgumentException(
                $"Assign: value {value.Shape} {value.DType} does not match parameter {Name ?? "unnamed"} {Shape} {DType}.", nameof(value));
        }

        Array.Copy(value.Data, Data, Size);
        Storage!.MarkWritten();
    }

    /// <summary>Clears the accumulated gradient.</summary>
    public void ZeroGrad() => Grad = null;

    /// <summary>Shows the name, shape and dtype.</summary>
    public override string ToString() => $"Parameter({Name ?? "unnamed"}, {Shape}, {DType})";

    // Backward passes of tapes on different threads may add into one shared parameter.
    private readonly Lock _gradGate = new();

    internal void AccumulateGrad(Tensor gradient)
    {
        using (GradMode.Disable())
        {
            lock (_gradGate)
            {
                Grad = Grad is null ? gradient : Grad + gradient;
            }
        }
    }
}

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
    /// <remarks>A backward pass adds in place into a buffer the parameter reuses: a <see cref="Grad"/> tensor kept past
    /// <see cref="ZeroGrad"/> and a later backward pass throws <see cref="ObjectDisposedException"/> when read, so copy it
    /// (<see cref="Tensor.ToArray{T}"/>) to keep it. A tensor you assign is never written into.</remarks>
    public Tensor? Grad
    {
        get => _grad;
        set
        {
            _grad = value;
            CaptureSession.Current?.RecordGradient(this, null, GradientWrite.Assign, value);
        }
    }

    /// <summary>Whether tapes record ops on this parameter (PyTorch's <c>requires_grad</c>). True by default.</summary>
    public bool RequiresGrad
    {
        get
        {
            // A captured step replays the gradients it was captured with: a replay checks that this still holds.
            if (CaptureSession.AnyOpen)
            {
                CaptureSession.Current?.Guard(this, nameof(RequiresGrad), _requiresGrad, () => _requiresGrad);
            }

            return _requiresGrad;
        }

        set => _requiresGrad = value;
    }

    private bool _requiresGrad = true;

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
        if (CaptureSession.Current is not null)
        {
            CaptureSession.Refuse($"{this}.AsSpan writes the values on the host");
        }
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

        if (CaptureSession.Current is { } capture)
        {
            AssignAtEveryReplay(capture.Keep(value));
            return;
        }

        Copy(value);
    }

    // A method of its own, so that an ordinary Assign makes no closure.
    private void AssignAtEveryReplay(Tensor value) => CaptureSession.RunRecorded(() => Copy(value));

    private void Copy(Tensor value)
    {
        Array.Copy(value.Data, Data, Size);
        Storage!.MarkWritten();
    }

    /// <summary>Clears the accumulated gradient; the next backward pass reuses its buffer and releases the old <see cref="Grad"/> tensor.</summary>
    public void ZeroGrad() => Grad = null;

    /// <summary>Shows the name, shape and dtype.</summary>
    public override string ToString() => $"Parameter({Name ?? "unnamed"}, {Shape}, {DType})";

    private Tensor? _grad;

    // Backward passes of tapes on different threads may add into one shared parameter.
    private readonly Lock _gradGate = new();

    // The buffer Backward accumulates into, reused from step to step (the collector never sees a gradient per step).
    private Storage? _gradStorage;

    private const string ClearedGradReason =
        "This gradient was cleared (ZeroGrad, or Grad = null) and its buffer now holds a later backward pass's gradient. " +
        "Copy a gradient (ToArray) before clearing it to keep it.";

    /// <summary>Multiplies <see cref="Grad"/> by <paramref name="factor"/> (gradient clipping by norm); see <see cref="RewriteGrad"/>.</summary>
    internal void ScaleGrad(double factor) => RewriteGrad(factor, clamp: false);

    /// <summary>Clamps every element of <see cref="Grad"/> to [−limit, limit] (clipping by value); see <see cref="RewriteGrad"/>.</summary>
    internal void ClampGrad(double limit) => RewriteGrad(limit, clamp: true);

    /// <summary>
    /// Scales or clamps <see cref="Grad"/>: in place when it is the parameter's own accumulation buffer, as PyTorch's
    /// in-place <c>mul_</c> and <c>clamp_</c>; a gradient the user assigned is replaced by a new tensor, never written
    /// into. No-op when there is no gradient.
    /// </summary>
    private void RewriteGrad(double value, bool clamp)
    {
        lock (_gradGate)
        {
            if (_grad is not { } grad)
            {
                return;
            }

            bool own = _gradStorage is { IsReleased: false } storage && ReferenceEquals(grad.Storage, storage);
            Array values = own ? grad.Data : grad.DType == DType.Float32 ? grad.ToArray<float>() : grad.ToArray<double>();
            if (values is float[] f)
            {
                Rewrite(f.AsSpan(0, Size), (float)value, clamp);
            }
            else
            {
                Rewrite(((double[])values).AsSpan(0, Size), value, clamp);
            }

            if (own)
            {
                _gradStorage!.MarkWritten();
            }
            else
            {
                _grad = new Tensor(values, Shape);
            }
        }
    }

    private static void Rewrite<T>(Span<T> values, T value, bool clamp)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        if (clamp)
        {
            TP.Clamp(values, -value, value, values);
        }
        else
        {
            TP.Multiply(values, value, values);
        }
    }

    /// <summary>Adds <paramref name="gradient"/> into <see cref="Grad"/>, in place in the parameter's own gradient buffer.</summary>
    internal void AccumulateGrad(Tensor gradient)
    {
        lock (_gradGate)
        {
            GradientWrite write = AddGrad(gradient);
            CaptureSession.Current?.RecordGradient(this, gradient, write, _grad);
        }
    }

    /// <summary>
    /// A captured step's gradient write, repeated. A write that found the gradient cleared goes in place into
    /// <paramref name="grad"/>, the tensor the capture left as <see cref="Grad"/>, when the gradient is cleared now too
    /// and that is still this parameter's own buffer (the steady state, which allocates nothing); every other write
    /// (accumulating over replays, a gradient refilled by an eager step meanwhile, one the user assigned) is done as a
    /// backward pass would do it.
    /// </summary>
    /// <returns>The gradient tensor after the write.</returns>
    internal Tensor? ReplayGradient(Tensor? source, GradientWrite write, Tensor? grad)
    {
        lock (_gradGate)
        {
            if (write == GradientWrite.Assign)
            {
                _grad = grad;
            }
            else if (write == GradientWrite.Overwrite && _grad is null && grad is not null
                && _gradStorage is { IsReleased: false } storage && ReferenceEquals(grad.Storage, storage))
            {
                Array.Copy(source!.Data, grad.Data, Size);
                storage.MarkWritten();
                _grad = grad;
            }
            else
            {
                AddGrad(source!);
            }

            return _grad;
        }
    }

    /// <summary>The write itself, under the gate: how it went, for a capture.</summary>
    private GradientWrite AddGrad(Tensor gradient)
    {
        if (_grad is null)
        {
            // A cleared gradient's buffer is reused, and the old tensor over it is released so that a stale read throws.
            Array buffer = _gradStorage is { IsReleased: false } previous ? previous.Release(ClearedGradReason) : DType == DType.Float32 ? new float[Size] : new double[Size];
            Array.Copy(gradient.Data, buffer, Size);
            _gradStorage = new Storage(buffer);
            _grad = new Tensor(_gradStorage, Shape);
            return GradientWrite.Overwrite;
        }

        if (_gradStorage is { IsReleased: false } own && ReferenceEquals(_grad.Storage, own))
        {
            if (_grad.Data is float[] f)
            {
                TP.Add(f, (float[])gradient.Data, f);
            }
            else
            {
                var d = (double[])_grad.Data;
                TP.Add(d, (double[])gradient.Data, d);
            }

            own.MarkWritten();
            return GradientWrite.Accumulate;
        }

        // A gradient the user assigned is theirs: add into a new tensor, never into their buffer. A captured step's
        // replay adds again itself, so the sum is not recorded.
        using (GradMode.Disable())
        using (CaptureSession.Suspend())
        {
            _grad += gradient;
        }

        Tape.Escape(_grad);
        return GradientWrite.Replace;
    }
}

namespace NeuralNet;

/// <summary>
/// A training step recorded once and replayed: every kernel of its forward and backward passes, its gradient writes and
/// its optimizer update, rerun in order on the same buffers, with no tape, no graph and no tensors made (PyTorch's CUDA
/// graphs, on the CPU). The steady state of a training loop then allocates nothing on the GC heap.
/// </summary>
/// <remarks>
/// <para>The step is a function of its input batch (and labels or targets) that returns a tensor, usually the loss:
/// <c>x =&gt; { optimizer.ZeroGrad(); using var tape = Tape.Record(); var loss = ...; tape.Backward(loss); optimizer.Step(); return loss; }</c>.
/// <see cref="Capture(Tensor, Func{Tensor, Tensor})"/> runs it once, for real, on a copy of the batch it is given, and
/// records what it did; each <see cref="Replay(Tensor)"/> copies a new batch of the same shape into that copy and does it
/// all again. The result is what running the step eagerly would give, bit for bit.</para>
/// <para>What a replay repeats is what the capture saw: the same ops on the same shapes, in the same order. A step whose
/// ops depend on values read on the host cannot be captured, and is refused while it is: <see cref="Tensor.Item"/>,
/// <see cref="Tensor.ToArray{T}"/>, <see cref="Tensor.Values{T}"/> and <see cref="Tensor.ArgMax"/> throw, as do Jacobians
/// assembled on the host, dropout (a new mask per call), <see cref="Parameter.AsSpan{T}"/>, a plateau schedule's metric,
/// what reads the captured labels on the host, and ops run on another thread. Optimizer steps, learning-rate schedules,
/// gradient clipping, <see cref="Parameter.Assign"/>, module buffers (batch-norm statistics) and losses' checks of their
/// inputs run again at every replay, with their state of the moment; modules' training modes and parameters'
/// <c>RequiresGrad</c> must stay as they were at capture, which every replay checks first.</para>
/// <para>Every tensor the step made, <see cref="Output"/> and each <see cref="Parameter.Grad"/> included, is overwritten by
/// the next replay: copy what you keep. The step holds its buffers until it is disposed.</para>
/// </remarks>
public sealed class CapturedStep : IDisposable
{
    private readonly CaptureSession _session;
    private readonly ReplayAction[] _guards;
    private readonly ReplayAction[] _actions;
    private readonly Tensor _input;
    private readonly Tensor? _target;
    private readonly int[]? _labels;
    private readonly Tensor _result;
    private Tensor _output;
    private bool _disposed;
    private int _replaying;

    private CapturedStep(CaptureSession session, Tensor input, Tensor? target, int[]? labels, Tensor output)
    {
        _session = session;
        _guards = [.. session.Guards];
        _actions = [.. session.Actions];
        _input = input;
        _target = target;
        _labels = labels;
        _result = output.Alias();
        _output = output.Alias();
    }

    /// <summary>What the step returned, as of the last replay (or the capture): overwritten by each <see cref="Replay(Tensor)"/>.</summary>
    /// <exception cref="ObjectDisposedException">The step was disposed.</exception>
    public Tensor Output
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return Handed();
        }
    }

    /// <summary>Whether every module's training mode and every parameter's <c>RequiresGrad</c> that the step read are as
    /// they were at the capture, so that a replay would run (<c>Fit</c> captures again when they are not).</summary>
    internal bool ModesHold
    {
        get
        {
            foreach (ReplayAction guard in _guards)
            {
                if (guard is StateCheck { Holds: false })
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>How many actions a replay runs: kernels, gradient writes and host updates (an optimizer's step).</summary>
    public int ActionCount => _actions.Length;

    /// <summary>Captures <paramref name="step"/>, a function of one input batch, by running it once on a copy of
    /// <paramref name="input"/>.</summary>
    /// <param name="input">The first batch; every replay's batch must have its shape and dtype.</param>
    /// <param name="step">The step: it gets the captured copy of the batch and returns a tensor (the loss, say).</param>
    /// <returns>The captured step; <see cref="Output"/> holds what the first run returned.</returns>
    /// <exception cref="NotSupportedException">The step does something a replay could not repeat (see the remarks).</exception>
    /// <exception cref="InvalidOperationException">A step is already being captured on this thread.</exception>
    public static CapturedStep Capture(Tensor input, Func<Tensor, Tensor> step)
    {
        ArgumentNullException.ThrowIfNull(step);
        Tensor x = Batch(input, nameof(input));
        return Record(x, null, null, () => step(x));
    }

    /// <summary>Captures <paramref name="step"/>, a function of an input batch and its targets (regression), by running it
    /// once on copies of both.</summary>
    /// <param name="input">The first batch of inputs.</param>
    /// <param name="target">The first batch of targets.</param>
    /// <param name="step">The step, given the captured copies.</param>
    /// <returns>The captured step.</returns>
    /// <exception cref="NotSupportedException">The step does something a replay could not repeat.</exception>
    /// <exception cref="InvalidOperationException">A step is already being captured on this thread.</exception>
    public static CapturedStep Capture(Tensor input, Tensor target, Func<Tensor, Tensor, Tensor> step)
    {
        ArgumentNullException.ThrowIfNull(step);
        Tensor x = Batch(input, nameof(input)), y = Batch(target, nameof(target));
        return Record(x, y, null, () => step(x, y));
    }

    /// <summary>Captures <paramref name="step"/>, a function of an input batch and its class labels (classification), by
    /// running it once on copies of both. Cross-entropy reads the captured labels in its kernel, so every replay's
    /// labels reach it; a loss that reads labels on the host is refused.</summary>
    /// <param name="input">The first batch of inputs.</param>
    /// <param name="labels">The first batch's labels; every replay's must have as many.</param>
    /// <param name="step">The step, given the captured copies.</param>
    /// <returns>The captured step.</returns>
    /// <exception cref="NotSupportedException">The step does something a replay could not repeat.</exception>
    /// <exception cref="InvalidOperationException">A step is already being captured on this thread.</exception>
    public static CapturedStep Capture(Tensor input, int[] labels, Func<Tensor, int[], Tensor> step)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(step);
        Tensor x = Batch(input, nameof(input));
        int[] y = (int[])labels.Clone();
        return Record(x, null, y, () => step(x, y));
    }

    /// <summary>Runs the step again on <paramref name="input"/>, copied into the captured batch.</summary>
    /// <param name="input">A batch of the captured shape and dtype.</param>
    /// <returns><see cref="Output"/>, overwritten.</returns>
    /// <exception cref="ArgumentException">The batch's shape or dtype differs, or the step was captured with targets or labels.</exception>
    /// <exception cref="InvalidOperationException">Another thread is replaying the step, or a mode it was captured in
    /// (a module's training mode, a parameter's <c>RequiresGrad</c>) has changed; nothing ran.</exception>
    /// <exception cref="ObjectDisposedException">The step was disposed.</exception>
    public Tensor Replay(Tensor input)
    {
        Expect(targets: false, labels: false);
        Check(_input, input, nameof(input));
        Claim();
        Array.Copy(input.Data, _input.Data, _input.Size);
        return Run();
    }

    /// <summary>Runs the step again on a batch of inputs and targets, copied into the captured ones.</summary>
    /// <param name="input">Inputs of the captured shape and dtype.</param>
    /// <param name="target">Targets of the captured shape and dtype.</param>
    /// <returns><see cref="Output"/>, overwritten.</returns>
    /// <exception cref="ArgumentException">A shape or dtype differs, or the step was not captured with targets.</exception>
    /// <exception cref="InvalidOperationException">Another thread is replaying the step, or a mode it was captured in
    /// (a module's training mode, a parameter's <c>RequiresGrad</c>) has changed; nothing ran.</exception>
    /// <exception cref="ObjectDisposedException">The step was disposed.</exception>
    public Tensor Replay(Tensor input, Tensor target)
    {
        Expect(targets: true, labels: false);
        Check(_input, input, nameof(input));
        Check(_target!, target, nameof(target));
        Claim();
        Array.Copy(input.Data, _input.Data, _input.Size);
        Array.Copy(target.Data, _target!.Data, _target.Size);
        return Run();
    }

    /// <summary>Runs the step again on a batch of inputs and labels, copied into the captured ones.</summary>
    /// <param name="input">Inputs of the captured shape and dtype.</param>
    /// <param name="labels">As many labels as captured, each a class index of the loss that reads them.</param>
    /// <returns><see cref="Output"/>, overwritten.</returns>
    /// <exception cref="ArgumentException">A shape or dtype differs, the number of labels does, or the step was not captured
    /// with labels.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A label is out of range; nothing ran.</exception>
    /// <exception cref="InvalidOperationException">Another thread is replaying the step, or a mode it was captured in
    /// has changed; nothing ran.</exception>
    /// <exception cref="ObjectDisposedException">The step was disposed.</exception>
    public Tensor Replay(Tensor input, int[] labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        Expect(targets: false, labels: true);
        Check(_input, input, nameof(input));
        if (labels.Length != _labels!.Length)
        {
            throw new ArgumentException($"CapturedStep.Replay: {labels.Length} labels; the step was captured with {_labels.Length}.", nameof(labels));
        }

        Claim();
        Array.Copy(input.Data, _input.Data, _input.Size);
        labels.CopyTo(_labels, 0);
        return Run();
    }

    /// <summary>Lets the step's buffers go (to the collector: a tensor you kept may still read them).</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _session.Unpin();
        }
    }

    private static CapturedStep Record(Tensor input, Tensor? target, int[]? labels, Func<Tensor> step)
    {
        CaptureSession session = CaptureSession.Begin(labels);
        Tensor output;
        try
        {
            output = step() ?? throw new InvalidOperationException("CapturedStep.Capture: the step returned null; return the tensor to read after each replay.");
        }
        catch
        {
            session.End();
            session.Unpin();
            throw;
        }

        session.End();
        return new CapturedStep(session, input, target, labels, Dispatcher.Strip(output).AsConstant());
    }

    /// <summary>The step's own copy of a batch: a plain array that no pool or tape will take back.</summary>
    private static Tensor Batch(Tensor value, string name)
    {
        ArgumentNullException.ThrowIfNull(value, name);
        return new Tensor((Array)Dispatcher.Strip(value).Data.Clone(), value.Shape);
    }

    private static void Check(Tensor captured, Tensor value, string name)
    {
        ArgumentNullException.ThrowIfNull(value, name);
        if (value.Shape != captured.Shape || value.DType != captured.DType)
        {
            throw new ArgumentException(
                $"CapturedStep.Replay: {name} {value.Shape} {value.DType}; the step was captured with {captured.Shape} {captured.DType}.", name);
        }
    }

    private void Expect(bool targets, bool labels)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        CaptureSession.Refuse("CapturedStep.Replay runs a captured step; it cannot be part of one");
        if (targets != _target is not null || labels != _labels is not null)
        {
            string captured = _target is not null ? "inputs and targets" : _labels is not null ? "inputs and labels" : "inputs only";
            throw new ArgumentException($"CapturedStep.Replay: the step was captured with {captured}; replay it with the same.");
        }
    }

    /// <summary>Claims the step for one replay, so that two threads cannot replay it into the same buffers at once.</summary>
    /// <exception cref="InvalidOperationException">Another replay of this step is running.</exception>
    private void Claim()
    {
        if (Interlocked.Exchange(ref _replaying, 1) != 0)
        {
            throw new InvalidOperationException(
                "CapturedStep.Replay: this step is being replayed on another thread; a step's buffers serve one replay at a time (capture one step per thread).");
        }
    }

    /// <summary>Runs the guards, then the actions, and gives the step back for the next replay.</summary>
    private Tensor Run()
    {
        try
        {
            foreach (ReplayAction guard in _guards)
            {
                guard.Run();
            }

            foreach (ReplayAction action in _actions)
            {
                action.Run();
            }
        }
        finally
        {
            Volatile.Write(ref _replaying, 0);
        }

        return Handed();
    }

    /// <summary>The output as handed to the caller: a view of the step's own, so that a caller who disposed the last one
    /// (a <c>using</c>) gets a new one over the same buffer rather than a replay that fails.</summary>
    private Tensor Handed()
    {
        if (_output.IsDisposed)
        {
            _output = _result.Alias();
        }

        return _output;
    }
}

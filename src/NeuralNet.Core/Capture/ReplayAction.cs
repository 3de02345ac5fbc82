namespace NeuralNet;

/// <summary>One recorded step of a <see cref="CapturedStep"/>, run again by every replay.</summary>
internal abstract class ReplayAction
{
    /// <summary>Repeats the action on the captured buffers.</summary>
    public abstract void Run();
}

/// <summary>A kernel rerun into its captured output's buffer: in place when it can, else computed afresh.</summary>
/// <param name="output">The captured output, whose buffer the replay fills.</param>
internal abstract class RecomputedReplay(Tensor output) : ReplayAction
{
    /// <summary>The captured output.</summary>
    protected Tensor Output => output;

    public override void Run()
    {
        if (!ComputeInto(output))
        {
            Recompute();
        }
    }

    /// <summary>The kernel into <paramref name="output"/>'s buffer, without allocating; false when it has no such path.</summary>
    protected abstract bool ComputeInto(Tensor output);

    /// <summary>The kernel as it ran when captured, returning a new result.</summary>
    protected abstract Tensor Compute();

    /// <summary>
    /// The kernel's ordinary path with its next allocation of the output's length redirected to the output's buffer, so
    /// that most kernels write there directly; a result that landed elsewhere is copied.
    /// </summary>
    private void Recompute()
    {
        Array target = output.Data;
        CaptureSession.Redirect(target);
        Tensor result;
        try
        {
            result = Compute();
        }
        finally
        {
            CaptureSession.EndRedirect();
        }

        Array values = result.Data;
        if (!ReferenceEquals(values, target))
        {
            Array.Copy(values, target, output.Size);
            result.Dispose();
        }
    }
}

/// <summary>An op's forward kernel, rerun on its captured inputs.</summary>
internal sealed class KernelReplay(Op op, Tensor[] inputs, Tensor output) : RecomputedReplay(output)
{
    public override void Run()
    {
        base.Run();
        if (AnomalyMode.IsEnabled)
        {
            AnomalyMode.Check(op, inputs, Output);
        }
    }

    protected override bool ComputeInto(Tensor output) => op.ForwardInto(inputs, output);

    protected override Tensor Compute() => op.Forward(inputs);
}

/// <summary>An element-wise kernel a derivative rule ran directly (a mask), rerun on its captured operands.</summary>
internal sealed class ZipReplay<TKernel>(Tensor x, Tensor y, TKernel kernel, Tensor output) : RecomputedReplay(output)
    where TKernel : IBinaryKernel
{
    protected override bool ComputeInto(Tensor output) => Elementwise.ZipInto(x, y, kernel, output);

    protected override Tensor Compute() => Elementwise.Zip(x, y, kernel);
}

/// <summary>How a backward pass wrote a parameter's gradient.</summary>
internal enum GradientWrite
{
    /// <summary>Into the parameter's own buffer, replacing a cleared gradient.</summary>
    Overwrite,

    /// <summary>Added in place into the parameter's own buffer.</summary>
    Accumulate,

    /// <summary>Added into a new tensor (the gradient was one the user assigned).</summary>
    Replace,

    /// <summary>Assigned: <see cref="Parameter.Grad"/> set, or cleared by <see cref="Parameter.ZeroGrad"/>.</summary>
    Assign,
}

/// <summary>A backward pass's write into <see cref="Parameter.Grad"/>, or an assignment of it.</summary>
internal sealed class GradientReplay(Parameter parameter, Tensor? source, GradientWrite write, Tensor? grad) : ReplayAction
{
    // An overwrite that had to be done as a backward pass would (an eager step took the buffer over meanwhile) left a new
    // gradient tensor over the parameter's own buffer: the next replays write into that one, allocating nothing again.
    private Tensor? _grad = grad;

    public override void Run()
    {
        Tensor? now = parameter.ReplayGradient(source, write, _grad);
        if (write == GradientWrite.Overwrite)
        {
            _grad = now;
        }
    }
}

/// <summary>A check that a mode the step was captured in (a module's training mode, a parameter's RequiresGrad) holds.</summary>
internal sealed class StateCheck(object owner, string what, bool captured, Func<bool> read) : ReplayAction
{
    /// <summary>Whether the mode is still what it was at the capture.</summary>
    public bool Holds => read() == captured;

    public override void Run()
    {
        if (!Holds)
        {
            throw new InvalidOperationException(
                $"CapturedStep.Replay: {owner}'s {what} was {captured} when the step was captured and is {!captured} now; the " +
                "recorded ops follow from it, so capture the step again (or set it back).");
        }
    }
}

/// <summary>A host-side update (an optimizer's step, a schedule's, a module buffer's copy), called again.</summary>
internal sealed class HostUpdate(Action update) : ReplayAction
{
    public override void Run() => update();
}

/// <summary>The range check of the captured labels that cross-entropy made when it was captured.</summary>
internal sealed class LabelCheck(string op, int[] labels, Shape logits) : ReplayAction
{
    public override void Run() => OpChecks.LabelRange(op, labels, logits);
}

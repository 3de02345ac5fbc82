namespace NeuralNet;

/// <summary>One recorded step of a <see cref="CapturedStep"/>, run again by every replay.</summary>
internal abstract class ReplayAction
{
    /// <summary>Repeats the action on the captured buffers.</summary>
    public abstract void Run();
}

/// <summary>An op's forward kernel, rerun on its captured inputs into its captured output's buffer.</summary>
internal sealed class KernelReplay(Op op, Tensor[] inputs, Tensor output) : ReplayAction
{
    public override void Run()
    {
        if (!op.ForwardInto(inputs, output))
        {
            Recompute();
        }

        if (AnomalyMode.IsEnabled)
        {
            AnomalyMode.Check(op, inputs, output);
        }
    }

    /// <summary>
    /// An op with no in-place kernel runs its ordinary forward with its next allocation of the output's length redirected
    /// to the output's buffer, so that most kernels write there directly; a kernel whose result landed elsewhere is copied.
    /// </summary>
    private void Recompute()
    {
        Array target = output.Data;
        CaptureSession.Redirect(target);
        Tensor result;
        try
        {
            result = op.Forward(inputs);
        }
        finally
        {
            CaptureSession.Redirect(null);
        }

        Array values = result.Data;
        if (!ReferenceEquals(values, target))
        {
            Array.Copy(values, target, output.Size);
            result.Dispose();
        }
    }
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
    public override void Run() => parameter.ReplayGradient(source, write, grad);
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

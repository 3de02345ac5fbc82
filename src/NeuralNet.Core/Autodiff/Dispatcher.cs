namespace NeuralNet;

/// <summary>
/// Runs an op on tensors that may carry derivatives: the one place where recording (reverse mode) and
/// tangent propagation (forward mode) happen, level by level.
/// </summary>
internal static class Dispatcher
{
    /// <summary>Applies <paramref name="op"/> to <paramref name="inputs"/> (the array is reused).</summary>
    public static Tensor Apply(Op op, params Tensor[] inputs)
    {
        if (!GradMode.IsEnabled)
        {
            for (int i = 0; i < inputs.Length; i++)
            {
                inputs[i] = inputs[i].AsConstant();
            }

            return Forward(op, inputs);
        }

        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = Tape.Lift(inputs[i], op.Name);
        }

        return ApplyAtLevels(op, inputs);
    }

    /// <summary>Drops levels that are no longer active: a tensor from a disposed tape acts as its value.</summary>
    public static Tensor Strip(Tensor x)
    {
        while (x.Level is { IsActive: false })
        {
            x = x.Primal!;
        }

        return x;
    }

    /// <summary>The value of <paramref name="x"/> one level below <paramref name="level"/>.</summary>
    public static Tensor PrimalAt(Tensor x, Level level) => x.Level == level ? x.Primal! : x;

    /// <summary>The op's kernel on constants, checked for NaN and ∞ when anomaly detection is on.</summary>
    private static Tensor Forward(Op op, Tensor[] inputs)
    {
        Tensor output = CaptureSession.AnyOpen && CaptureSession.Recording() is { } capture ? capture.Forward(op, inputs) : op.Forward(inputs);
        if (AnomalyMode.IsEnabled)
        {
            AnomalyMode.Check(op, inputs, output);
        }

        CostObserver.Current?.Record(op, inputs, output);
        return output;
    }

    /// <summary>
    /// Runs the op at every level among the inputs, highest first: each level treats lower-level inputs as constants,
    /// and its primal output is the op at the levels below. A loop rather than recursion, since a program may open any
    /// number of tapes.
    /// </summary>
    private static Tensor ApplyAtLevels(Op op, Tensor[] inputs)
    {
        if (TopLevel(inputs) is not { } outer)
        {
            return Forward(op, inputs);
        }

        // Down: the inputs as each level sees them, until only constants are left. One level is the common case
        // (a training step's tape) and needs no list.
        Tensor[] current = PrimalsAt(inputs, outer);
        if (TopLevel(current) is null)
        {
            return Record(op, outer, inputs, current, Forward(op, current));
        }

        var levels = new List<(Level Level, Tensor[] Inputs)> { (outer, inputs) };
        while (TopLevel(current) is { } top)
        {
            levels.Add((top, current));
            current = PrimalsAt(current, top);
        }

        // Up: the kernel on the constants, then each level records the op or pushes its tangents.
        Tensor output = Forward(op, current);
        for (int k = levels.Count - 1; k >= 0; k--)
        {
            var (level, atLevel) = levels[k];
            output = Record(op, level, atLevel, k + 1 < levels.Count ? levels[k + 1].Inputs : current, output);
        }

        return output;
    }

    /// <summary>The op at <paramref name="level"/>: recorded on its tape, or its tangents pushed through the JVP.</summary>
    private static Tensor Record(Op op, Level level, Tensor[] inputs, Tensor[] primals, Tensor output) =>
        level.Tape is { } tape ? tape.Append(op, inputs, output) : PushTangents(op, inputs, primals, output, level);

    private static Tensor[] PrimalsAt(Tensor[] inputs, Level level)
    {
        var primals = new Tensor[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            primals[i] = PrimalAt(inputs[i], level);
        }

        return primals;
    }

    /// <summary>Strips inactive levels off the inputs in place and returns the highest level among them, or null.</summary>
    private static Level? TopLevel(Tensor[] inputs)
    {
        Level? top = null;
        for (int i = 0; i < inputs.Length; i++)
        {
            Tensor x = Strip(inputs[i]);
            inputs[i] = x;
            if (x.Level is { } level && (top is null || level.Order > top.Order))
            {
                top = level;
            }
        }

        return top;
    }

    private static Tensor PushTangents(Op op, Tensor[] inputs, Tensor[] primals, Tensor output, Level level)
    {
        var tangents = new Tensor?[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            tangents[i] = inputs[i].Level == level ? inputs[i].Tangent : null;
        }

        Tensor? tangent;
        using (CostObserver.Current?.Tangents())
        {
            tangent = op.Jvps(tangents, primals, output);
            if (tangent is null)
            {
                return output;
            }

            if (tangent.Shape != output.Shape)
            {
                tangent = tangent.BroadcastTo(output.Shape);
            }
        }

        return new Tensor(output, level, tangent);
    }
}

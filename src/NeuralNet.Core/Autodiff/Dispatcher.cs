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
        Tensor output = op.Forward(inputs);
        if (AnomalyMode.IsEnabled)
        {
            AnomalyMode.Check(op, inputs, output);
        }

        return output;
    }

    private static Tensor ApplyAtLevels(Op op, Tensor[] inputs)
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

        if (top is null)
        {
            return Forward(op, inputs);
        }

        var primals = new Tensor[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            primals[i] = PrimalAt(inputs[i], top);
        }

        Tensor output = ApplyAtLevels(op, primals);
        return top.Tape is { } tape ? tape.Append(op, inputs, output) : PushTangents(op, inputs, primals, output, top);
    }

    private static Tensor PushTangents(Op op, Tensor[] inputs, Tensor[] primals, Tensor output, Level level)
    {
        var tangents = new Tensor?[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            tangents[i] = inputs[i].Level == level ? inputs[i].Tangent : null;
        }

        Tensor? tangent = op.Jvps(tangents, primals, output);
        if (tangent is null)
        {
            return output;
        }

        if (tangent.Shape != output.Shape)
        {
            tangent = tangent.BroadcastTo(output.Shape);
        }

        return new Tensor(output, level, tangent);
    }
}

using NeuralNet.Data;

namespace NeuralNet.Training;

/// <summary>
/// A data set and the loss it is scored by, over targets of type <typeparamref name="TTargets"/> (a batch's
/// <c>int[]</c> labels or its target rows): what lets one training loop serve every task.
/// </summary>
internal sealed class Objective<TTargets>(
    IDataset data,
    Func<int[], TTargets> targets,
    Func<Tensor, TTargets, Tensor> loss,
    Func<Tensor, TTargets, int>? correct,
    Func<Tensor, TTargets, Func<Tensor, TTargets, Tensor>, CapturedStep> capture,
    Func<CapturedStep, Tensor, TTargets, Tensor> replay)
{
    /// <summary>The examples.</summary>
    public IDataset Data => data;

    /// <summary>Whether counting correct predictions means something (class labels).</summary>
    public bool HasAccuracy => correct is not null;

    /// <summary>The loss of <paramref name="outputs"/> against the targets of <paramref name="rows"/>, and how many are right.</summary>
    /// <exception cref="ArgumentException">The loss is not a single number.</exception>
    public (Tensor Loss, int Correct) Score(Tensor outputs, int[] rows)
    {
        TTargets batch = targets(rows);
        return (Loss(outputs, batch), Correct(outputs, batch));
    }

    /// <summary>The targets of <paramref name="rows"/>.</summary>
    public TTargets Targets(int[] rows) => targets(rows);

    /// <summary>The loss of <paramref name="outputs"/> against <paramref name="batch"/>.</summary>
    /// <exception cref="ArgumentException">The loss is not a single number.</exception>
    public Tensor Loss(Tensor outputs, TTargets batch)
    {
        Tensor value = loss(outputs, batch);
        if (value.Shape.Size != 1)
        {
            throw new ArgumentException(
                $"Fit: the loss of outputs {outputs.Shape} returned shape {value.Shape}; it must be one number (reduce it, e.g. with Mean()).",
                nameof(loss));
        }

        return value;
    }

    /// <summary>How many of <paramref name="outputs"/> are right against <paramref name="batch"/> (0 without accuracy).</summary>
    public int Correct(Tensor outputs, TTargets batch) => correct?.Invoke(outputs, batch) ?? 0;

    /// <summary>Captures <paramref name="step"/> on a first batch of inputs and targets.</summary>
    public CapturedStep Capture(Tensor inputs, TTargets batch, Func<Tensor, TTargets, Tensor> step) => capture(inputs, batch, step);

    /// <summary>Replays a captured step on a batch of inputs and targets.</summary>
    public Tensor Replay(CapturedStep step, Tensor inputs, TTargets batch) => replay(step, inputs, batch);
}

/// <summary>The objectives of the two kinds of data set.</summary>
internal static class Objective
{
    /// <summary>Class labels, scored by <paramref name="loss"/> and by accuracy.</summary>
    public static Objective<int[]> Labels(Dataset data, Func<Tensor, int[], Tensor> loss) =>
        new(data, rows => DataLoader.LabelsOf(data, rows), loss, CountCorrect, CapturedStep.Capture, (step, x, y) => step.Replay(x, y));

    /// <summary>Tensor targets, scored by <paramref name="loss"/> alone.</summary>
    public static Objective<Tensor> Targets(TensorDataset data, Func<Tensor, Tensor, Tensor> loss) =>
        new(data, rows => Gather(data.Targets, rows), loss, correct: null, CapturedStep.Capture, (step, x, y) => step.Replay(x, y));

    /// <summary>
    /// Rows of a step's inputs or targets: gathered inside the step and seen only by the model and the loss, so inside
    /// a training step's tape their buffer goes back with the tape (outside one, Recycle does nothing).
    /// </summary>
    public static Tensor Gather(Tensor source, int[] rows)
    {
        Tensor batch = source.Gather(rows);
        Tape.Recycle(batch);
        return batch;
    }

    /// <summary>
    /// Predictions against labels: the arg-max of each row, or, for a single output column (one binary logit),
    /// class 1 where the logit is positive.
    /// </summary>
    private static int CountCorrect(Tensor outputs, int[] labels)
    {
        int[] predicted = outputs.Rank == 2 && outputs.Shape[1] == 1
            ? [.. outputs.ToArray<double>().Select(logit => logit > 0 ? 1 : 0)]
            : outputs.ArgMax();
        int correct = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            correct += predicted[i] == labels[i] ? 1 : 0;
        }

        return correct;
    }
}

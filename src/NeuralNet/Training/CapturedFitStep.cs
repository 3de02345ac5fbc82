using NeuralNet.Layers;
using NeuralNet.Optimizers;

namespace NeuralNet.Training;

/// <summary>
/// <see cref="FitOptions.CaptureSteps"/>: the training step of a <c>Fit</c> run captured on its first full batch and replayed
/// on every full batch after it, scored from the captured loss and outputs, which each replay overwrites; captured again
/// when a mode the step read (a module's training mode, a parameter's <c>RequiresGrad</c>) has changed.
/// </summary>
internal sealed class CapturedFitStep<TTargets>(Module model, Optimizer optimizer, Objective<TTargets> train, double? clipGradientNorm) : IDisposable
{
    private CapturedStep? _step;
    private Tensor? _outputs;
    private double _gradientNorm;

    /// <summary>Trains on the batch of <paramref name="rows"/>: the loss, how many were right, and the gradient norm
    /// before clipping (with clipping).</summary>
    public (double Loss, int Correct, double? GradientNorm) Run(int[] rows)
    {
        TTargets batch = train.Targets(rows);
        using Tensor inputs = train.Data.Inputs.Gather(rows);

        // A callback that froze a layer or switched a module's mode changed the step: capture it again.
        if (_step is { ModesHold: false })
        {
            _step.Dispose();
            _step = null;
        }

        double loss = (_step is null ? (_step = train.Capture(inputs, batch, Step)).Output : train.Replay(_step, inputs, batch)).Item();
        int correct = train.Correct(_outputs!, batch);
        (batch as IDisposable)?.Dispose();
        return (loss, correct, clipGradientNorm is null ? null : _gradientNorm);
    }

    /// <summary>Lets the captured step's buffers go.</summary>
    public void Dispose() => _step?.Dispose();

    /// <summary>The step as <c>Fit</c> runs it eagerly, without the callbacks: run once, at the capture.</summary>
    private Tensor Step(Tensor inputs, TTargets batch)
    {
        optimizer.ZeroGrad();
        using var tape = Tape.Record();
        Tensor outputs = model.Forward(inputs);
        Tensor loss = train.Loss(outputs, batch);
        tape.Backward(loss);
        if (clipGradientNorm is not null)
        {
            // A host update of its own, so that every replay keeps the norm it clipped by.
            CaptureSession.RunRecorded(Clip);
        }

        optimizer.Step();
        _outputs = outputs;
        return loss;
    }

    private void Clip() => _gradientNorm = GradientClipping.ClipNorm(optimizer.Parameters, clipGradientNorm!.Value);
}

using NeuralNet;
using NeuralNet.Data;
using NeuralNet.Layers;
using NeuralNet.Optimizers;

namespace ClassicSample;

/// <summary>One optimizer's run.</summary>
/// <param name="Name">How the table names it.</param>
/// <param name="Losses">The training loss after each of of the checkpoint step counts.</param>
public sealed record OptimizerRun(string Name, double[] Losses);

/// <summary>
/// The same problem (softmax regression on all 1,797 digits, full batch, from the same zero start) under each
/// optimizer, its loss after 0, 1, 10, 100 and 1000 steps side by side.
/// </summary>
public static class OptimizersDemo
{
    /// <summary>The step counts at which the loss is printed, up to <paramref name="steps"/>: 0, 1, 10, 100, ….</summary>
    public static int[] Checkpoints(int steps) =>
        [0, .. Enumerable.Range(0, 10).Select(e => (int)Math.Pow(10, e)).TakeWhile(c => c <= steps)];

    /// <summary>Runs the demo, printing to <paramref name="output"/>; <paramref name="steps"/> steps per optimizer.</summary>
    public static OptimizerRun[] Run(string dataDirectory, TextWriter output, int steps = 1000)
    {
        int[] checkpoints = Checkpoints(steps);
        Dataset digits = SoftmaxRegressionDemo.Digits(dataDirectory);
        var optimizers = new (string Name, Func<IReadOnlyList<Parameter>, Optimizer> Create)[]
        {
            ("GradientDescent 0.5", ps => new GradientDescent(ps, learningRate: 0.5)),
            ("Momentum 0.1, 0.9", ps => new Momentum(ps, learningRate: 0.1, momentum: 0.9)),
            ("AdaGrad 0.1", ps => new AdaGrad(ps, learningRate: 0.1)),
            ("RmsProp 0.003", ps => new RmsProp(ps, learningRate: 0.003)),
            ("Adam 0.01", ps => new Adam(ps, learningRate: 0.01)),
        };

        output.WriteLine($"Softmax regression on all {digits.Count} digits (64 -> 10), full batch, weights from 0; cross-entropy after n steps:");
        output.WriteLine($"  {"optimizer",-22}{string.Join("", checkpoints.Select(c => $"{c,10}"))}");
        var runs = new List<OptimizerRun>();
        foreach (var (name, create) in optimizers)
        {
            // Zero weights: every run starts from the same point, loss ln 10 = 2.3026.
            var w = new Parameter(Tensor.Zeros([64, 10]), "w");
            var b = new Parameter(Tensor.Zeros([10]), "b");
            Optimizer optimizer = create([w, b]);
            var losses = new List<double>();
            for (int step = 0; step <= checkpoints[^1]; step++)
            {
                optimizer.ZeroGrad();
                using (var tape = Tape.Record())
                {
                    Tensor loss = Losses.CrossEntropy(digits.Inputs.MatMul(w) + b, digits.Labels);
                    if (checkpoints.Contains(step))
                    {
                        losses.Add(loss.Item());
                    }

                    if (step == checkpoints[^1])
                    {
                        break;
                    }

                    tape.Backward(loss);
                }

                optimizer.Step();
            }

            runs.Add(new OptimizerRun(name, [.. losses]));
            output.WriteLine($"  {name,-22}{string.Join("", losses.Select(l => $"{l,10:F4}"))}");
        }

        return [.. runs];
    }
}

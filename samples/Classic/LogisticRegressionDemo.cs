using NeuralNet;
using NeuralNet.Data;
using NeuralNet.Layers;
using NeuralNet.Optimizers;

namespace ClassicSample;

/// <summary>What the logistic-regression demo found.</summary>
/// <param name="TrainCount">Training examples.</param>
/// <param name="TestCount">Test examples.</param>
/// <param name="TrainLoss">Final training cross-entropy.</param>
/// <param name="TrainAccuracy">Final training accuracy.</param>
/// <param name="TestAccuracy">Test accuracy.</param>
public sealed record LogisticRegressionResult(int TrainCount, int TestCount, double TrainLoss, double TrainAccuracy, double TestAccuracy);

/// <summary>
/// Logistic regression on breast cancer: 30 standardized features → one logit, p(benign) = σ(wᵀx + b), trained on
/// the binary cross-entropy of the logit by full-batch gradient descent.
/// </summary>
public static class LogisticRegressionDemo
{
    /// <summary>Runs the demo, printing to <paramref name="output"/>.</summary>
    public static LogisticRegressionResult Run(string dataDirectory, TextWriter output)
    {
        var (rawTrain, rawTest) = ClassicData.Load(dataDirectory, "breast_cancer.csv").Split(0.25, seed: 1);
        var scaler = new Standardizer(rawTrain.Inputs);   // the training set's statistics, for both sets
        Dataset train = scaler.Apply(rawTrain), test = scaler.Apply(rawTest);
        Tensor targets = ClassicData.Column(train.Labels.Select(l => (double)l));

        var model = new Dense(30, 1, dtype: DType.Float64, seed: 1);
        var optimizer = new GradientDescent(model.Parameters, learningRate: 0.5);
        output.WriteLine($"Breast cancer (0 = malignant, 1 = benign): {train.Count} training, {test.Count} test examples, 30 standardized features");
        output.WriteLine("Dense(30, 1), binary cross-entropy with logits, full-batch gradient descent, rate 0.5:");
        output.WriteLine($"  {"step",6}{"loss",10}{"train acc",11}{"test acc",10}");
        int[] report = [0, 10, 100, 300];
        double loss = double.NaN;
        for (int step = 0; step <= report[^1]; step++)
        {
            optimizer.ZeroGrad();
            using (var tape = Tape.Record())
            {
                Tensor value = Losses.BinaryCrossEntropyWithLogits(model.Forward(train.Inputs), targets);
                loss = value.Item();
                if (step < report[^1])
                {
                    tape.Backward(value);
                }
            }

            if (report.Contains(step))
            {
                output.WriteLine($"  {step,6}{loss,10:F4}{Accuracy(model, train),11:P1}{Accuracy(model, test),10:P1}");
            }

            if (step < report[^1])
            {
                optimizer.Step();
            }
        }

        return new LogisticRegressionResult(train.Count, test.Count, loss, Accuracy(model, train), Accuracy(model, test));
    }

    /// <summary>The fraction of examples where the logit's sign (logit &gt; 0 ⇔ p &gt; ½) names the label.</summary>
    public static double Accuracy(Module model, Dataset data)
    {
        using (Autodiff.NoGrad())
        {
            int[] predicted = [.. model.Forward(data.Inputs).ToArray<double>().Select(logit => logit > 0 ? 1 : 0)];
            return ClassicData.Agreement(predicted, data.Labels);
        }
    }
}

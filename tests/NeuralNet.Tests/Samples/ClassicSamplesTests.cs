namespace NeuralNet.Tests.Samples;

using ClassicSample;

/// <summary>The claims samples/Classic prints, asserted on the same code (each demo returns the numbers it prints).</summary>
public class ClassicSamplesTests
{
    private static readonly string Data = RepositoryData.Directory("sklearn");

    [Fact]
    public void PerceptronConvergesOnSeparableIrisButNeverOnXorWhileAnMlpLearnsXor()
    {
        PerceptronResult result = PerceptronDemo.Run(Data, TextWriter.Null);

        result.IrisMistakes[^1].Should().Be(0, "setosa and versicolor are linearly separable: the perceptron convergence theorem");
        result.IrisMistakes[0].Should().BeGreaterThan(0);
        result.XorMistakes.Should().HaveCount(PerceptronDemo.XorEpochs).And.OnlyContain(m => m > 0, "no line separates XOR");
        result.MlpLosses[^1].Should().BeLessThan(0.01).And.BeLessThan(result.MlpLosses[0]);
        result.MlpOutputs.Select(p => p > 0.5 ? 1 : 0).Should().Equal(0, 1, 1, 0);
    }

    [Fact]
    public void GradientDescentLeastSquaresMatchesTheNormalEquations()
    {
        LinearRegressionResult result = LinearRegressionDemo.Run(TextWriter.Null);

        foreach (LeastSquaresFit fit in new[] { result.Plain, result.Ridge })
        {
            fit.MaxDifference.Should().BeLessThan(1e-6);
            fit.GradientDescent.Zip(fit.NormalEquations).Should().OnlyContain(p => Math.Abs(p.First - p.Second) < 1e-6);
        }

        result.Plain.Loss.Should().BeApproximately(0.25, 0.1, "the noise variance is 0.5² = 0.25");
        result.OriginalUnits[0].Should().BeApproximately(1, 0.15);
        result.OriginalUnits[1].Should().BeApproximately(3, 0.05);
        result.OriginalUnits[2].Should().BeApproximately(-2, 0.15);
        Math.Abs(result.Ridge.GradientDescent[1]).Should().BeLessThan(Math.Abs(result.Plain.GradientDescent[1]), "L2 shrinks the weights");
        result.Ridge.GradientDescent[0].Should().BeApproximately(result.Plain.GradientDescent[0], 1e-9, "the bias is not penalised and the features are centred");
    }

    [Fact]
    public void NormalEquationsSolveAnExactFit()
    {
        // y = 1 + 2a − 3b exactly: the solver must return [1, 2, −3].
        Tensor x = Tensor.FromArray(new double[,] { { 0, 0 }, { 1, 0 }, { 0, 1 }, { 2, 5 } });
        Tensor y = Tensor.FromArray([1.0, 3, -2, -10], 4, 1);
        double[] theta = LinearRegressionDemo.NormalEquations(x, y, lambda: 0);
        theta.Zip(new[] { 1.0, 2, -3 }).Should().OnlyContain(p => Math.Abs(p.First - p.Second) < 1e-12);
    }

    [Fact]
    public void LogisticRegressionSeparatesBreastCancerOnHeldOutData()
    {
        LogisticRegressionResult result = LogisticRegressionDemo.Run(Data, TextWriter.Null);

        (result.TrainCount + result.TestCount).Should().Be(569);
        result.TestAccuracy.Should().BeGreaterThanOrEqualTo(0.93);
        result.TrainAccuracy.Should().BeGreaterThanOrEqualTo(0.95);
        result.TrainLoss.Should().BeLessThan(0.1);
    }

    [Fact]
    public void SoftmaxRegressionAndOneHiddenLayerClassifyDigits()
    {
        SoftmaxRegressionResult result = SoftmaxRegressionDemo.Run(Data, TextWriter.Null);

        result.SoftmaxTestAccuracy.Should().BeGreaterThanOrEqualTo(0.93);
        result.HiddenTestAccuracy.Should().BeGreaterThanOrEqualTo(0.93);
        result.SoftmaxHistory.Should().HaveCount(SoftmaxRegressionDemo.Epochs);
        result.SoftmaxHistory[^1].TrainLoss.Should().BeLessThan(result.SoftmaxHistory[0].TrainLoss);
        result.HiddenHistory[^1].TrainLoss.Should().BeLessThan(result.SoftmaxHistory[^1].TrainLoss, "the hidden layer fits the training set better");
    }

    [Fact]
    public void EveryOptimizerLowersTheLoss()
    {
        OptimizerRun[] runs = OptimizersDemo.Run(Data, TextWriter.Null, steps: 100);

        runs.Select(r => r.Name.Split(' ')[0]).Should().Equal("GradientDescent", "Momentum", "AdaGrad", "RmsProp", "Adam");
        foreach (OptimizerRun run in runs)
        {
            run.Losses.Should().HaveCount(4);
            run.Losses[0].Should().BeApproximately(Math.Log(10), 1e-5, "zero weights give uniform probabilities");
            run.Losses[1].Should().BeLessThan(run.Losses[0], run.Name);
            run.Losses[^1].Should().BeLessThan(0.6, run.Name);
        }
    }

    [Fact]
    public void CheckpointsArePowersOfTen()
    {
        OptimizersDemo.Checkpoints(1000).Should().Equal(0, 1, 10, 100, 1000);
        OptimizersDemo.Checkpoints(300).Should().Equal(0, 1, 10, 100);
    }

    [Fact]
    public void HingeAndGaussianNllModelsLearnWhatTheyShould()
    {
        LossesResult result = LossesDemo.Run(Data, TextWriter.Null);

        result.SvmAccuracy.Should().BeGreaterThanOrEqualTo(0.9);
        result.HingeLoss.Should().BeLessThan(0.3);
        result.Gaussian[0].Should().BeApproximately(2, 0.15);
        result.Gaussian[1].Should().BeApproximately(1, 0.1);
        result.Gaussian[2].Should().BeApproximately(2, 0.2);
        result.Gaussian[3].Should().BeApproximately(-1, 0.15);
    }
}

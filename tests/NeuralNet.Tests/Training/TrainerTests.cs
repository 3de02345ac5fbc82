namespace NeuralNet.Tests.Training;

using NeuralNet;
using NeuralNet.Data;
using NeuralNet.Layers;
using NeuralNet.Optimizers;
using NeuralNet.Training;

public class TrainerTests
{
    private static Dataset Iris() => SklearnCsv.Load(Path.Combine(RepositoryData.Directory("sklearn"), "iris.csv"));

    private static Sequential Model(int seed) => new(
        new Dense(4, 16, dtype: DType.Float64, seed: seed), new Tanh(), new Dense(16, 3, dtype: DType.Float64, seed: seed + 1));

    [Fact]
    public void FitLearnsIrisAndReportsEveryEpoch()
    {
        var (train, test) = Iris().Split(0.2, seed: 1);
        Sequential model = Model(seed: 3);
        var reports = new List<EpochReport>();
        FitResult result = Trainer.Fit(
            model, new Adam(model.Parameters, learningRate: 0.02), train,
            new FitOptions { Epochs = 60, BatchSize = 16, Seed = 5, Validation = test },
            progress: new SynchronousProgress(reports.Add));

        reports.Should().HaveCount(60);
        result.History.Should().Equal(reports);
        result.History[^1].TrainLoss.Should().BeLessThan(result.History[0].TrainLoss / 5);
        Trainer.Evaluate(model, test).Accuracy.Should().BeGreaterThanOrEqualTo(0.9);
        result.History[^1].ValidationAccuracy.Should().Be(Trainer.Evaluate(model, test).Accuracy);
    }

    [Fact]
    public void FitRefusesAnEmptySetAndAnOptimizerOverAnotherModel()
    {
        Sequential model = Model(seed: 3);
        var empty = new Dataset(Tensor.Zeros([0, 4], DType.Float64), []);
        var noData = () => Trainer.Fit(model, new Adam(model.Parameters), empty);
        noData.Should().Throw<ArgumentException>().WithMessage("Fit: the training set is empty*");

        Sequential other = Model(seed: 4);
        var before = model.Parameters.Select(p => p.ToArray<double>()).ToArray();
        var wrong = () => Trainer.Fit(model, new Adam(other.Parameters), Iris());
        wrong.Should().Throw<ArgumentException>().WithMessage("Fit: the optimizer updates 4 parameters, none of them the model's*");
        model.Parameters.Select(p => p.ToArray<double>()).Should().BeEquivalentTo(before, o => o.WithStrictOrdering());
    }

    [Fact]
    public void TheSameSeedGivesTheSameRun()
    {
        Dataset iris = Iris();
        double[] Run()
        {
            Sequential model = Model(seed: 7);
            return [.. Trainer.Fit(model, new Sgd(model.Parameters, 0.1), iris, new FitOptions { Epochs = 3, BatchSize = 10, Seed = 2 })
                .History.Select(r => r.TrainLoss)];
        }

        Run().Should().Equal(Run());
    }

    [Fact]
    public void EarlyStoppingRestoresTheBestEpochsWeights()
    {
        // A scripted "optimizer" sets the one weight to 2 (the exact fit), then 5, then 9: validation loss is best
        // after epoch 1 and worse for two epochs, so with patience 2 training stops after epoch 3 and puts back 2.
        var data = new Dataset(Tensor.FromArray([1.0, 2.0], 2, 1), [0, 1]);
        var model = new Scale();
        var script = new ScriptedOptimizer(model.Parameters, [2.0, 5.0, 9.0, 11.0, 13.0]);
        Tensor Loss(Tensor outputs, int[] labels) => (outputs - Tensor.FromArray(labels.Select(l => 2.0 * (l + 1)).ToArray(), labels.Length, 1)).Square().Mean();

        FitResult result = Trainer.Fit(
            model, script, data, new FitOptions { Epochs = 5, BatchSize = 2, Shuffle = false, Validation = data, Patience = 2 }, Loss);

        result.History.Should().HaveCount(3);
        result.StoppedEarly.Should().BeTrue();
        result.BestEpoch.Should().Be(1);
        result.History[0].ValidationLoss.Should().Be(0);
        model.Parameters[0].Item().Should().Be(2.0);
    }

    [Fact]
    public void OneOutputColumnIsReadAsABinaryLogit()
    {
        // Logits −2 and 3 for labels 0 and 1: both right under the sign rule (an arg-max of one column would say 50 %).
        var data = new Dataset(Tensor.FromArray([-2.0, 3.0], 2, 1), [0, 1]);
        var (_, accuracy) = Trainer.Evaluate(new Scale(initial: 1.0), data, (o, l) => o.Sum() * 0);
        accuracy.Should().Be(1.0);
    }

    [Fact]
    public void BadOptionsAreRefused()
    {
        Sequential model = Model(1);
        var optimizer = new Sgd(model.Parameters, 0.1);
        var epochs = () => Trainer.Fit(model, optimizer, Iris(), new FitOptions { Epochs = 0 });
        epochs.Should().Throw<ArgumentOutOfRangeException>().WithMessage("Fit: Epochs 0 must be at least 1.*");
        var patience = () => Trainer.Fit(model, optimizer, Iris(), new FitOptions { Patience = 2 });
        patience.Should().Throw<ArgumentException>().WithMessage("Fit: early stopping (Patience) needs a Validation set.*");
    }

    [Fact]
    public void CancellationStopsBetweenBatches()
    {
        Sequential model = Model(1);
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        var act = () => Trainer.Fit(model, new Sgd(model.Parameters, 0.1), Iris(), cancellationToken: cancel.Token);
        act.Should().Throw<OperationCanceledException>();
    }

    /// <summary>y = w·x with one weight.</summary>
    private sealed class Scale : Module
    {
        private readonly Parameter _w;

        public Scale(double initial = 0.0) => _w = RegisterParameter("w", new(Tensor.FromArray([initial], 1, 1), "w"));

        public override Tensor Forward(Tensor input) => input.MatMul(_w);
    }

    /// <summary>Sets the parameter to the next scripted value at every step.</summary>
    private sealed class ScriptedOptimizer(IEnumerable<Parameter> parameters, double[] values) : Optimizer(parameters, 1.0)
    {
        private int _next;

        protected override void Update(Parameter parameter, Tensor gradient) =>
            parameter.Assign(Tensor.FromArray([values[_next++]], 1, 1));
    }

    /// <summary>Reports on the calling thread (Progress&lt;T&gt; posts to the thread pool).</summary>
    private sealed class SynchronousProgress(Action<EpochReport> report) : IProgress<EpochReport>
    {
        public void Report(EpochReport value) => report(value);
    }
}

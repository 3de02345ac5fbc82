namespace NeuralNet.Tests;

using NeuralNet;
using NeuralNet.Data;
using NeuralNet.Layers;
using NeuralNet.Optimizers;
using NeuralNet.Training;

/// <summary>
/// The lines a PyTorch user writes on day one (issue 17's list), each doing what PyTorch does with the same
/// inputs; the expected values are worked by hand.
/// </summary>
public class DayOneApiTests
{
    private static readonly Tensor M = Tensor.FromArray(new double[,] { { 1, 2, 3, 4 }, { 5, 6, 7, 8 } });

    [Fact]
    public void RangesSelectColumns()
    {
        // m[:, 1:3]
        Tensor y = M[.., 1..3];
        y.Shape.Should().Be(new Shape(2, 2));
        y.ToArray<double>().Should().Equal(2, 3, 6, 7);
    }

    [Fact]
    public void OneIndexOnAMatrixIsItsRow()
    {
        // m[0] is tensor([1., 2., 3., 4.]); m[0, 1].item() is 2.0
        M[0].ToArray<double>().Should().Equal(1, 2, 3, 4);
        M[0].Shape.Should().Be(new Shape(4));
        M[0, 1].Item().Should().Be(2);
    }

    [Fact]
    public void AFloat64TensorPlusAPlainScalarStaysFloat64()
    {
        // torch.tensor([1.0, 2.0], dtype=torch.float64) + 1.0
        Tensor y = Tensor.FromArray([1.0, 2.0]) + Tensor.Scalar(1.0);
        y.DType.Should().Be(DType.Float64);
        y.ToArray<double>().Should().Equal(2, 3);
    }

    [Fact]
    public void GradOfMaxIsTheOneInputForm()
    {
        // torch.func.grad(torch.max)(x): one-hot at the arg-max
        Tensor g = Autodiff.Grad(v => v.Max(), Tensor.FromArray([3.0, 7.0, 5.0]));
        g.ToArray<double>().Should().Equal(0, 1, 0);
    }

    [Fact]
    public void LossBackwardFillsTheParametersGradient()
    {
        // w = [1, 2] with requires_grad; ((w * w).sum()).backward(); w.grad == 2w
        var w = new Parameter(Tensor.FromArray([1.0, 2.0]), "w");
        using (Tape.Record())
        {
            (w * w).Sum().Backward();
        }

        w.Grad!.ToArray<double>().Should().Equal(2, 4);
    }

    [Fact]
    public void TrainAndEvalSwitchTheWholeModel()
    {
        var model = new Sequential(new Dense(2, 3, seed: 1), new ReLU(), new Dense(3, 1, seed: 2));
        model.Eval().Should().BeSameAs(model);
        model.Modules.Should().OnlyContain(m => !m.IsTraining);
        model.Train();
        model.Modules.Should().OnlyContain(m => m.IsTraining);
    }

    [Fact]
    public void ARegressionModelTrainsThroughFit()
    {
        // y = 2x − 1 on four points, full batch: plain gradient descent on MSE converges to w = 2, b = −1.
        var inputs = Tensor.FromArray([0.0, 1, 2, 3], 4, 1);
        var targets = Tensor.FromArray([-1.0, 1, 3, 5], 4, 1);
        var model = new Dense(1, 1, dtype: DType.Float64, seed: 1);
        Trainer.Fit(model, new GradientDescent(model.Parameters, 0.1), new TensorDataset(inputs, targets),
            (p, t) => Losses.MeanSquaredError(p, t), new FitOptions { Epochs = 2000, BatchSize = 4, Shuffle = false });

        model.Weight.Item().Should().BeApproximately(2, 1e-9);
        model.Bias!.Item().Should().BeApproximately(-1, 1e-9);
    }
}

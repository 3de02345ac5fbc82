namespace NeuralNet.Layers.Tests;

using NeuralNet;
using NeuralNet.Layers;

public class DropoutTests
{
    [Fact]
    public void SurvivorsAreScaledByExactlyOneOverOneMinusP()
    {
        // Inverted dropout: y = x / (1 − p) where kept, 0 where dropped.
        Tensor x = Tensor.RandomNormal([1000], seed: 1, dtype: DType.Float64);
        double[] input = x.ToArray<double>();
        double[] output = new Dropout(0.3, seed: 2).Forward(x).ToArray<double>();
        double scale = 1.0 / (1.0 - 0.3);
        int kept = 0;
        for (int i = 0; i < input.Length; i++)
        {
            if (output[i] != 0.0)
            {
                output[i].Should().Be(input[i] * scale, $"element {i} survived");
                kept++;
            }
        }

        kept.Should().BeInRange(1, 999, "some elements survive and some are dropped");
    }

    [Fact]
    public void Float32SurvivorsAreScaledInFloat32()
    {
        Tensor x = Tensor.RandomNormal([500], seed: 3);
        float[] input = x.ToArray<float>();
        float[] output = new Dropout(0.5, seed: 4).Forward(x).ToArray<float>();
        output.Select((y, i) => y == 0f || y == input[i] * 2f).Should().AllBeEquivalentTo(true);
    }

    [Fact]
    public void TheDroppedFractionIsPWithinFiveStandardDeviations()
    {
        // Each element is dropped independently with probability p: the fraction has standard deviation √(p(1 − p)/n).
        const int n = 1_000_000;
        const double p = 0.3;
        var dropout = new Dropout(p, seed: 5);
        Tensor ones = Tensor.Ones([n], DType.Float64);
        double sigma = Math.Sqrt(p * (1 - p) / n);
        for (int call = 0; call < 2; call++)
        {
            double dropped = dropout.Forward(ones).ToArray<double>().Count(v => v == 0.0) / (double)n;
            dropped.Should().BeApproximately(p, 5 * sigma, $"call {call}");
        }
    }

    [Fact]
    public void EvalModeAndPZeroReturnTheInputItself()
    {
        Tensor x = Tensor.RandomNormal([4, 3], seed: 6);
        var dropout = new Dropout(0.5);
        dropout.Eval();
        dropout.Forward(x).Should().BeSameAs(x);
        new Dropout(0.0).Forward(x).Should().BeSameAs(x);
        dropout.Train();
        dropout.Forward(x).Should().NotBeSameAs(x);
    }

    [Fact]
    public void POneZeroesEverythingAndItsGradient()
    {
        Tensor x = Tensor.RandomNormal([3, 3], seed: 7, dtype: DType.Float64);
        var dropout = new Dropout(1.0);
        (Tensor value, Tensor gradient) = Autodiff.ValueAndGrad(t => dropout.Forward(t).Sum(), x);
        value.Item().Should().Be(0.0);
        gradient.ToArray<double>().Should().AllBeEquivalentTo(0.0);
    }

    [Fact]
    public void TheSameSeedGivesTheSameMasksAndEachCallAFreshOne()
    {
        Tensor x = Tensor.Ones([200], DType.Float64);
        Dropout a = new(0.5, seed: 8), b = new(0.5, seed: 8), c = new(0.5, seed: 9);
        double[] first = a.Forward(x).ToArray<double>();
        first.Should().Equal(b.Forward(x).ToArray<double>());
        double[] second = a.Forward(x).ToArray<double>();
        second.Should().Equal(b.Forward(x).ToArray<double>());
        second.Should().NotEqual(first, "each call draws a new mask");
        c.Forward(x).ToArray<double>().Should().NotEqual(first, "another seed draws other masks");
    }

    [Fact]
    public void SettingDrawsBackRepeatsTheMasksFromThere()
    {
        Tensor x = Tensor.Ones([64, 32], DType.Float64);
        var dropout = new Dropout(0.5, seed: 11);
        dropout.Draws.Should().Be(0);
        dropout.Forward(x);
        dropout.Draws.Should().Be(1);
        double[] second = dropout.Forward(x).ToArray<double>();
        double[] third = dropout.Forward(x).ToArray<double>();

        dropout.Draws = 1;
        dropout.Forward(x).ToArray<double>().Should().Equal(second);
        var resumed = new Dropout(0.5, seed: 11) { Draws = 2 };
        resumed.Forward(x).ToArray<double>().Should().Equal(third, "a fresh layer with the saved count continues the sequence");

        dropout.Eval();
        dropout.Forward(x);
        dropout.Draws.Should().Be(2, "evaluation mode draws nothing");
        FluentActions.Invoking(() => dropout.Draws = -1).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*Dropout: Draws -1*");
    }

    [Fact]
    public void MasksOfSuccessiveDrawsAreUncorrelated()
    {
        // Two independent Bernoulli(1/2) masks agree on half their elements: 20,000 elements give 10,000 ± 71 (1σ).
        Tensor x = Tensor.Ones([20_000], DType.Float64);
        var dropout = new Dropout(0.5, seed: 12);
        double[] first = dropout.Forward(x).ToArray<double>(), second = dropout.Forward(x).ToArray<double>();
        int agree = first.Zip(second).Count(pair => pair.First == pair.Second);
        agree.Should().BeInRange(10_000 - 355, 10_000 + 355, "within 5σ of independence");
    }

    [Fact]
    public void TheGradientIsTheMaskOverOneMinusP()
    {
        // With x = 1 the output is the mask scaled, m/(1 − p); d(Σ y)/dx = m/(1 − p) too, element for element.
        var dropout = new Dropout(0.25, seed: 10);
        Tensor x = Tensor.Ones([300], DType.Float64);
        Tensor? output = null;
        Tensor gradient = Autodiff.Grad(t => (output = dropout.Forward(t)).Sum(), x);
        double[] mask = output!.ToArray<double>();
        mask.Should().OnlyContain(v => v == 0.0 || v == 1.0 / 0.75);
        gradient.ToArray<double>().Should().Equal(mask);

        // Forward mode: the tangent is masked the same way.
        (Tensor value, Tensor tangent) = Autodiff.Jvp(dropout.Forward, x, Tensor.Ones([300], DType.Float64));
        tangent.ToArray<double>().Should().Equal(value.ToArray<double>());
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void APOutsideZeroToOneIsRefused(double p)
    {
        Action act = () => _ = new Dropout(p);
        act.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "p")
            .WithMessage($"Dropout: p = {p.ToString(System.Globalization.CultureInfo.InvariantCulture)} is not a probability in [0, 1].*");
    }

    [Fact]
    public void HasNoParametersAndShowsP()
    {
        var dropout = new Dropout(0.2);
        dropout.Parameters.Should().BeEmpty();
        ModuleChecks.AssertRegistered(dropout);
        dropout.ToString().Should().Be("Dropout(p=0.2)");
    }
}

namespace NeuralNet.Optimizers.Tests;

using NeuralNet;
using NeuralNet.Optimizers;
using static NeuralNet.Optimizers.Tests.TestFunctions;

public class ParameterGroupTests
{
    public static TheoryData<string> Kinds =>
        ["GradientDescent", "Sgd", "Momentum", "AdaGrad", "RmsProp", "RmsPropCentered", "Adam", "AdamAmsGrad", "AdamW"];

    /// <summary>An optimizer of <paramref name="kind"/> over groups, with η = 0.1 and λ = 0.05 for groups that set none.</summary>
    private static Optimizer OverGroups(string kind, ParameterGroup[] groups) => kind switch
    {
        "GradientDescent" => new GradientDescent(groups, 0.1, momentum: 0.9, weightDecay: 0.05),
        "Sgd" => new Sgd(groups, 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.05),
        "Momentum" => new Momentum(groups, 0.1),
        "AdaGrad" => new AdaGrad(groups, 0.1, weightDecay: 0.05),
        "RmsProp" => new RmsProp(groups, 0.1, momentum: 0.5, weightDecay: 0.05),
        "RmsPropCentered" => new RmsProp(groups, 0.1, alpha: 0.9, momentum: 0.5, weightDecay: 0.05, centered: true),
        "Adam" => new Adam(groups, 0.1, weightDecay: 0.05),
        "AdamAmsGrad" => new Adam(groups, 0.1, beta2: 0.5, weightDecay: 0.05, decoupledWeightDecay: true, amsGrad: true),
        "AdamW" => new AdamW(groups, 0.1, weightDecay: 0.05),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>The same optimizer over a plain parameter list, with its own η and λ.</summary>
    private static Optimizer Alone(string kind, Parameter p, double lr, double wd) => kind switch
    {
        "GradientDescent" => new GradientDescent([p], lr, momentum: 0.9, weightDecay: wd),
        "Sgd" => new Sgd([p], lr, momentum: 0.9, nesterov: true, weightDecay: wd),
        "Momentum" => new Momentum([p], lr),
        "AdaGrad" => new AdaGrad([p], lr, weightDecay: wd),
        "RmsProp" => new RmsProp([p], lr, momentum: 0.5, weightDecay: wd),
        "RmsPropCentered" => new RmsProp([p], lr, alpha: 0.9, momentum: 0.5, weightDecay: wd, centered: true),
        "Adam" => new Adam([p], lr, weightDecay: wd),
        "AdamAmsGrad" => new Adam([p], lr, beta2: 0.5, weightDecay: wd, decoupledWeightDecay: true, amsGrad: true),
        "AdamW" => new AdamW([p], lr, weightDecay: wd),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void TwoGroupsStepExactlyAsTwoSeparateOptimizers(string kind)
    {
        // group 0 takes the optimizer's η = 0.1 and λ = 0.05; group 1 sets η = 0.02 and (but for Momentum) λ = 0
        double? secondDecay = kind == "Momentum" ? null : 0;
        Parameter a = Float64(Start), b = Float64(Start), aAlone = Float64(Start), bAlone = Float64(Start);
        Optimizer grouped = OverGroups(kind, [new ParameterGroup([a]), new ParameterGroup([b], learningRate: 0.02, weightDecay: secondDecay)]);
        Optimizer first = Alone(kind, aAlone, 0.1, 0.05), second = Alone(kind, bAlone, 0.02, 0);
        foreach (double[] gradient in Gradients)
        {
            foreach (Parameter p in new[] { a, b, aAlone, bAlone })
            {
                SetGrad(p, gradient);
            }

            grouped.Step();
            first.Step();
            second.Step();
            a.ToArray<double>().Should().Equal(aAlone.ToArray<double>(), kind);
            b.ToArray<double>().Should().Equal(bAlone.ToArray<double>(), kind);
        }

        a.ToArray<double>().Should().NotEqual(b.ToArray<double>(), "the groups' hyper-parameters differ");
    }

    [Fact]
    public void AGroupWithoutWeightDecayIsNotDecayed()
    {
        // with g = 0, AdamW's step is the decay alone: θ(1 − ηλ) in the decayed group, θ unchanged in the other
        Parameter weights = Float64(2.0, -4.0), biases = Float64(1.0);
        var optimizer = new AdamW([new ParameterGroup([weights]), new ParameterGroup([biases], weightDecay: 0)], learningRate: 0.1, weightDecay: 0.5);
        SetGrad(weights, [0.0, 0.0]);
        SetGrad(biases, [0.0]);
        optimizer.Step();
        weights.ToArray<double>().Should().Equal([2.0 * 0.95, -4.0 * 0.95], (x, y) => Math.Abs(x - y) <= Tolerance);
        biases.ToArray<double>().Should().Equal(1.0);
    }

    [Fact]
    public void EachGroupsLearningRateCanBeSetAndTheOptimizersSetsThemAll()
    {
        Parameter a = Float64(Start), b = Float64(Start);
        var optimizer = new Sgd([new ParameterGroup([a]), new ParameterGroup([b], learningRate: 0.5)], learningRate: 0.1);
        optimizer.Groups.Select(group => group.LearningRate).Should().Equal(0.1, 0.5);
        optimizer.Groups[1].LearningRate = 0.25;
        optimizer.LearningRate.Should().Be(0.1);
        optimizer.LearningRate = 0.01;
        optimizer.Groups.Select(group => group.LearningRate).Should().Equal(0.01, 0.01);
    }

    [Fact]
    public void ParametersAreListedInGroupOrder()
    {
        Parameter a = Float64(1), b = Float64(2), c = Float64(3);
        var optimizer = new Adam([new ParameterGroup([b, c]), new ParameterGroup([a])]);
        optimizer.Parameters.Should().Equal(b, c, a);
        optimizer.Groups[0].Parameters.Should().Equal(b, c);
    }

    [Fact]
    public void AnEmptyCollectionExpressionIsAnEmptyParameterList()
    {
        var empty = () => new AdamW([]);
        empty.Should().Throw<ArgumentException>().WithMessage("AdamW: no parameters to optimize.*");
        var emptySgd = () => new Sgd([], 0.1);
        emptySgd.Should().Throw<ArgumentException>().WithMessage("Sgd: no parameters to optimize.*");
    }

    [Fact]
    public void RefusesBadGroups()
    {
        Parameter p = new(Tensor.Zeros([2]), "w"), q = Float64(Start);
        var none = () => new Adam(Array.Empty<ParameterGroup>());
        none.Should().Throw<ArgumentException>().WithMessage("Adam: no parameter groups.*").Which.ParamName.Should().Be("groups");
        var nullGroup = () => new AdamW([new ParameterGroup([p]), null!]);
        nullGroup.Should().Throw<ArgumentException>().WithMessage("AdamW: group 1 is null.*");
        var emptyGroup = () => new RmsProp([new ParameterGroup([p]), new ParameterGroup([])]);
        emptyGroup.Should().Throw<ArgumentException>().WithMessage("RmsProp: group 1 has no parameters.*");
        var allEmpty = () => new AdaGrad([new ParameterGroup([])]);
        allEmpty.Should().Throw<ArgumentException>().WithMessage("AdaGrad: no parameters to optimize.*");
        var twice = () => new Sgd([new ParameterGroup([p, q]), new ParameterGroup([p])], 0.1);
        twice.Should().Throw<ArgumentException>()
            .WithMessage("Sgd: Parameter(w, [2], Float32) is listed twice, as parameter 0 (group 0) and parameter 2 (group 1).*");
        var nullParameter = () => new GradientDescent([new ParameterGroup([q]), new ParameterGroup([null!])], 0.1);
        nullParameter.Should().Throw<ArgumentException>().WithMessage("GradientDescent: parameter 1 is null.*");
        var nullList = () => new ParameterGroup(null!);
        nullList.Should().Throw<ArgumentNullException>().Which.ParamName.Should().Be("parameters");
        var decayedMomentum = () => new Momentum([new ParameterGroup([q], weightDecay: 0.1)], 0.1);
        decayedMomentum.Should().Throw<ArgumentException>()
            .WithMessage("Momentum: group 0 has weightDecay 0.1; Momentum has no weight decay (use Sgd).*");
    }

    [Fact]
    public void RefusesBadGroupHyperparameters()
    {
        Parameter p = Float64(Start);
        var rate = () => new ParameterGroup([p], learningRate: -1);
        rate.Should().Throw<ArgumentOutOfRangeException>().WithMessage("ParameterGroup: learningRate -1 must be non-negative and finite.*");
        var decay = () => new ParameterGroup([p], weightDecay: double.NaN);
        decay.Should().Throw<ArgumentOutOfRangeException>().WithMessage("ParameterGroup: weightDecay NaN must be non-negative and finite.*");
        var group = new ParameterGroup([p]);
        var set = () => group.LearningRate = double.PositiveInfinity;
        set.Should().Throw<ArgumentOutOfRangeException>().WithMessage("ParameterGroup: LearningRate Infinity must be non-negative and finite.*");
    }

    [Fact]
    public void ToStringShowsTheGroupsWhenThereIsMoreThanOne()
    {
        Parameter w = Float64(Start), b = Float64(0.0);
        new AdamW([new ParameterGroup([w]), new ParameterGroup([b], weightDecay: 0)], learningRate: 1e-3).ToString().Should().Be(
            "AdamW(learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1E-08, weightDecay: 0.01, groups: "
            + "[ParameterGroup(1 parameters, learningRate: 0.001), ParameterGroup(1 parameters, learningRate: 0.001, weightDecay: 0)], "
            + "2 parameters)");
        new Sgd([new ParameterGroup([w, b])], 0.1).ToString().Should().Be("Sgd(learningRate: 0.1, 2 parameters)");
        new RmsProp([new ParameterGroup([w]), new ParameterGroup([b], learningRate: 0.5)], centered: true).ToString().Should().Be(
            "RmsProp(learningRate: 0.01, alpha: 0.99, epsilon: 1E-08, centered, groups: "
            + "[ParameterGroup(1 parameters, learningRate: 0.01), ParameterGroup(1 parameters, learningRate: 0.5)], 2 parameters)");
    }
}

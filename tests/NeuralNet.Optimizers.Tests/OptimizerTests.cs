namespace NeuralNet.Optimizers.Tests;

using NeuralNet;
using NeuralNet.Optimizers;

public class OptimizerBaseTests
{
    private sealed class Noop(IEnumerable<Parameter> parameters) : Optimizer(parameters, 0.1)
    {
        protected override void Update(Parameter parameter, Tensor gradient, ParameterGroup group)
        {
        }
    }

    [Fact]
    public void RefusesNoParametersAndDuplicates()
    {
        var act = () => new Noop([]);
        act.Should().Throw<ArgumentException>().WithMessage("Noop: no parameters to optimize.*");
        var p = new Parameter(Tensor.Zeros([2]));
        var twice = () => new Noop([p, p]);
        twice.Should().Throw<ArgumentException>()
            .WithMessage("Noop: Parameter(unnamed, [2], Float32) is listed twice, as parameter 0 (group 0) and parameter 1 (group 0).*");
        var withNull = () => new Noop([p, null!]);
        withNull.Should().Throw<ArgumentException>().WithMessage("Noop: parameter 1 is null.*");
        var adam = () => new Adam([null!]);
        adam.Should().Throw<ArgumentException>().WithMessage("Adam: parameter 0 is null.*");
    }
}

public class OptimizerStepTests
{
    public static TheoryData<string> Names => ["GradientDescent", "Nesterov", "Momentum", "Sgd", "AdaGrad", "RmsProp", "RmsPropCentered", "Adam", "AdamW", "AdamWAmsGrad", "Groups"];

    private static Optimizer Create(string name, Parameter[] ps) => name switch
    {
        "GradientDescent" => new GradientDescent(ps, 0.1, weightDecay: 0.01),
        "Nesterov" => new GradientDescent(ps, 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01),
        "Momentum" => new Momentum(ps, 0.1),
        "Sgd" => new Sgd(ps, 0.1, momentum: 0.5),
        "AdaGrad" => new AdaGrad(ps, weightDecay: 0.01),
        "RmsProp" => new RmsProp(ps, momentum: 0.9, weightDecay: 0.01),
        "RmsPropCentered" => new RmsProp(ps, momentum: 0.9, weightDecay: 0.01, centered: true),
        "Adam" => new Adam(ps, weightDecay: 0.01),
        "AdamW" => new AdamW(ps),
        "AdamWAmsGrad" => new AdamW(ps, amsGrad: true),
        "Groups" => new AdamW([.. ps.Select((p, i) => new ParameterGroup([p], learningRate: 0.01 * (i + 1), weightDecay: i))]),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void ASteadyStateStepAllocatesNothing(string name)
    {
        Parameter a = new(Tensor.RandomNormal([64, 32], seed: 1, dtype: DType.Float64));
        Parameter b = new(Tensor.RandomNormal([32], seed: 2));
        a.Grad = Tensor.RandomNormal([64, 32], seed: 3, dtype: DType.Float64);
        b.Grad = Tensor.RandomNormal([32], seed: 4);
        Optimizer optimizer = Create(name, [a, b]);
        for (int i = 0; i < 50; i++)
        {
            optimizer.Step();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        optimizer.Step();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        allocated.Should().Be(0);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void AZeroLearningRateLeavesParametersUnchanged(string name)
    {
        double[] start = [1.5, -2.0, 0.25];
        Parameter p = new(Tensor.FromArray(start, 3));
        Optimizer optimizer = Create(name, [p]);
        optimizer.LearningRate = 0;
        p.Grad = Tensor.FromArray([0.3, -1.2, 2.0], 3);
        optimizer.Step();
        optimizer.Step();
        p.ToArray<double>().Should().Equal(start);
        optimizer.StepCount.Should().Be(2);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void AGradientOfTheWrongDTypeIsRefused(string name)
    {
        Parameter p = new(Tensor.FromArray([1.0, 2.0], 2), "w");
        Optimizer optimizer = Create(name, [p]);
        p.Grad = Tensor.FromArray([1f, 2f], 2);
        var act = () => optimizer.Step();
        act.Should().Throw<InvalidOperationException>().WithMessage($"{optimizer.GetType().Name}: the gradient of Parameter(w, [2], Float64) is [2] Float32; it must match the parameter.");
    }

    [Fact]
    public void ZeroGradClearsEveryGradientAndParametersIsReadOnly()
    {
        Parameter a = new(Tensor.Zeros([2])), b = new(Tensor.Zeros([3]));
        var optimizer = new GradientDescent([a, b], 0.1);
        a.Grad = Tensor.Ones([2]);
        b.Grad = Tensor.Ones([3]);
        optimizer.ZeroGrad();
        a.Grad.Should().BeNull();
        b.Grad.Should().BeNull();
        optimizer.Parameters.Should().Equal(a, b);
        optimizer.Parameters.Should().NotBeAssignableTo<Parameter[]>();
    }
}

namespace NeuralNet.Optimizers.Tests;

using NeuralNet;
using NeuralNet.Optimizers;
using static NeuralNet.Optimizers.Tests.TestFunctions;

public class StateDictTests
{
    public static TheoryData<string, DType> KindsAndDTypes()
    {
        var data = new TheoryData<string, DType>();
        foreach (string kind in Kinds)
        {
            data.Add(kind, DType.Float64);
            data.Add(kind, DType.Float32);
        }

        return data;
    }

    private static readonly string[] Kinds =
    [
        "GradientDescent", "Momentum", "Nesterov", "AdaGrad", "RmsProp", "RmsPropMomentum", "RmsPropCentered",
        "Adam", "AdamAmsGrad", "AdamW", "AdamWAmsGrad",
    ];

    /// <summary>Two groups with η = 0.1 (λ = 0.01 for rules that have weight decay) but for group 1's λ = 0.</summary>
    private static Optimizer Create(string kind, Parameter a, Parameter b)
    {
        ParameterGroup[] groups = [new ParameterGroup([a]), new ParameterGroup([b], weightDecay: kind == "Momentum" ? null : 0)];
        return kind switch
        {
            "GradientDescent" => new GradientDescent(groups, 0.1, weightDecay: 0.01),
            "Momentum" => new Momentum(groups, 0.1),
            "Nesterov" => new Sgd(groups, 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01),
            "AdaGrad" => new AdaGrad(groups, 0.1, weightDecay: 0.01),
            "RmsProp" => new RmsProp(groups, 0.1, weightDecay: 0.01),
            "RmsPropMomentum" => new RmsProp(groups, 0.1, momentum: 0.9, weightDecay: 0.01),
            "RmsPropCentered" => new RmsProp(groups, 0.1, alpha: 0.9, momentum: 0.5, weightDecay: 0.01, centered: true),
            "Adam" => new Adam(groups, 0.1, weightDecay: 0.01),
            "AdamAmsGrad" => new Adam(groups, 0.1, beta2: 0.9, weightDecay: 0.01, amsGrad: true),
            "AdamW" => new AdamW(groups, 0.1),
            "AdamWAmsGrad" => new AdamW(groups, 0.1, beta2: 0.9, amsGrad: true),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

    private static (Parameter A, Parameter B) Parameters(DType dtype) =>
        (new Parameter(Tensor.RandomNormal([5, 3], seed: 1, dtype: dtype), "a"), new Parameter(Tensor.RandomNormal([4], seed: 2, dtype: dtype), "b"));

    /// <summary>Step <paramref name="step"/> of a run: b has no gradient at step 0; η drops to 0.05 from step 2, as a schedule would.</summary>
    private static void Step(Optimizer optimizer, Parameter a, Parameter b, int step)
    {
        if (step == 2)
        {
            optimizer.LearningRate = 0.05;
        }

        a.Grad = Tensor.RandomNormal(a.Shape, seed: 100 + step, dtype: a.DType);
        b.Grad = step == 0 ? null : Tensor.RandomNormal(b.Shape, seed: 200 + step, dtype: b.DType);
        optimizer.Step();
    }

    private static Parameter CopyOf(Parameter p) =>
        new(p.DType == DType.Float32 ? Tensor.FromSpan(p.Values<float>(), p.Shape.ToArray()) : Tensor.FromSpan(p.Values<double>(), p.Shape.ToArray()), p.Name);

    [Theory]
    [MemberData(nameof(KindsAndDTypes))]
    public void ResumingFromAStateDictContinuesBitForBit(string kind, DType dtype)
    {
        const int before = 3, after = 4;
        var (a, b) = Parameters(dtype);
        Optimizer uninterrupted = Create(kind, a, b);
        for (int step = 0; step < before + after; step++)
        {
            Step(uninterrupted, a, b, step);
        }

        var (a1, b1) = Parameters(dtype);
        Optimizer first = Create(kind, a1, b1);
        for (int step = 0; step < before; step++)
        {
            Step(first, a1, b1, step);
        }

        IReadOnlyDictionary<string, Tensor> saved = first.StateDict();

        // a new process: fresh parameters holding the saved values, a fresh optimizer made the same way
        Parameter a2 = CopyOf(a1), b2 = CopyOf(b1);
        Optimizer resumed = Create(kind, a2, b2);
        resumed.LoadStateDict(saved);
        resumed.StepCount.Should().Be(before);
        resumed.LearningRate.Should().Be(0.05, "the learning rate in force when the state was saved is restored");
        for (int step = before; step < before + after; step++)
        {
            Step(resumed, a2, b2, step);
        }

        a2.ToArray<double>().Should().Equal(a.ToArray<double>(), $"{kind} {dtype}");
        b2.ToArray<double>().Should().Equal(b.ToArray<double>(), $"{kind} {dtype}");
        resumed.StateDict().Keys.Should().BeEquivalentTo(uninterrupted.StateDict().Keys);
    }
}

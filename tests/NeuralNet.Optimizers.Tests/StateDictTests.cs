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

    [Fact]
    public void HoldsPyTorchsBuffersWithTheirValuesAfterOneStep()
    {
        // one Adam step from zero state: m = (1 − β₁)g, v = (1 − β₂)g², v_max = v, t = 1
        Parameter p = Float64(Start), untouched = Float64(1.0);
        var optimizer = new Adam([p, untouched], learningRate: 0.1, beta1: 0.8, beta2: 0.9, amsGrad: true);
        double[] g = Gradients[0];
        SetGrad(p, g);
        optimizer.Step();
        IReadOnlyDictionary<string, Tensor> state = optimizer.StateDict();
        state.Keys.Should().BeEquivalentTo(
            "step_count", "param_groups.0.lr", "param_groups.0.weight_decay",
            "state.0.step", "state.0.exp_avg", "state.0.exp_avg_sq", "state.0.max_exp_avg_sq");
        state["step_count"].Item().Should().Be(1);
        state["param_groups.0.lr"].Item().Should().Be(0.1);
        state["param_groups.0.weight_decay"].Item().Should().Be(0);
        state["state.0.step"].Shape.Should().Be(Shape.ScalarShape);
        state["state.0.step"].DType.Should().Be(DType.Float64);
        state["state.0.step"].Item().Should().Be(1);
        state["state.0.exp_avg"].ToArray<double>().Should().Equal(g.Select(x => 0.2 * x), (x, y) => Math.Abs(x - y) <= Tolerance);
        state["state.0.exp_avg_sq"].ToArray<double>().Should().Equal(g.Select(x => 0.1 * x * x), (x, y) => Math.Abs(x - y) <= Tolerance);
        state["state.0.max_exp_avg_sq"].ToArray<double>().Should().Equal(state["state.0.exp_avg_sq"].ToArray<double>());
    }

    [Fact]
    public void EachRuleNamesItsBuffersAsPyTorchDoes()
    {
        static string[] StateKeys(Optimizer optimizer)
        {
            SetGrad(optimizer.Parameters[0], Gradients[0]);
            optimizer.Step();
            return [.. optimizer.StateDict().Keys.Where(key => key.StartsWith("state.")).Order()];
        }

        StateKeys(new Sgd([Float64(Start)], 0.1)).Should().BeEmpty("SGD without momentum keeps no state");
        StateKeys(new Sgd([Float64(Start)], 0.1, momentum: 0.9)).Should().Equal("state.0.momentum_buffer");
        StateKeys(new AdaGrad([Float64(Start)])).Should().Equal("state.0.step", "state.0.sum");
        StateKeys(new RmsProp([Float64(Start)])).Should().Equal("state.0.square_avg", "state.0.step");
        StateKeys(new RmsProp([Float64(Start)], momentum: 0.5, centered: true))
            .Should().Equal("state.0.grad_avg", "state.0.momentum_buffer", "state.0.square_avg", "state.0.step");
        StateKeys(new AdamW([Float64(Start)])).Should().Equal("state.0.exp_avg", "state.0.exp_avg_sq", "state.0.step");
    }

    [Fact]
    public void BuffersHaveTheParametersShapeAndDTypeAndTheRightValues()
    {
        // SGD's first buffer is g; AdaGrad's sum is g²; centered RMSProp's averages are (1 − α)g² and (1 − α)g
        Parameter p = new(Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 6f], 2, 3));
        float[] g = [0.5f, -1f, 2f, 0.25f, -0.125f, 1f];
        var sgd = new Sgd([p], 0.1, momentum: 0.9);
        var adaGrad = new AdaGrad([p]);
        var rmsProp = new RmsProp([p], alpha: 0.75, centered: true);
        foreach (Optimizer optimizer in new Optimizer[] { sgd, adaGrad, rmsProp })
        {
            p.Grad = Tensor.FromArray(g, 2, 3);
            optimizer.Step();
        }

        Tensor buffer = sgd.StateDict()["state.0.momentum_buffer"];
        buffer.Shape.Should().Be(new Shape(2, 3));
        buffer.DType.Should().Be(DType.Float32);
        buffer.ToArray<float>().Should().Equal(g);
        adaGrad.StateDict()["state.0.sum"].ToArray<float>().Should().Equal(g.Select(x => x * x));
        rmsProp.StateDict()["state.0.square_avg"].ToArray<float>().Should().Equal(g.Select(x => 0.25f * x * x));
        rmsProp.StateDict()["state.0.grad_avg"].ToArray<float>().Should().Equal(g.Select(x => 0.25f * x));
    }

    [Fact]
    public void AScalarParametersBuffersAreScalars()
    {
        Parameter p = new(Tensor.Scalar(2.0, DType.Float64));
        var optimizer = new Adam([p]);
        p.Grad = Tensor.Scalar(0.5, DType.Float64);
        optimizer.Step();
        optimizer.StateDict()["state.0.exp_avg"].Shape.Should().Be(Shape.ScalarShape);
        new Adam([new Parameter(Tensor.Scalar(2.0, DType.Float64))]).LoadStateDict(optimizer.StateDict());
    }

    [Fact]
    public void TheStateDictIsACopyAndLoadingCopiesIt()
    {
        Parameter p = Float64(Start), q = Float64(Start);
        var optimizer = new Adam([p], learningRate: 0.1);
        SetGrad(p, Gradients[0]);
        optimizer.Step();
        IReadOnlyDictionary<string, Tensor> saved = optimizer.StateDict();
        double[] expAvg = saved["state.0.exp_avg"].ToArray<double>();

        var other = new Adam([q], learningRate: 0.1);
        other.LoadStateDict(saved);
        SetGrad(p, Gradients[1]);
        SetGrad(q, Gradients[1]);
        optimizer.Step();
        other.Step();
        saved["state.0.exp_avg"].ToArray<double>().Should().Equal(expAvg, "neither the optimizer it came from nor the one it went to writes it");
        saved["state.0.step"].Item().Should().Be(1);
        saved["step_count"].Item().Should().Be(1);
    }

    [Fact]
    public void LoadingRestoresEachGroupsWeightDecayAndForgetsStateItDoesNotHold()
    {
        Parameter a = Float64(Start), b = Float64(Start);
        var source = new AdamW([new ParameterGroup([a]), new ParameterGroup([b], weightDecay: 0)], learningRate: 0.1);
        SetGrad(a, Gradients[0]);
        source.Step();

        Parameter a2 = Float64(Start), b2 = Float64(Start);
        var target = new AdamW([new ParameterGroup([a2]), new ParameterGroup([b2])], learningRate: 0.1);
        SetGrad(a2, Gradients[0]);
        SetGrad(b2, Gradients[0]);
        target.Step();
        target.LoadStateDict(source.StateDict());
        target.Groups[0].WeightDecay.Should().BeNull("its λ already was the saved one");
        target.Groups[1].WeightDecay.Should().Be(0);
        target.StateDict().Keys.Should().NotContain(key => key.StartsWith("state.1."), "b had no state in the source");
        target.StateDict()["param_groups.1.weight_decay"].Item().Should().Be(0);
    }

    public static TheoryData<string, string> BadStates() => new()
    {
        { "unknown", "Adam: momentum is not a key of an optimizer state; expected step_count, param_groups.{g}.lr, param_groups.{g}.weight_decay or state.{i}.{buffer}.*" },
        { "missing step_count", "Adam: step_count is missing; expected step_count and the lr and weight_decay of every group.*" },
        { "missing lr", "Adam: param_groups.0.lr is missing; expected step_count and the lr and weight_decay of every group.*" },
        { "missing buffer", "Adam: state.0.exp_avg_sq is missing; expected it beside state.0.exp_avg.*" },
        { "group out of range", "Adam: param_groups.1.lr names group 1; expected a group index in [0, 1) (the optimizer has 1 groups).*" },
        { "parameter out of range", "Adam: state.2.exp_avg names parameter 2; expected a parameter index in [0, 2) (the optimizer has 2 parameters).*" },
        { "index not canonical", "Adam: state.01.exp_avg names parameter 01; expected a parameter index in [0, 2) (the optimizer has 2 parameters).*" },
        { "wrong shape", "Adam: state.0.exp_avg is [2] Float64; expected [3] Float64, the shape and dtype of parameter 0.*" },
        { "wrong dtype", "Adam: state.0.exp_avg is [3] Float32; expected [3] Float64, the shape and dtype of parameter 0.*" },
        { "foreign buffer", "Adam: state.0.momentum_buffer is not state of this Adam: expected one of step, exp_avg, exp_avg_sq; found momentum_buffer.*" },
        { "step not whole", "Adam: state.0.step is 1.5; expected a non-negative whole number.*" },
        { "step not scalar", "Adam: state.0.step is [1] Float64; expected a rank-0 Float64 tensor.*" },
        { "step_count negative", "Adam: step_count is -1; expected a non-negative whole number.*" },
        { "negative lr", "Adam: param_groups.0.lr is -0.1; expected a non-negative finite value.*" },
        { "weight decay of float32", "Adam: param_groups.0.weight_decay is [] Float32; expected a rank-0 Float64 tensor.*" },
        { "null", "Adam: state.0.exp_avg is null; expected a tensor.*" },
    };

    [Theory]
    [MemberData(nameof(BadStates))]
    public void RefusesABadStateNamingTheKeyAndChangesNothing(string fault, string message)
    {
        Parameter a = Float64(Start), b = Float64(Start);
        var optimizer = new Adam([a, b], learningRate: 0.1);
        SetGrad(a, Gradients[0]);
        optimizer.Step();
        var state = new Dictionary<string, Tensor>(optimizer.StateDict());
        switch (fault)
        {
            case "unknown": state["momentum"] = Tensor.Scalar(0.9, DType.Float64); break;
            case "missing step_count": state.Remove("step_count"); break;
            case "missing lr": state.Remove("param_groups.0.lr"); break;
            case "missing buffer": state.Remove("state.0.exp_avg_sq"); break;
            case "group out of range": state["param_groups.1.lr"] = Tensor.Scalar(0.1, DType.Float64); break;
            case "parameter out of range": state["state.2.exp_avg"] = state["state.0.exp_avg"]; break;
            case "index not canonical": state["state.01.exp_avg"] = state["state.0.exp_avg"]; break;
            case "wrong shape": state["state.0.exp_avg"] = Tensor.FromArray([1.0, 2.0], 2); break;
            case "wrong dtype": state["state.0.exp_avg"] = state["state.0.exp_avg"].To(DType.Float32); break;
            case "foreign buffer": state["state.0.momentum_buffer"] = state["state.0.exp_avg"]; break;
            case "step not whole": state["state.0.step"] = Tensor.Scalar(1.5, DType.Float64); break;
            case "step not scalar": state["state.0.step"] = Tensor.FromArray([1.0], 1); break;
            case "step_count negative": state["step_count"] = Tensor.Scalar(-1, DType.Float64); break;
            case "negative lr": state["param_groups.0.lr"] = Tensor.Scalar(-0.1, DType.Float64); break;
            case "weight decay of float32": state["param_groups.0.weight_decay"] = Tensor.Scalar(0, DType.Float32); break;
            case "null": state["state.0.exp_avg"] = null!; break;
        }

        Parameter fresh = Float64(Start), other = Float64(Start);
        var target = new Adam([fresh, other], learningRate: 0.5);
        SetGrad(other, Gradients[1]);
        target.Step();
        IReadOnlyDictionary<string, Tensor> before = target.StateDict();

        var act = () => target.LoadStateDict(state);
        act.Should().Throw<ArgumentException>().WithMessage(message).Which.ParamName.Should().Be("state");
        IReadOnlyDictionary<string, Tensor> after = target.StateDict();
        after.Keys.Should().BeEquivalentTo(before.Keys);
        foreach (string key in before.Keys)
        {
            after[key].ToArray<double>().Should().Equal(before[key].ToArray<double>(), key);
        }
    }

    [Fact]
    public void RefusesTheStateOfAnotherKindOfOptimizer()
    {
        Parameter p = Float64(Start);
        var adam = new Adam([p]);
        SetGrad(p, Gradients[0]);
        adam.Step();
        var sgd = () => new Sgd([Float64(Start)], 0.1, momentum: 0.9).LoadStateDict(adam.StateDict());
        sgd.Should().Throw<ArgumentException>()
            .WithMessage("Sgd: state.0.step is not state of this Sgd: expected one of momentum_buffer; found step.*");
        var amsGrad = () => new Adam([Float64(Start)], amsGrad: true).LoadStateDict(adam.StateDict());
        amsGrad.Should().Throw<ArgumentException>().WithMessage("Adam: state.0.max_exp_avg_sq is missing; expected it beside state.0.exp_avg.*");
        var plain = () => new GradientDescent([Float64(Start)], 0.1).LoadStateDict(adam.StateDict());
        plain.Should().Throw<ArgumentException>()
            .WithMessage("GradientDescent: state.0.step is not state of this GradientDescent: expected no per-parameter state; found step.*");
        var momentum = new Sgd([Float64(Start)], 0.1, weightDecay: 0.1).StateDict();
        var decayed = () => new Momentum([Float64(Start)], 0.1).LoadStateDict(momentum);
        decayed.Should().Throw<ArgumentException>()
            .WithMessage("Momentum: param_groups.0.weight_decay is 0.1; expected 0 (Momentum has no weight decay).*");
        var nothing = () => new Adam([Float64(Start)]).LoadStateDict(null!);
        nothing.Should().Throw<ArgumentNullException>();
    }
}

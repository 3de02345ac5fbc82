namespace NeuralNet.Layers.Tests;

using NeuralNet;
using NeuralNet.Layers;

public class ModuleBaseTests
{
    private sealed class Scale : Module
    {
        private readonly Parameter _w;

        public Scale() => _w = RegisterParameter("w", new(Tensor.FromArray([2.0]), "w"));

        public override Tensor Forward(Tensor input) => input * _w;
    }

    /// <summary>A parameter of its own, then a nested Sequential and a Dense: the paths PyTorch would give.</summary>
    private sealed class Block : Module
    {
        public Block()
        {
            Factor = RegisterParameter("factor", new(Tensor.FromArray([2.0]), "factor"));
            Body = RegisterModule("body", new Sequential(new Dense(3, 4, dtype: DType.Float64, seed: 1), new Tanh(), new Dense(4, 2, dtype: DType.Float64, seed: 2)));
            Head = RegisterModule("head", new Dense(2, 1, bias: false, dtype: DType.Float64, seed: 3));
        }

        public Parameter Factor { get; }

        public Sequential Body { get; }

        public Dense Head { get; }

        public override Tensor Forward(Tensor input) => Head.Call(Body.Call(input) * Factor);
    }

    /// <summary>Registers whatever its constructor is told to, to exercise the name checks.</summary>
    private sealed class Registrar : Module
    {
        public Registrar(params (string Name, object Part)[] parts)
        {
            foreach ((string name, object part) in parts)
            {
                if (part is Parameter parameter)
                {
                    RegisterParameter(name, parameter);
                }
                else
                {
                    RegisterModule(name, (Module)part);
                }
            }
        }

        public void RegisterSelf() => RegisterModule("self", this);

        public override Tensor Forward(Tensor input) => input;
    }

    private static Parameter P(string name) => new(Tensor.Zeros([1]), name);

    [Fact]
    public void ZeroGradClearsEveryParameter()
    {
        var m = new Scale();
        using (var tape = Tape.Record())
        {
            tape.Backward(m.Forward(Tensor.FromArray([3.0])).Sum());
        }

        m.Parameters[0].Grad!.Item().Should().Be(3);
        m.ZeroGrad();
        m.Parameters[0].Grad.Should().BeNull();
    }

    [Fact]
    public void NamedParametersAreDottedPathsOwnFirstThenEachChildInRegistrationOrder()
    {
        var block = new Block();
        var first = (Dense)block.Body.Layers[0];
        var second = (Dense)block.Body.Layers[2];

        block.NamedParameters.Select(n => n.Name).Should().Equal(
            "factor", "body.0.weight", "body.0.bias", "body.2.weight", "body.2.bias", "head.weight");
        block.Parameters.Should().Equal(block.Factor, first.Weight, first.Bias!, second.Weight, second.Bias!, block.Head.Weight);
        block.NamedParameters.Select(n => n.Parameter).Should().Equal(block.Parameters);
    }

    [Fact]
    public void ChildrenAreDirectAndModulesAreRecursiveWithPaths()
    {
        var block = new Block();
        block.Children.Should().Equal(block.Body, block.Head);
        block.NamedChildren.Select(c => c.Name).Should().Equal("body", "head");
        block.NamedModules.Select(m => m.Name).Should().Equal("", "body", "body.0", "body.1", "body.2", "head");
        block.Modules.Should().Equal(block, block.Body, block.Body.Layers[0], block.Body.Layers[1], block.Body.Layers[2], block.Head);
        block.Head.Children.Should().BeEmpty();
        block.Head.Modules.Should().Equal(block.Head);
    }

    [Fact]
    public void ASharedModuleOrParameterIsListedOnceUnderItsFirstPath()
    {
        // An encoder used twice (tied weights): an optimizer must see each weight once, or it would step it twice.
        var shared = new Dense(2, 2, seed: 1);
        var model = new Registrar(("encoder", shared), ("decoder", shared));

        model.NamedParameters.Select(n => n.Name).Should().Equal("encoder.weight", "encoder.bias");
        model.Parameters.Should().Equal(shared.Weight, shared.Bias!);
        model.Modules.Should().Equal(model, shared);
        model.NamedChildren.Select(c => c.Name).Should().Equal("encoder", "decoder");
    }

    [Theory]
    [InlineData("", "*Registrar.RegisterParameter: '' is not a valid parameter name*")]
    [InlineData(" ", "*Registrar.RegisterParameter: ' ' is not a valid parameter name*")]
    [InlineData("a.b", "*Registrar.RegisterParameter: 'a.b' is not a valid parameter name (it must be non-empty and contain no '.')*")]
    public void AnInvalidNameIsRefusedNamingTheModuleAndTheName(string name, string message)
    {
        var act = () => new Registrar((name, P("x")));
        act.Should().Throw<ArgumentException>().WithMessage(message);
    }

    [Fact]
    public void ARepeatedNameIsRefusedWhetherParameterOrModule()
    {
        var twoParameters = () => new Registrar(("w", P("a")), ("w", P("b")));
        twoParameters.Should().Throw<ArgumentException>().WithMessage("Registrar.RegisterParameter: the name 'w' is already registered in this module.*");

        var parameterThenModule = () => new Registrar(("w", P("a")), ("w", new ReLU()));
        parameterThenModule.Should().Throw<ArgumentException>().WithMessage("Registrar.RegisterModule: the name 'w' is already registered in this module.*");

        var badModuleName = () => new Registrar(("0.1", new ReLU()));
        badModuleName.Should().Throw<ArgumentException>().WithMessage("Registrar.RegisterModule: '0.1' is not a valid module name*");
    }

    [Fact]
    public void AModuleCannotBeItsOwnDescendant()
    {
        var act = () => new Registrar().RegisterSelf();
        act.Should().Throw<ArgumentException>().WithMessage("Registrar.RegisterModule: child 'self' (Registrar) contains this module, which would make a cycle.*");
    }

    [Fact]
    public void TrainAndEvalSetTheModeOnEveryModuleAndReturnTheModule()
    {
        var block = new Block();
        block.Modules.Should().OnlyContain(m => m.IsTraining, "a module starts in training mode, as in PyTorch");

        block.Eval().Should().BeSameAs(block);
        block.Modules.Should().HaveCount(6).And.OnlyContain(m => !m.IsTraining);

        block.Train().Should().BeSameAs(block);
        block.Modules.Should().OnlyContain(m => m.IsTraining);

        block.Train(false);
        block.Modules.Should().OnlyContain(m => !m.IsTraining);

        // Only the subtree changes: the parent keeps its mode.
        block.Body.Train();
        block.IsTraining.Should().BeFalse();
        block.Head.IsTraining.Should().BeFalse();
        block.Body.Modules.Should().OnlyContain(m => m.IsTraining);
    }

    [Fact]
    public void ToStringShowsTheRegisteredChildrenByName() =>
        new Block().ToString().Should().Be(
            "Block(\n" +
            "  (body): Sequential(\n" +
            "    (0): Dense(in=3, out=4, bias=true)\n" +
            "    (1): Tanh()\n" +
            "    (2): Dense(in=4, out=2, bias=true)\n" +
            "  )\n" +
            "  (head): Dense(in=2, out=1, bias=false)\n" +
            ")");

    [Fact]
    public void CallReturnsWhatForwardReturns()
    {
        var block = new Block();
        Tensor x = TestHelpers.F64([1, -2, 0.5], 1, 3);
        block.Call(x).ToArray<double>().Should().Equal(block.Forward(x).ToArray<double>());
    }
}

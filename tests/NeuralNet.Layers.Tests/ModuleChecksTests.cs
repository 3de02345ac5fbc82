namespace NeuralNet.Layers.Tests;

using NeuralNet;
using NeuralNet.Layers;

public class ModuleChecksTests
{
    /// <summary>Registers its weight but forgets a parameter field, an auto-property child and a list of children.</summary>
    private sealed class Forgetful : Module
    {
        private readonly Parameter _weight;
        private readonly Parameter _forgotten = new(Tensor.Zeros([2]), "offset");
        private readonly List<Module> _extras = [new ReLU()];
        private readonly Dictionary<string, Parameter> _byName = new() { ["gain"] = new(Tensor.Ones([2]), "gain") };

        public Forgetful()
        {
            _weight = RegisterParameter("weight", new(Tensor.Zeros([2]), "weight"));
            Inner = new Dense(2, 2);
        }

        public Dense Inner { get; }

        public override Tensor Forward(Tensor input) => _extras[0].Call(Inner.Call(input * _weight * _byName["gain"] + _forgotten));
    }

    /// <summary>Keeps references into a registered child (a tied weight) and a plain tensor: nothing is missing.</summary>
    private sealed class Tied : Module
    {
        private readonly Dense _encoder;
        private readonly Parameter _tiedWeight;
        private readonly Tensor _constant = Tensor.Ones([2]);

        public Tied()
        {
            _encoder = RegisterModule("encoder", new Dense(2, 2));
            _tiedWeight = _encoder.Weight;
        }

        public override Tensor Forward(Tensor input) => _encoder.Call(input).MatMul(_tiedWeight) * _constant;
    }

    /// <summary>A correct module that holds a forgetful one: the problem is reported in the child.</summary>
    private sealed class Wrapper : Module
    {
        private readonly Forgetful _inner;

        public Wrapper() => _inner = RegisterModule("inner", new Forgetful());

        public override Tensor Forward(Tensor input) => _inner.Call(input);
    }

    [Fact]
    public void EveryForgottenFieldPropertyAndCollectionIsNamed()
    {
        ModuleChecks.FindUnregistered(new Forgetful()).Should().BeEquivalentTo(
        [
            "Forgetful._forgotten holds Parameter(offset, [2], Float32), which Forgetful does not register (RegisterParameter).",
            "Forgetful._extras holds module ReLU, which Forgetful does not register (RegisterModule).",
            "Forgetful._byName holds Parameter(gain, [2], Float32), which Forgetful does not register (RegisterParameter).",
            "Forgetful.Inner holds module Dense, which Forgetful does not register (RegisterModule).",
        ]);
    }

    [Fact]
    public void AssertRegisteredThrowsListingTheProblemsAndChecksDescendants()
    {
        var act = () => ModuleChecks.AssertRegistered(new Wrapper());
        act.Should().Throw<InvalidOperationException>()
            .WithMessage("Wrapper: 4 part(s) not registered*Forgetful._forgotten holds Parameter(offset*");
    }

    [Fact]
    public void ReferencesIntoRegisteredChildrenAndPlainTensorsAreFine() =>
        ModuleChecks.FindUnregistered(new Tied()).Should().BeEmpty();

    [Fact]
    public void EveryBuiltInLayerRegistersItsParts()
    {
        Module[] layers =
        [
            new Dense(3, 2), new Dense(3, 2, bias: false), new Perceptron(3), new ReLU(), new LeakyReLU(), new ELU(),
            new Sigmoid(), new Tanh(), new Softmax(), new Identity(),
            new Sequential(new Dense(3, 4), new ReLU(), new Sequential(new Dense(4, 2))),
        ];
        foreach (Module layer in layers)
        {
            ModuleChecks.FindUnregistered(layer).Should().BeEmpty(layer.ToString());
        }

        new Dense(3, 2).NamedParameters.Select(n => n.Name).Should().Equal("weight", "bias");
        new Dense(3, 2, bias: false).NamedParameters.Select(n => n.Name).Should().Equal("weight");
        new Perceptron(3).NamedParameters.Select(n => n.Name).Should().Equal("weight", "bias");
        new ReLU().Parameters.Should().BeEmpty();
    }
}

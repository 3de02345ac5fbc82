namespace NeuralNet.Onnx.Tests;

using Microsoft.ML.OnnxRuntime;
using NeuralNet;
using NeuralNet.Layers;
using NeuralNet.Onnx;
using Tensor = NeuralNet.Tensor;

/// <summary>Every exported model runs in ONNX Runtime and gives the library's outputs on batches of two sizes.</summary>
public sealed class OnnxRuntimeAgreementTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("onnx-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Module Layer(string kind, DType dtype) => kind switch
    {
        "dense" => new Dense(5, 4, dtype: dtype, seed: 1),
        "dense-no-bias" => new Dense(5, 4, bias: false, dtype: dtype, seed: 1),
        "relu" => new ReLU(),
        "sigmoid" => new Sigmoid(),
        "tanh" => new Tanh(),
        "silu" => new SiLU(),
        "leaky" => new LeakyReLU(0.2),
        "elu" => new ELU(0.7),
        "softmax" => new Softmax(),
        "identity" => new Identity(),
        "dropout" => new Dropout(0.5, seed: 3),
        "flatten" => new Flatten(),
        "batchnorm" => new BatchNorm1d(5, dtype: dtype),
        "layernorm" => new LayerNorm(5, dtype: dtype),
        _ => throw new ArgumentException(kind),
    };

    public static TheoryData<string, DType> Layers()
    {
        var data = new TheoryData<string, DType>();
        foreach (string kind in new[] { "dense", "dense-no-bias", "relu", "sigmoid", "tanh", "silu", "leaky", "elu", "softmax", "identity", "dropout", "flatten", "batchnorm", "layernorm" })
        {
            data.Add(kind, DType.Float32);
        }

        foreach (string kind in new[] { "dense", "dense-no-bias", "relu", "sigmoid", "tanh", "silu", "leaky", "softmax", "identity", "dropout", "flatten", "batchnorm", "layernorm" })
        {
            // ELU is left out: ONNX Runtime 1.32 has no Float64 kernel for Elu.
            data.Add(kind, DType.Float64);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Layers))]
    public void EachLayerAloneAgrees(string kind, DType dtype)
    {
        Module layer = Layer(kind, dtype);
        if (layer is BatchNorm1d)
        {
            Warm(layer, dtype);
        }

        Agree(layer, features: 5, dtype);
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void ADeepSequentialAgrees(DType dtype)
    {
        var model = new Sequential(
            new Dense(6, 16, dtype: dtype, seed: 1), new BatchNorm1d(16, dtype: dtype), new ReLU(), new Dropout(0.3, seed: 2),
            new Sequential(new Dense(16, 12, dtype: dtype, seed: 3), new Tanh(), new Dense(12, 8, dtype: dtype, seed: 4)),
            new Sigmoid(), new Dense(8, 3, dtype: dtype, seed: 5), new Softmax());
        Warm(model, dtype, features: 6);
        Agree(model, features: 6, dtype);
    }

    [Fact]
    public void InitializersAreNamedByStateDictKeys()
    {
        var model = new Sequential(new Dense(4, 3, seed: 1), new BatchNorm1d(3), new ReLU(), new Dense(3, 2, seed: 2));
        string path = Path.Combine(_dir, "names.onnx");
        model.ExportOnnx(path, Tensor.RandomNormal([2, 4], seed: 3));
        using var session = new InferenceSession(path);
        session.InputNames.Should().Equal("input");
        session.OutputNames.Should().Equal("output");
        session.InputMetadata["input"].SymbolicDimensions[0].Should().Be("batch");

        // ONNX Runtime hides initializers; read the names back from the file's bytes.
        string text = System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(path));
        foreach (string key in model.NamedParameters.Select(p => p.Name).Concat(model.NamedBuffers.Where(b => !b.Name.EndsWith("num_batches_tracked", StringComparison.Ordinal)).Select(b => b.Name)))
        {
            text.Should().Contain(key);
        }
    }

    [Fact]
    public void AnUnsupportedModuleIsRefusedByPathAndType()
    {
        var model = new Sequential(new Dense(3, 3, seed: 1), new Doubler());
        FluentActions.Invoking(() => model.ExportOnnx(Path.Combine(_dir, "x.onnx"), Tensor.Ones([1, 3])))
            .Should().Throw<NotSupportedException>().WithMessage("*module '1' (Doubler) cannot be exported*");
        File.Exists(Path.Combine(_dir, "x.onnx")).Should().BeFalse();
        model.IsTraining.Should().BeTrue("the export puts the model's mode back");
    }

    private sealed class Doubler : Module
    {
        public override Tensor Forward(Tensor input) => input * 2.0;
    }

    // A few training-mode passes so BatchNorm's running statistics are not the initial 0 and 1.
    private static void Warm(Module model, DType dtype, int features = 5)
    {
        model.Train();
        for (int i = 0; i < 5; i++)
        {
            model.Forward(Tensor.RandomNormal([16, features], seed: 100 + i, mean: 1.5, std: 2.0, dtype: dtype));
        }
    }

    private void Agree(Module model, int features, DType dtype) =>
        OnnxAgreement.Check(
            model,
            Path.Combine(_dir, "model.onnx"),
            Tensor.RandomNormal([3, features], seed: 7, dtype: dtype),
            [.. new[] { 1, 7 }.Select(batch => Tensor.RandomNormal([batch, features], seed: 10 + batch, dtype: dtype))]);
}

namespace NeuralNet.Onnx.Tests;

using NeuralNet;
using NeuralNet.Layers;
using Tensor = NeuralNet.Tensor;

/// <summary>Embedding, the recurrent layers and LastStep exported as ONNX Gather, RNN, LSTM and GRU give the library's
/// outputs, in both layouts. The graph's dynamic first axis is the batch for batch-first inputs and the time axis for
/// time-major ones, so the inputs vary in batch size or in length.</summary>
public sealed class SequenceLayerExportTests : IDisposable
{
    private const int Vocabulary = 10;

    private readonly string _dir = Directory.CreateTempSubdirectory("onnx-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string, bool, bool> RecurrentLayers()
    {
        var data = new TheoryData<string, bool, bool>();
        foreach (string kind in new[] { "rnn-tanh", "rnn-relu", "lstm", "gru" })
        {
            foreach (bool batchFirst in new[] { false, true })
            {
                foreach (bool bias in new[] { true, false })
                {
                    data.Add(kind, batchFirst, bias);
                }
            }
        }

        return data;
    }

    public static TheoryData<string, bool> SequenceModels()
    {
        var data = new TheoryData<string, bool>();
        foreach (string kind in new[] { "rnn-tanh", "rnn-relu", "lstm", "gru" })
        {
            data.Add(kind, false);
            data.Add(kind, true);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RecurrentLayers))]
    public void EachRecurrentLayerAgrees(string kind, bool batchFirst, bool bias) =>
        Agree(Recurrent(kind, 3, 5, batchFirst, bias), batchFirst, [3]);

    [Theory]
    [InlineData("rnn-tanh")]
    [InlineData("lstm")]
    [InlineData("gru")]
    public void AnUnbatchedSequenceAgrees(string kind) =>
        OnnxAgreement.Check(
            Recurrent(kind, 3, 5, batchFirst: true, bias: true),
            Path.Combine(_dir, "unbatched.onnx"),
            Tensor.RandomNormal([4, 3], seed: 7),
            Tensor.RandomNormal([1, 3], seed: 8),
            Tensor.RandomNormal([6, 3], seed: 9));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LastStepAgrees(bool batchFirst) => Agree(new LastStep(batchFirst), batchFirst, [3]);

    [Fact]
    public void LastStepOfAnUnbatchedSequenceAgrees() =>
        OnnxAgreement.Check(
            new LastStep(),
            Path.Combine(_dir, "last.onnx"),
            Tensor.RandomNormal([4, 3], seed: 7),
            Tensor.RandomNormal([1, 3], seed: 8),
            Tensor.RandomNormal([6, 3], seed: 9));

    [Fact]
    public void EmbeddingAgrees()
    {
        var layer = new Embedding(Vocabulary, 4, paddingIdx: 0, seed: 1);
        OnnxAgreement.Check(layer, Path.Combine(_dir, "embedding.onnx"), Indices([2, 5], 7), Indices([1, 5], 8), Indices([6, 5], 9));
    }

    [Fact]
    public void EmbeddingOfAVectorOfIndicesAgrees()
    {
        var layer = new Embedding(Vocabulary, 4, seed: 1);
        OnnxAgreement.Check(layer, Path.Combine(_dir, "embedding.onnx"), Indices([3], 7), Indices([1], 8), Indices([8], 9));
    }

    [Fact]
    public void RecurrentWeightsAreNamedAfterTheOperatorsInputs()
    {
        var model = new Sequential(new Embedding(Vocabulary, 3, seed: 1), new GRU(3, 4, seed: 3));
        string path = Path.Combine(_dir, "names.onnx");
        model.ExportOnnx(path, Indices([4, 2], 7));

        // ONNX Runtime hides initializers; read the names back from the file's bytes.
        string text = System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(path));
        foreach (string name in new[] { "0.weight", "1.W", "1.R", "1.B" })
        {
            text.Should().Contain(name);
        }

        text.Should().NotContain("weight_ih_l0", "ONNX's W is the gates reordered, not the state_dict's tensor");
    }

    // The recurrent layers are left out: ONNX Runtime 1.32 has no Float64 kernel for RNN, LSTM or GRU.
    [Fact]
    public void EmbeddingAndLastStepAgreeInFloat64()
    {
        var model = new Sequential(new Embedding(Vocabulary, 4, dtype: DType.Float64, seed: 1), new LastStep(batchFirst: true));
        OnnxAgreement.Check(
            model, Path.Combine(_dir, "float64.onnx"), Indices([2, 5], 7, DType.Float64), Indices([1, 5], 8, DType.Float64), Indices([6, 5], 9, DType.Float64));
    }

    [Theory]
    [MemberData(nameof(SequenceModels))]
    public void ASequenceModelAgrees(string kind, bool batchFirst)
    {
        var model = new Sequential(
            new Embedding(Vocabulary, 6, seed: 1),
            Recurrent(kind, 6, 8, batchFirst, bias: true),
            new LastStep(batchFirst),
            new Dense(8, 3, seed: 9));
        int[] Shape(int first) => batchFirst ? [first, 5] : [first, 4];
        OnnxAgreement.Check(
            model, Path.Combine(_dir, "sequence.onnx"), Indices(Shape(2), 7), Indices(Shape(1), 8), Indices(Shape(6), 9));
    }

    private static RecurrentLayer Recurrent(string kind, int inputSize, int hiddenSize, bool batchFirst, bool bias) => kind switch
    {
        "rnn-tanh" => new RNN(inputSize, hiddenSize, bias: bias, batchFirst: batchFirst, seed: 3),
        "rnn-relu" => new RNN(inputSize, hiddenSize, RnnNonlinearity.Relu, bias, batchFirst, seed: 3),
        "lstm" => new LSTM(inputSize, hiddenSize, bias, batchFirst, seed: 3),
        "gru" => new GRU(inputSize, hiddenSize, bias, batchFirst, seed: 3),
        _ => throw new ArgumentException(kind),
    };

    // [first, T or N, features]: the first axis, the graph's dynamic one, is the batch (batch-first) or the time.
    private void Agree(Module layer, bool batchFirst, int[] features)
    {
        int[] Shape(int first) => [first, batchFirst ? 5 : 4, .. features];
        OnnxAgreement.Check(
            layer,
            Path.Combine(_dir, "model.onnx"),
            Tensor.RandomNormal(Shape(2), seed: 7),
            Tensor.RandomNormal(Shape(1), seed: 8),
            Tensor.RandomNormal(Shape(6), seed: 9));
    }

    // Integral values in [0, Vocabulary), as Embedding takes its indices.
    private static Tensor Indices(int[] shape, int seed, DType dtype = DType.Float32)
    {
        var random = new Random(seed);
        double[] values = [.. Enumerable.Range(0, shape.Aggregate(1, (a, b) => a * b)).Select(_ => (double)random.Next(Vocabulary))];
        return Tensor.FromArray(values, shape).To(dtype);
    }
}

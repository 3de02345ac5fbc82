namespace NeuralNet.Layers.Tests;

using NeuralNet;
using NeuralNet.Layers;
using static RecurrentTestSupport;

public class RecurrentLayoutTests
{
    public static TheoryData<string> Kinds => new() { "RNN", "LSTM", "GRU" };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void BatchFirstGivesTheTransposedLayoutOfTheSameNumbers(string kind)
    {
        const int T = 4, N = 3, I = 2, H = 5;
        RecurrentLayer timeMajor = Create(kind, I, H, batchFirst: false), batchMajor = Create(kind, I, H, batchFirst: true);
        Tensor x = Normal(1, T, N, I);
        Tensor h0 = Normal(2, 1, N, H), c0 = Normal(3, 1, N, H);

        (Tensor Output, Tensor H) timeRun = Run(timeMajor, x, h0, c0);
        (Tensor Output, Tensor H) batchRun = Run(batchMajor, x.Permute(1, 0, 2), h0, c0);
        batchRun.Output.Shape.Should().Be(new Shape(N, T, H));
        batchRun.Output.ShouldEqual(timeRun.Output.Permute(1, 0, 2).ToArray<double>(), 0, [N, T, H]);
        batchRun.H.ShouldEqual(timeRun.H.ToArray<double>(), 0, [1, N, H]);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void AnUnbatchedSequenceIsABatchOfOne(string kind)
    {
        RecurrentLayer layer = Create(kind, 2, 3, batchFirst: true);
        Tensor x = Normal(1, 4, 2);
        Tensor h0 = Normal(2, 1, 3), c0 = Normal(3, 1, 3);

        (Tensor Output, Tensor H) unbatched = Run(layer, x, h0, c0);
        (Tensor Output, Tensor H) batched = Run(layer, x.Unsqueeze(0), h0.Unsqueeze(1), c0.Unsqueeze(1));
        unbatched.Output.ShouldEqual(batched.Output.ToArray<double>(), 0, [4, 3]);
        unbatched.H.ShouldEqual(batched.H.ToArray<double>(), 0, [1, 3]);
    }

    [Fact]
    public void ShapeAndDTypeErrorsNameTheLayerAndTheShapes()
    {
        var lstm = new LSTM(3, 4, dtype: DType.Float64);
        Tensor x = Tensor.Zeros([5, 2, 3], DType.Float64);
        FluentActions.Invoking(() => lstm.Forward(Tensor.Zeros([5, 2, 4], DType.Float64))).Should().Throw<ArgumentException>()
            .WithMessage("LSTM(inputSize=3, hiddenSize=4, bias=true, batchFirst=false): input [5,2,4] is not [T, N, 3] or unbatched [T, 3].*");
        FluentActions.Invoking(() => lstm.Forward(Tensor.Zeros([3], DType.Float64))).Should().Throw<ArgumentException>().WithMessage("LSTM(*input [3] is not*");
        FluentActions.Invoking(() => lstm.Forward(Tensor.Zeros([0, 2, 3], DType.Float64))).Should().Throw<ArgumentException>().WithMessage("LSTM(*input [0,2,3] has no time steps.*");
        FluentActions.Invoking(() => lstm.Forward(Tensor.Zeros([5, 2, 3]))).Should().Throw<ArgumentException>().WithMessage("LSTM(*the input is Float32*all must be one dtype.*");
        FluentActions.Invoking(() => lstm.Forward(x, (Tensor.Zeros([2, 4], DType.Float64), Tensor.Zeros([1, 2, 4], DType.Float64))))
            .Should().Throw<ArgumentException>().WithMessage("LSTM(*): h0 [2,4] Float64 does not fit: expected [1,2,4] Float64 (one layer, one direction).*");
        FluentActions.Invoking(() => lstm.Forward(x, (Tensor.Zeros([1, 2, 4], DType.Float64), Tensor.Zeros([1, 3, 4], DType.Float64))))
            .Should().Throw<ArgumentException>().WithMessage("LSTM(*): c0 [1,3,4] Float64 does not fit: expected [1,2,4]*");
        FluentActions.Invoking(() => new GRU(3, 4, batchFirst: true).Forward(Tensor.Zeros([2, 5, 2]))).Should().Throw<ArgumentException>()
            .WithMessage("GRU(*batchFirst=true): input [2,5,2] is not [N, T, 3] or unbatched [T, 3].*");
        FluentActions.Invoking(() => new RNN(3, 4).Forward(Tensor.Zeros([5, 3]), Tensor.Zeros([1, 2, 4]))).Should().Throw<ArgumentException>()
            .WithMessage("RNN(*): h0 [1,2,4] Float32 does not fit: expected [1,4] Float32*");
        FluentActions.Invoking(() => _ = new LSTM(0, 4)).Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "inputSize");
        FluentActions.Invoking(() => _ = new GRU(2, 0)).Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "hiddenSize");
    }

    [Fact]
    public void TheFunctionalFormsCheckTheWeightsAgainstEachOther()
    {
        Tensor x = Tensor.Zeros([2, 1, 3]);
        FluentActions.Invoking(() => LSTM.Apply(x, null, Tensor.Zeros([12, 3]), Tensor.Zeros([12, 4]), null, null)).Should().Throw<ArgumentException>()
            .WithMessage("LSTM.Apply: weight_ih [12,3], weight_hh [12,4], bias_ih none, bias_hh none do not fit: expected [4·H, I], [4·H, H], [4·H] and [4·H] with H > 0.");
        FluentActions.Invoking(() => GRU.Apply(x, null, Tensor.Zeros([6, 3]), Tensor.Zeros([6, 2]), Tensor.Zeros([5]), null)).Should().Throw<ArgumentException>()
            .WithMessage("GRU.Apply: *bias_ih [5]*");
        FluentActions.Invoking(() => RNN.Apply(x, null, Tensor.Zeros([2, 3]), Tensor.Zeros([2, 2]), null, null)).Should().NotThrow();
    }

    [Fact]
    public void LastStepTakesTheFinalStepOfEitherLayout()
    {
        var lstm = new LSTM(2, 3, dtype: DType.Float64, seed: 2);
        Tensor x = Normal(1, 4, 2, 2);
        (Tensor output, (Tensor hn, _)) = lstm.Forward(x, null);
        new LastStep().Forward(output).ShouldEqual(hn.ToArray<double>(), 0, [2, 3]);
        new LastStep(batchFirst: true).Forward(output.Permute(1, 0, 2)).ShouldEqual(hn.ToArray<double>(), 0, [2, 3]);
        new LastStep(batchFirst: true).Forward(output.Slice(1, 0, 1).Squeeze(1)).ShouldEqual(output.Slice(0, 3, 1).Slice(1, 0, 1).Reshape(3).ToArray<double>(), 0, [3]);
        FluentActions.Invoking(() => new LastStep().Forward(Tensor.Zeros([3]))).Should().Throw<ArgumentException>()
            .WithMessage("LastStep(batchFirst=false): input [3] is not a sequence [T, N, H] or [T, H] with T at least 1.*");
    }

    [Fact]
    public void ASequentialOfEmbeddingLSTMLastStepAndDenseRunsAndSummarises()
    {
        var model = new Sequential(new Embedding(10, 4, seed: 1), new LSTM(4, 5, seed: 2), new LastStep(), new Dense(5, 2, seed: 3));
        ModuleChecks.AssertRegistered(model);
        Tensor tokens = Tensor.FromArray(new float[] { 1, 2, 3, 4, 5, 6 }, 3, 2);
        model.Forward(tokens).Shape.Should().Be(new Shape(2, 2));

        // Embedding 10·4 = 40; LSTM 4·5·4 + 4·5·5 + 2·4·5 = 220; Dense 5·2 + 2 = 12; in all 272.
        string[] lines = model.Summary(tokens).Split('\n');
        lines.Should().Contain(l => l.StartsWith("0 ", StringComparison.Ordinal) && l.Contains("Embedding") && l.Contains("[3,2,4]") && l.EndsWith(" 40"));
        lines.Should().Contain(l => l.StartsWith("1 ", StringComparison.Ordinal) && l.Contains("LSTM") && l.Contains("[3,2,5]") && l.EndsWith(" 220"));
        lines.Should().Contain(l => l.StartsWith("2 ", StringComparison.Ordinal) && l.Contains("LastStep") && l.Contains("[2,5]") && l.EndsWith(" 0"));
        lines[^3].Should().Be("Total params: 272");
        model.NamedParameters.Select(p => p.Name).Should().Equal(
            "0.weight", "1.weight_ih_l0", "1.weight_hh_l0", "1.bias_ih_l0", "1.bias_hh_l0", "3.weight", "3.bias");
        model.ToString().Should().Contain("(1): LSTM(inputSize=4, hiddenSize=5, bias=true, batchFirst=false)");
    }

    private static RecurrentLayer Create(string kind, int input, int hidden, bool batchFirst) => kind switch
    {
        "RNN" => new RNN(input, hidden, batchFirst: batchFirst, dtype: DType.Float64, seed: 3),
        "LSTM" => new LSTM(input, hidden, batchFirst: batchFirst, dtype: DType.Float64, seed: 3),
        _ => new GRU(input, hidden, batchFirst: batchFirst, dtype: DType.Float64, seed: 3),
    };

    // The outputs and the final h of any of the three layers (c0 is used by the LSTM only).
    private static (Tensor Output, Tensor H) Run(RecurrentLayer layer, Tensor x, Tensor h0, Tensor c0) => layer switch
    {
        RNN rnn => rnn.Forward(x, h0),
        LSTM lstm => Flatten(lstm.Forward(x, (h0, c0))),
        GRU gru => gru.Forward(x, h0),
        _ => throw new ArgumentOutOfRangeException(nameof(layer)),
    };

    private static (Tensor Output, Tensor H) Flatten((Tensor Output, (Tensor H, Tensor C) State) run) => (run.Output, run.State.H);
}

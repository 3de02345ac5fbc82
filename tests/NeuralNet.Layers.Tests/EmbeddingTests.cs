namespace NeuralNet.Layers.Tests;

using NeuralNet;
using NeuralNet.Layers;

public class EmbeddingTests
{
    private static readonly double[] Table = [0, 1, 10, 11, 20, 21, 30, 31];

    private static Embedding Embedding(int? paddingIdx = null)
    {
        var embedding = new Embedding(4, 2, paddingIdx, DType.Float64);
        embedding.Weight.Assign(TestHelpers.F64(Table, 4, 2));
        return embedding;
    }

    [Fact]
    public void EachIndexGivesItsRowOfTheWeightInTheInputsShape()
    {
        Embedding embedding = Embedding();
        embedding.Forward(TestHelpers.F64([2, 0, 2, 3, 1, 1], 2, 3)).ShouldEqual([20, 21, 0, 1, 20, 21, 30, 31, 10, 11, 10, 11], 0, [2, 3, 2]);
        embedding.Forward(Tensor.FromArray(new float[] { 3 }, 1)).ShouldEqual([30, 31], 0, [1, 2]);
        embedding.Forward(Tensor.Scalar(1.0, DType.Float64)).ShouldEqual([10, 11], 0, [2]);
    }

    [Fact]
    public void ARepeatedIndexAccumulatesTheGradientOfEveryPosition()
    {
        Embedding embedding = Embedding();
        Tensor weights = TestHelpers.F64([1, 2, 3, 4, 5, 6, 7, 8], 4, 2);
        using (var tape = Tape.Record())
        {
            tape.Backward((embedding.Forward(TestHelpers.F64([1, 3, 1, 1], 4)) * weights).Sum());
        }

        // Row 1 is read at positions 0, 2 and 3: [1 + 5 + 7, 2 + 6 + 8]; row 3 at position 1; rows 0 and 2 not at all.
        embedding.Weight.Grad!.ShouldEqual([0, 0, 13, 16, 0, 0, 3, 4], 0, [4, 2]);
    }

    [Fact]
    public void AnIndexThatIsNotAnIntegerInRangeIsRefusedByName()
    {
        Embedding embedding = Embedding();
        FluentActions.Invoking(() => embedding.Forward(TestHelpers.F64([0, 1.5], 2))).Should().Throw<ArgumentException>()
            .WithMessage("Embedding(numEmbeddings=4, embeddingDim=2): input [2] holds 1.5 at position 1, which is not an integer index.*");
        FluentActions.Invoking(() => embedding.Forward(TestHelpers.F64([4], 1))).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("Embedding(numEmbeddings=4, embeddingDim=2): index 4 at position 0 of input [1] is outside [0, 4).*");
        FluentActions.Invoking(() => embedding.Forward(TestHelpers.F64([-1], 1))).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*index -1 *outside [0, 4)*");
        FluentActions.Invoking(() => embedding.Forward(TestHelpers.F64([double.NaN], 1))).Should().Throw<ArgumentException>().WithMessage("*NaN*not an integer*");
        FluentActions.Invoking(() => _ = new Embedding(0, 2)).Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "numEmbeddings");
        FluentActions.Invoking(() => _ = new Embedding(4, 2, paddingIdx: 4)).Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "paddingIdx");
    }

    [Fact]
    public void ThePaddingRowStartsAtZeroAndGetsNoGradient()
    {
        var fresh = new Embedding(5, 3, paddingIdx: -2, seed: 4);
        fresh.PaddingIdx.Should().Be(3);
        float[] initial = fresh.Weight.ToArray<float>();
        initial[9..12].Should().Equal(0f, 0f, 0f);
        initial.Where((_, k) => k / 3 != 3).Should().OnlyContain(v => v != 0f, "the other rows keep their draws");
        fresh.ToString().Should().Be("Embedding(numEmbeddings=5, embeddingDim=3, paddingIdx=3)");

        // The padding row is read as it is (here not zero), but nothing flows back into it.
        Embedding embedding = Embedding(paddingIdx: 1);
        using (var tape = Tape.Record())
        {
            Tensor rows = embedding.Forward(TestHelpers.F64([1, 2, 1], 3));
            rows.ShouldEqual([10, 11, 20, 21, 10, 11], 0, [3, 2]);
            tape.Backward((rows * TestHelpers.F64([1, 2, 3, 4, 5, 6], 3, 2)).Sum());
        }

        embedding.Weight.Grad!.ShouldEqual([0, 0, 0, 0, 3, 4, 0, 0], 0, [4, 2]);
    }

    [Fact]
    public void TheTableIsDrawnFromTheStandardNormalAndRegisteredAsWeight()
    {
        var embedding = new Embedding(1000, 20, seed: 3);
        ModuleChecks.AssertRegistered(embedding);
        embedding.NamedParameters.Select(p => (p.Name, p.Parameter.Shape)).Should().Equal(("weight", new Shape(1000, 20)));
        double[] values = embedding.Weight.ToArray<double>();
        double mean = values.Average(), std = Math.Sqrt(values.Select(v => (v - mean) * (v - mean)).Average());

        // 20,000 draws: the standard error of the mean is 0.007 and of the standard deviation 0.005.
        mean.Should().BeApproximately(0, 0.03);
        std.Should().BeApproximately(1, 0.02);
        new Embedding(1000, 20, seed: 3).Weight.ToArray<float>().Should().Equal(embedding.Weight.ToArray<float>());
        embedding.ToString().Should().Be("Embedding(numEmbeddings=1000, embeddingDim=20)");
    }
}

namespace NeuralNet.Tests.Tensors;

using NeuralNet;

/// <summary>In-place updates of parameters, as optimizers make them.</summary>
public class ParameterTests
{
    [Fact]
    public void AsSpanWritesInPlaceAndDetachedViewsSeeIt()
    {
        var p = new Parameter(Tensor.FromArray([1f, 2f, 3f]), "p");
        Tensor view = p.Detach();
        p.AsSpan<float>()[1] = 5;

        p.ToArray<float>().Should().Equal(1, 5, 3);
        view.ToArray<float>().Should().Equal(1, 5, 3);
    }

    [Fact]
    public void AsSpanRefusesTheWrongElementType()
    {
        var p = new Parameter(Tensor.Zeros([2]), "w");
        var act = () => p.AsSpan<double>().Length;
        act.Should().Throw<InvalidOperationException>().WithMessage("AsSpan: the tensor ([2]) is Float32*");
    }

    [Fact]
    public void AssignCopiesValuesAndChecksShapeAndDType()
    {
        var p = new Parameter(Tensor.Zeros([2, 2], DType.Float64), "w");
        Tensor source = Tensor.FromArray([1.0, 2, 3, 4], 2, 2);
        p.Assign(source);
        p.ToArray<double>().Should().Equal(1, 2, 3, 4);

        var wrongShape = () => p.Assign(Tensor.Zeros([4], DType.Float64));
        wrongShape.Should().Throw<ArgumentException>().WithMessage("Assign: value [4] Float64 does not match parameter w [2,2] Float64*");
        var wrongType = () => p.Assign(Tensor.Zeros([2, 2]));
        wrongType.Should().Throw<ArgumentException>().WithMessage("*Float32*Float64*");
    }

    [Fact]
    public void ConstructionCopiesTheInitialValue()
    {
        double[] values = [1, 2];
        Tensor initial = Tensor.FromArray(values);
        var p = new Parameter(initial);
        p.AsSpan<double>()[0] = 9;
        initial.ToArray<double>().Should().Equal(1, 2);
    }
}

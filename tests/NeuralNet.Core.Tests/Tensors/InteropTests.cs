namespace NeuralNet.Tests.Tensors;

using NeuralNet;
using NumericsTensor = System.Numerics.Tensors.Tensor;

/// <summary>Conversions to and from System.Numerics.Tensors, and the read-only views that do not copy.</summary>
public class InteropTests
{
    public static TheoryData<int[], DType> Shapes => new()
    {
        { [], DType.Float32 },
        { [], DType.Float64 },
        { [5], DType.Float32 },
        { [5], DType.Float64 },
        { [2, 3], DType.Float32 },
        { [2, 3], DType.Float64 },
        { [2, 3, 4], DType.Float32 },
        { [2, 3, 4], DType.Float64 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void NumericsTensorRoundTripKeepsValuesAndShape(int[] dimensions, DType dtype)
    {
        Tensor x = Tensor.RandomNormal(new Shape(dimensions), seed: dimensions.Length, dtype: dtype);
        Tensor back = dtype == DType.Float32
            ? Tensor.FromNumericsTensor(x.ToNumericsTensor<float>())
            : Tensor.FromNumericsTensor(x.ToNumericsTensor<double>());

        back.DType.Should().Be(dtype);
        back.ToArray<double>().Should().Equal(x.ToArray<double>());

        // System.Numerics.Tensors has no rank 0: a scalar goes over as [1].
        back.Shape.Should().Be(dimensions.Length == 0 ? new Shape(1) : new Shape(dimensions));
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void NumericsTensorHasTheShapeAsLengthsAndRowMajorValues(int[] dimensions, DType dtype)
    {
        Tensor x = Tensor.RandomNormal(new Shape(dimensions), seed: 3, dtype: dtype);
        nint[] expectedLengths = dimensions.Length == 0 ? [1] : [.. dimensions.Select(d => (nint)d)];
        if (dtype == DType.Float32)
        {
            System.Numerics.Tensors.Tensor<float> t = x.ToNumericsTensor<float>();
            t.Lengths.ToArray().Should().Equal(expectedLengths);
            t.IsDense.Should().BeTrue();
            Flatten(t).Should().Equal(x.ToArray<float>());
        }
        else
        {
            System.Numerics.Tensors.Tensor<double> t = x.ToNumericsTensor<double>();
            t.Lengths.ToArray().Should().Equal(expectedLengths);
            t.IsDense.Should().BeTrue();
            Flatten(t).Should().Equal(x.ToArray<double>());
        }
    }

    [Fact]
    public void IndexingAgreesElementByElement()
    {
        Tensor x = Tensor.Arange(0, 24, dtype: DType.Float64).Reshape(2, 3, 4);
        System.Numerics.Tensors.Tensor<double> t = x.ToNumericsTensor<double>();
        for (int i = 0; i < 2; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                for (int k = 0; k < 4; k++)
                {
                    t[(nint)i, (nint)j, (nint)k].Should().Be((float)x[i, j, k].Item());
                }
            }
        }
    }

    [Fact]
    public void EmptyTensorsRoundTrip()
    {
        Tensor x = Tensor.Zeros([0, 2], DType.Float64);
        System.Numerics.Tensors.Tensor<double> t = x.ToNumericsTensor<double>();
        t.Lengths.ToArray().Should().Equal(0, 2);
        t.FlattenedLength.Should().Be(0);
        Tensor back = Tensor.FromNumericsTensor(t);
        back.Shape.Should().Be(new Shape(0, 2));
        x.AsReadOnlyTensorSpan<double>().Lengths.ToArray().Should().Equal(0, 2);
        x.Values<double>().Length.Should().Be(0);
    }

    [Fact]
    public void FromNumericsTensorCopies()
    {
        System.Numerics.Tensors.Tensor<float> t = NumericsTensor.Create([1f, 2f, 3f, 4f, 5f, 6f], [2, 3]);
        Tensor x = Tensor.FromNumericsTensor(t);
        t[(nint)0, (nint)0] = 100f;
        x.ToArray<float>().Should().Equal(1f, 2f, 3f, 4f, 5f, 6f);
        x.Shape.Should().Be(new Shape(2, 3));
        x.DType.Should().Be(DType.Float32);
    }

    [Fact]
    public void ToNumericsTensorCopies()
    {
        // Tensor<T> is writable; our tensors are not, so writing into the conversion leaves the source alone.
        var x = Tensor.FromArray([1.0, 2.0, 3.0]);
        System.Numerics.Tensors.Tensor<double> t = x.ToNumericsTensor<double>();
        t[(nint)1] = -7;
        x.ToArray<double>().Should().Equal(1, 2, 3);
    }

    [Fact]
    public void StridedAndBroadcastSourcesAreReadInLogicalOrder()
    {
        // A transposed view of [[1, 2, 3], [4, 5, 6]]: lengths [3, 2], strides [1, 3].
        ReadOnlySpan<double> storage = [1, 2, 3, 4, 5, 6];
        var transposed = new System.Numerics.Tensors.ReadOnlyTensorSpan<double>(storage, [3, 2], [1, 3]);
        Tensor x = Tensor.FromNumericsTensor(transposed);
        x.Shape.Should().Be(new Shape(3, 2));
        x.ToArray<double>().Should().Equal(1, 4, 2, 5, 3, 6);

        // A row broadcast to three rows: stride 0 on the first axis.
        ReadOnlySpan<float> row = [1, 2];
        var broadcast = new System.Numerics.Tensors.ReadOnlyTensorSpan<float>(row, [3, 2], [0, 1]);
        Tensor y = Tensor.FromNumericsTensor(broadcast);
        y.Shape.Should().Be(new Shape(3, 2));
        y.ToArray<float>().Should().Equal(1, 2, 1, 2, 1, 2);
    }

    [Fact]
    public void FromNumericsTensorRefusesOtherElementTypes()
    {
        System.Numerics.Tensors.Tensor<int> t = NumericsTensor.Create([1, 2, 3], [3]);
        FluentActions.Invoking(() => Tensor.FromNumericsTensor(t)).Should().Throw<NotSupportedException>()
            .WithMessage("FromNumericsTensor: element type Int32 is not supported*");
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ValuesAndTensorSpanViewTheStorageInRowMajorOrder(int[] dimensions, DType dtype)
    {
        Tensor x = Tensor.RandomNormal(new Shape(dimensions), seed: 5, dtype: dtype);
        if (dtype == DType.Float32)
        {
            x.Values<float>().ToArray().Should().Equal(x.ToArray<float>());
            System.Numerics.Tensors.ReadOnlyTensorSpan<float> view = x.AsReadOnlyTensorSpan<float>();
            view.Lengths.ToArray().Should().Equal(dimensions.Length == 0 ? [1] : dimensions.Select(d => (nint)d).ToArray());
            Tensor.FromNumericsTensor(view).ToArray<float>().Should().Equal(x.ToArray<float>());
        }
        else
        {
            x.Values<double>().ToArray().Should().Equal(x.ToArray<double>());
            System.Numerics.Tensors.ReadOnlyTensorSpan<double> view = x.AsReadOnlyTensorSpan<double>();
            view.Lengths.ToArray().Should().Equal(dimensions.Length == 0 ? [1] : dimensions.Select(d => (nint)d).ToArray());
            Tensor.FromNumericsTensor(view).ToArray<double>().Should().Equal(x.ToArray<double>());
        }
    }

    [Fact]
    public void ViewsDoNotCopy()
    {
        // The internal constructor wraps the array, so writing into it is visible through both views.
        double[] storage = [1, 2, 3, 4, 5, 6];
        var x = new Tensor(storage, new Shape(2, 3));
        ReadOnlySpan<double> values = x.Values<double>();
        System.Numerics.Tensors.ReadOnlyTensorSpan<double> view = x.AsReadOnlyTensorSpan<double>();

        storage[4] = 50;
        values[4].Should().Be(50);
        view[(nint)1, (nint)1].Should().Be(50);
        x[1, 1].Item().Should().Be(50);
    }

    [Fact]
    public void ValuesOfAParameterFollowInPlaceUpdates()
    {
        var p = new Parameter(Tensor.FromArray([1f, 2f]));
        ReadOnlySpan<float> values = p.Values<float>();
        p.Span<float>()[0] = 10f;
        values[0].Should().Be(10f);
    }

    [Fact]
    public void ValuesOfATrackedTensorAreItsValue()
    {
        var x = Tensor.FromArray([0.5, 1.5]);
        double[] seen = [];
        Autodiff.Grad(
            t =>
            {
                Tensor y = t.Square();
                seen = y.Values<double>().ToArray();
                return y.Sum();
            },
            x);
        seen.Should().Equal(0.25, 2.25);
    }

    [Fact]
    public void DTypeMismatchThrowsNamingBothTypes()
    {
        var f32 = Tensor.Ones([2], DType.Float32);
        var f64 = Tensor.Ones([2], DType.Float64);
        FluentActions.Invoking(() => f32.Values<double>().ToArray()).Should().Throw<InvalidOperationException>()
            .WithMessage("Values: the tensor ([2]) is Float32; ask for float rather than Double*");
        FluentActions.Invoking(() => f64.Values<float>().ToArray()).Should().Throw<InvalidOperationException>()
            .WithMessage("Values: the tensor ([2]) is Float64; ask for double rather than Single*");
        FluentActions.Invoking(() => f64.AsReadOnlyTensorSpan<float>().Rank).Should().Throw<InvalidOperationException>()
            .WithMessage("AsReadOnlyTensorSpan: *");
        FluentActions.Invoking(() => f32.ToNumericsTensor<double>()).Should().Throw<InvalidOperationException>()
            .WithMessage("ToNumericsTensor: *");
        FluentActions.Invoking(() => f32.Values<int>().ToArray()).Should().Throw<InvalidOperationException>();
    }

    private static T[] Flatten<T>(System.Numerics.Tensors.Tensor<T> t)
    {
        var values = new T[t.FlattenedLength];
        t.FlattenTo(values);
        return values;
    }
}

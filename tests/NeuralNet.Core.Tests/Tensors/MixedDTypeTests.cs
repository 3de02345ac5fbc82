namespace NeuralNet.Tests.Tensors;

using NeuralNet;

/// <summary>Ops never convert implicitly: mixing Float32 and Float64 is refused, naming the op and both dtypes.</summary>
public class MixedDTypeTests
{
    public static TheoryData<string, Func<Tensor, Tensor, Tensor>> BinaryOps => new()
    {
        { "Add", (a, b) => a + b },
        { "Subtract", (a, b) => a - b },
        { "Multiply", (a, b) => a * b },
        { "Divide", (a, b) => a / b },
        { "MatMul", (a, b) => a.MatMul(b) },
    };

    [Theory]
    [MemberData(nameof(BinaryOps))]
    public void MixedDTypesAreRefusedNamingBothDTypes(string op, Func<Tensor, Tensor, Tensor> apply)
    {
        Tensor f32 = Tensor.Ones([2, 2], DType.Float32);
        Tensor f64 = Tensor.Ones([2, 2], DType.Float64);

        var forward = () => apply(f32, f64);
        forward.Should().Throw<ArgumentException>().WithMessage($"{op}: dtypes Float32 and Float64 differ*");
        var backward = () => apply(f64, f32);
        backward.Should().Throw<ArgumentException>().WithMessage($"{op}: dtypes Float64 and Float32 differ*");
    }

    [Fact]
    public void MixedDTypesAreRefusedOnTrackedTensorsToo()
    {
        var w = new Parameter(Tensor.Ones([3], DType.Float64));
        using var tape = Tape.Record();
        var act = () => w * Tensor.Ones([3], DType.Float32);
        act.Should().Throw<ArgumentException>().WithMessage("Multiply: dtypes Float64 and Float32 differ ([3] and [3])*");
    }

    [Fact]
    public void ScalarOperandsTakeTheTensorsDType()
    {
        (Tensor.Ones([2], DType.Float32) * 0.1).DType.Should().Be(DType.Float32);
        (0.1 + Tensor.Ones([2], DType.Float64)).DType.Should().Be(DType.Float64);
    }
}

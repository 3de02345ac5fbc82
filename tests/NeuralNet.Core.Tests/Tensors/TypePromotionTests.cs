namespace NeuralNet.Tests.Tensors;

using NeuralNet;

/// <summary>
/// Element-wise ops promote as PyTorch's <c>torch.result_type</c>: Float32 ⊕ Float64 is Float64; a rank-0 tensor
/// does not widen a tensor with dimensions; a weak scalar (<c>Tensor.Scalar</c> without a dtype) takes the other
/// operand's dtype. Products do not promote, as in PyTorch.
/// </summary>
public class TypePromotionTests
{
    public static TheoryData<string, Func<Tensor, Tensor, Tensor>> PromotingOps => new()
    {
        { "Add", (a, b) => a + b },
        { "Subtract", (a, b) => a - b },
        { "Multiply", (a, b) => a * b },
        { "Divide", (a, b) => a / b },
        { "Pow", (a, b) => a.Pow(b) },
        { "Maximum", Tensor.Maximum },
        { "Minimum", Tensor.Minimum },
        { "Where", (a, b) => Tensor.Where(Tensor.FromArray([1f, 0f]), a, b) },
        { "Concatenate", (a, b) => Tensor.Concatenate([a, b]) },
        { "Stack", (a, b) => Tensor.Stack([a, b]) },
    };

    [Fact]
    public void AFloat64TensorPlusAScalarWithoutADTypeStaysFloat64()
    {
        Tensor y = Tensor.FromArray([1.0, 2.0]) + Tensor.Scalar(1.0);
        y.DType.Should().Be(DType.Float64);
        y.ToArray<double>().Should().Equal(2, 3);
    }

    [Theory]
    [MemberData(nameof(PromotingOps))]
    public void Float32WithFloat64IsComputedInFloat64EitherWayRound(string op, Func<Tensor, Tensor, Tensor> apply)
    {
        // 0.1f widened is 0.100000001490116…; a Float64 computation on it keeps every digit.
        Tensor a32 = Tensor.FromArray([0.1f, 3f]);
        Tensor b64 = Tensor.FromArray([0.3, 2.0]);
        Tensor expected = apply(a32.To(DType.Float64), b64);

        Tensor ab = apply(a32, b64), ba = apply(b64, a32);
        ab.DType.Should().Be(DType.Float64, op);
        ba.DType.Should().Be(DType.Float64, op);
        ab.ToArray<double>().Should().Equal(expected.ToArray<double>(), op);
        ba.ToArray<double>().Should().Equal(apply(b64, a32.To(DType.Float64)).ToArray<double>(), op);
    }

    [Fact]
    public void AComparisonOfMixedDTypesComparesExactlyAndGivesAMaskThatWidensNothing()
    {
        // 0.1f widened is above the double 0.1: compared in Float64 it is greater; in Float32 the two would be equal.
        Tensor a32 = Tensor.FromArray([0.1f, 1f]);
        Tensor b64 = Tensor.FromArray([0.1, 2.0]);
        Tensor mask = a32 > b64;
        mask.ToArray<double>().Should().Equal(1, 0);
        mask.DType.Should().Be(DType.Float32);
        (a32 * (b64 < a32)).DType.Should().Be(DType.Float32);
        (b64 > Tensor.FromArray([0.0, 0.0])).DType.Should().Be(DType.Float64);
        (b64 > Tensor.Scalar(0.5)).DType.Should().Be(DType.Float64, "a weak scalar does not narrow the mask");
    }

    [Fact]
    public void AWeakScalarKeepsTheExactValueItWasMadeFrom()
    {
        // PyTorch: torch.tensor([0.1], dtype=torch.float64) + 0.1 == 0.2, and 1e300 stays finite.
        (Tensor.FromArray([0.1]) + Tensor.Scalar(0.1)).Item().Should().Be(0.2);
        (Tensor.FromArray([1.0]) * Tensor.Scalar(1e300)).Item().Should().Be(1e300);
        Tensor.Equal(Tensor.FromArray([0.1]), Tensor.Scalar(0.1)).Item().Should().Be(1);
    }

    [Fact]
    public void GradientsReturnInEachInputsOwnDType()
    {
        Tensor a32 = Tensor.FromArray([0.5f, -2f]);
        Tensor b64 = Tensor.FromArray([0.1, 4.0]);

        // ∂/∂a Σ a·b = b (rounded to Float32), ∂/∂b = a.
        var (da, db) = NeuralNet.Autodiff.Grad((a, b) => (a * b).Sum(), a32, b64);
        da.DType.Should().Be(DType.Float32);
        da.ToArray<float>().Should().Equal(0.1f, 4f);
        db.DType.Should().Be(DType.Float64);
        db.ToArray<double>().Should().Equal(0.5, -2);
    }

    [Fact]
    public void AParameterMixedWithAnotherDTypeOnATapeGetsAGradientOfItsOwnDType()
    {
        var w = new Parameter(Tensor.FromArray([1.0, 2.0, 3.0]));
        using (var tape = Tape.Record())
        {
            Tensor loss = (w * Tensor.FromArray([2f, 2f, 2f])).Sum();
            loss.DType.Should().Be(DType.Float64);
            tape.Backward(loss);
        }

        w.Grad!.DType.Should().Be(DType.Float64);
        w.Grad.ToArray<double>().Should().Equal(2, 2, 2);
    }

    [Fact]
    public void AWeakScalarTakesTheOtherOperandsDType()
    {
        Tensor weak = Tensor.Scalar(2.0);
        weak.IsWeak.Should().BeTrue();
        Tensor.Scalar(2.0, DType.Float64).IsWeak.Should().BeFalse();

        Tensor x32 = Tensor.FromArray([1f, 2f]);
        (x32 * weak).DType.Should().Be(DType.Float32);
        (weak * x32).DType.Should().Be(DType.Float32);
        (Tensor.Scalar(1f, DType.Float32) + Tensor.Scalar(3.0)).DType.Should().Be(DType.Float32);
        (Tensor.FromArray([1.0]) - weak).DType.Should().Be(DType.Float64);

        // An op's result is not weak.
        (weak * weak).IsWeak.Should().BeFalse();
    }

    [Fact]
    public void ARankZeroTensorDoesNotWidenATensorWithDimensions()
    {
        // PyTorch: torch.ones(2) + torch.tensor(1., dtype=torch.float64) is float32; two rank-0 tensors promote.
        Tensor.ResultType(Tensor.Ones([2], DType.Float32), Tensor.Scalar(1.0, DType.Float64)).Should().Be(DType.Float32);
        (Tensor.Ones([2], DType.Float32) + Tensor.Scalar(1.0, DType.Float64)).DType.Should().Be(DType.Float32);
        (Tensor.Scalar(1.0, DType.Float32) + Tensor.Scalar(1.0, DType.Float64)).DType.Should().Be(DType.Float64);
        Tensor.ResultType(Tensor.Scalar(1.0), Tensor.Scalar(1.0, DType.Float32), Tensor.Ones([1], DType.Float64))
            .Should().Be(DType.Float64);
    }

    [Fact]
    public void ScalarOperandsTakeTheTensorsDType()
    {
        (Tensor.Ones([2], DType.Float32) * 0.1).DType.Should().Be(DType.Float32);
        (0.1 + Tensor.Ones([2], DType.Float64)).DType.Should().Be(DType.Float64);
    }

    [Fact]
    public void ProductsDoNotPromoteAndSayWhich()
    {
        // torch.matmul refuses Float and Double operands too.
        var act = () => Tensor.Ones([2, 2], DType.Float32).MatMul(Tensor.Ones([2, 2], DType.Float64));
        act.Should().Throw<ArgumentException>().WithMessage("MatMul: dtypes Float32 and Float64 differ*");
    }

    [Fact]
    public void ResultTypeRefusesNoOperands()
    {
        FluentActions.Invoking(() => Tensor.ResultType()).Should().Throw<ArgumentException>().WithMessage("ResultType*");
    }
}

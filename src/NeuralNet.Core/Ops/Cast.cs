using System.Numerics;

namespace NeuralNet;

// The dtype cast: linear, so its JVP casts the tangent and its VJP casts the cotangent back to the input's dtype.
public partial class Tensor
{
    /// <summary>
    /// This tensor's values in <paramref name="dtype"/> (PyTorch's <c>.to(dtype)</c>): a converted copy, or this very
    /// tensor when it already has that dtype. The cast is differentiable in both modes (gradients flow back in the
    /// input's dtype); <see cref="Detach"/> is the one way to stop gradients.
    /// </summary>
    /// <remarks>Float64 → Float32 rounds to nearest; Float32 → Float64 is exact.</remarks>
    public Tensor To(DType dtype) => dtype == DType ? this : Dispatcher.Apply(new CastOp(dtype), this);

    private sealed class CastOp(DType dtype) : LinearUnaryOp
    {
        public override string Name => "To";

        // Only built for a dtype other than the input's (To returns the tensor itself otherwise).
        public override Tensor Forward(Tensor[] inputs) => dtype == DType.Float64
            ? new Tensor(Convert<float, double>((float[])inputs[0].Data), inputs[0].Shape)
            : new Tensor(Convert<double, float>((double[])inputs[0].Data), inputs[0].Shape);

        public override Tensor? Vjp(int index, Tensor cotangent, Tensor[] inputs, Tensor output) => cotangent.To(inputs[0].DType);

        private static TTo[] Convert<TFrom, TTo>(TFrom[] values)
            where TFrom : unmanaged, INumberBase<TFrom>
            where TTo : unmanaged, INumberBase<TTo>
        {
            var result = new TTo[values.Length];
            TP.ConvertTruncating<TFrom, TTo>(values, result);
            return result;
        }
    }
}

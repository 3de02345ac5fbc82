using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NeuralNet;

// The backward maps of ReLU, tanh and sigmoid as one op each, g ⊙ f′, instead of a derivative tensor and a product
// (two passes and two tensors). Each is itself differentiable, so second derivatives of networks still work.
public partial class Tensor
{
    /// <summary>
    /// (g, s) ↦ g ⊙ f′, where f′ is read off s: the activation's input for ReLU, its output for tanh and sigmoid.
    /// Linear in g; in s, f′ has the derivative <see cref="Curvature"/> (none for ReLU, whose f′ is piecewise constant).
    /// </summary>
    private abstract class ActivationGradientOp : Op
    {
        /// <summary>Whether f′ depends on s away from a kink (false for ReLU).</summary>
        protected abstract bool HasCurvature { get; }

        // The g-derivative reads s; the s-derivative reads g too, where there is one.
        public override bool SavesInput(int index, bool[] needed) => index == 1 || (HasCurvature && needed[1]);

        public override bool SavesOutput(bool[] needed) => false;

        public override Tensor? Vjp(int index, Tensor cotangent, Tensor[] inputs, Tensor output) =>
            index == 0 ? Dispatcher.Apply(this, cotangent, inputs[1]) : HasCurvature ? cotangent * inputs[0] * Curvature(inputs[1]) : null;

        public override Tensor? Jvp(int index, Tensor tangent, Tensor[] inputs, Tensor output) =>
            index == 0 ? Dispatcher.Apply(this, tangent, inputs[1]) : HasCurvature ? tangent * inputs[0] * Curvature(inputs[1]) : null;

        /// <summary>d f′ / ds.</summary>
        protected virtual Tensor Curvature(Tensor s) => throw new InvalidOperationException($"{Name} has no curvature.");
    }

    /// <summary>0 where x ≤ 0, else g: PyTorch's <c>threshold_backward</c>, so the gradient is 0 where x ≤ 0 even when g is
    /// not finite, and g passes where x is NaN.</summary>
    private sealed class ReluGradientOp : ActivationGradientOp
    {
        public static readonly ReluGradientOp Instance = new();

        public override string Name => "ReluGradient";

        protected override bool HasCurvature => false;

        public override Tensor Forward(Tensor[] inputs) => Elementwise.Zip(inputs[0], inputs[1], default(ActivationGradientKernel<ReluDerivative>));

        public override bool ForwardInto(Tensor[] inputs, Tensor output) => Elementwise.ZipInto(inputs[0], inputs[1], default(ActivationGradientKernel<ReluDerivative>), output);
    }

    /// <summary>g ⊙ (1 − y²), with y = tanh x.</summary>
    private sealed class TanhGradientOp : ActivationGradientOp
    {
        public static readonly TanhGradientOp Instance = new();

        public override string Name => "TanhGradient";

        protected override bool HasCurvature => true;

        public override Tensor Forward(Tensor[] inputs) => Elementwise.Zip(inputs[0], inputs[1], default(ActivationGradientKernel<TanhDerivative>));

        public override bool ForwardInto(Tensor[] inputs, Tensor output) => Elementwise.ZipInto(inputs[0], inputs[1], default(ActivationGradientKernel<TanhDerivative>), output);

        protected override Tensor Curvature(Tensor y) => -2.0 * y;
    }

    /// <summary>g ⊙ y(1 − y), with y = σ(x).</summary>
    private sealed class SigmoidGradientOp : ActivationGradientOp
    {
        public static readonly SigmoidGradientOp Instance = new();

        public override string Name => "SigmoidGradient";

        protected override bool HasCurvature => true;

        public override Tensor Forward(Tensor[] inputs) => Elementwise.Zip(inputs[0], inputs[1], default(ActivationGradientKernel<SigmoidDerivative>));

        public override bool ForwardInto(Tensor[] inputs, Tensor output) => Elementwise.ZipInto(inputs[0], inputs[1], default(ActivationGradientKernel<SigmoidDerivative>), output);

        protected override Tensor Curvature(Tensor y) => 1.0 - (2.0 * y);
    }

    /// <summary>g ⊙ f′(s) for one activation, on vectors and on single values.</summary>
    private interface IActivationDerivative
    {
        static abstract Vector<T> Apply<T>(Vector<T> g, Vector<T> s)
            where T : unmanaged, IBinaryFloatingPointIeee754<T>;

        static abstract T Apply<T>(T g, T s)
            where T : unmanaged, IBinaryFloatingPointIeee754<T>;
    }

    private readonly struct ReluDerivative : IActivationDerivative
    {
        public static Vector<T> Apply<T>(Vector<T> g, Vector<T> s)
            where T : unmanaged, IBinaryFloatingPointIeee754<T> => Vector.ConditionalSelect(Vector.LessThanOrEqual(s, Vector<T>.Zero), Vector<T>.Zero, g);

        public static T Apply<T>(T g, T s)
            where T : unmanaged, IBinaryFloatingPointIeee754<T> => s <= T.Zero ? T.Zero : g;
    }

    private readonly struct TanhDerivative : IActivationDerivative
    {
        public static Vector<T> Apply<T>(Vector<T> g, Vector<T> y)
            where T : unmanaged, IBinaryFloatingPointIeee754<T> => g * (Vector<T>.One - (y * y));

        public static T Apply<T>(T g, T y)
            where T : unmanaged, IBinaryFloatingPointIeee754<T> => g * (T.One - (y * y));
    }

    private readonly struct SigmoidDerivative : IActivationDerivative
    {
        public static Vector<T> Apply<T>(Vector<T> g, Vector<T> y)
            where T : unmanaged, IBinaryFloatingPointIeee754<T> => g * (y * (Vector<T>.One - y));

        public static T Apply<T>(T g, T y)
            where T : unmanaged, IBinaryFloatingPointIeee754<T> => g * (y * (T.One - y));
    }

    /// <summary>The element-wise driver of an <see cref="IActivationDerivative"/>: vectors, then the tail one at a time, compiled
    /// fully optimised from the first call (a backward pass runs it once per layer and step, too few calls for tiering to
    /// reach optimised code within the first epoch).</summary>
    private readonly struct ActivationGradientKernel<TDerivative> : IBinaryKernel
        where TDerivative : IActivationDerivative
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Invoke<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination)
            where T : unmanaged, IBinaryFloatingPointIeee754<T>
        {
            int i = 0;
            ref T g = ref MemoryMarshal.GetReference(x);
            ref T s = ref MemoryMarshal.GetReference(y);
            ref T d = ref MemoryMarshal.GetReference(destination);
            for (; i <= destination.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                TDerivative.Apply(Vector.LoadUnsafe(ref g, (nuint)i), Vector.LoadUnsafe(ref s, (nuint)i)).StoreUnsafe(ref d, (nuint)i);
            }

            for (; i < destination.Length; i++)
            {
                destination[i] = TDerivative.Apply(x[i], y[i]);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Invoke<T>(ReadOnlySpan<T> x, T y, Span<T> destination)
            where T : unmanaged, IBinaryFloatingPointIeee754<T>
        {
            for (int i = 0; i < destination.Length; i++)
            {
                destination[i] = TDerivative.Apply(x[i], y);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Invoke<T>(T x, ReadOnlySpan<T> y, Span<T> destination)
            where T : unmanaged, IBinaryFloatingPointIeee754<T>
        {
            for (int i = 0; i < destination.Length; i++)
            {
                destination[i] = TDerivative.Apply(x, y[i]);
            }
        }
    }
}

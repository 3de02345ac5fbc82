namespace NeuralNet;

/// <summary>The FLOPs and bytes moved of a set of ops of a <see cref="CostReport"/>.</summary>
/// <param name="Flops">Floating-point operations, under the conventions of <see cref="Autodiff.Cost(Func{Tensor, Tensor}, Tensor)"/>.</param>
/// <param name="Bytes">Elements read and written, times their size in bytes.</param>
public readonly record struct CostTotal(long Flops, long Bytes);

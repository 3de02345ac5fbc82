namespace NeuralNet;

/// <summary>
/// The keys a checkpoint load could not match (PyTorch's <c>missing_keys</c> and <c>unexpected_keys</c>): both are
/// empty after a strict load, which refuses any mismatch.
/// </summary>
/// <param name="Missing">Parameters the file has no tensor for; they were left as they were.</param>
/// <param name="Unexpected">Tensors in the file that no parameter takes; they were ignored.</param>
public sealed record CheckpointKeys(IReadOnlyList<string> Missing, IReadOnlyList<string> Unexpected);

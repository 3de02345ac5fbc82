namespace NeuralNet;

/// <summary>
/// One nesting level of differentiation: a tape (reverse mode) or a dual level (forward mode). Levels are
/// ordered by creation, so an inner transform always has a higher order than the ones around it; an op works
/// on the highest active level among its inputs and treats lower-level inputs as constants there, which is
/// what keeps perturbations of different levels apart (Siskind and Pearlmutter, "Perturbation confusion and
/// referential transparency", 2005; DiffSharp's tags).
/// </summary>
internal sealed class Level
{
    private static int s_counter;

    public Level(Tape? tape)
    {
        Order = Interlocked.Increment(ref s_counter);
        Tape = tape;
        IsActive = true;
    }

    /// <summary>Creation order; higher is nested deeper.</summary>
    public int Order { get; }

    /// <summary>The tape of a reverse-mode level; null for a forward-mode (dual) level.</summary>
    public Tape? Tape { get; }

    /// <summary>Whether ops record (reverse) or carry tangents (forward) at this level.</summary>
    public bool IsActive { get; set; }
}

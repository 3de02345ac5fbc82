namespace NeuralNet;

// A tape records on one thread at a time. The ambient tape is an AsyncLocal, so it flows into every Task.Run and
// Parallel.For body started inside its scope; recording from several threads at once would race on the node list,
// and even a locked list would make the backward pass sum shared gradients in an order that depends on timing.
// So a tape belongs to one thread, and passes to another only when its flow has left the first one (an await that
// yields): the AsyncLocal's change notification tells us when that happens.
public sealed partial class Tape
{
    // How long a thread waits for an owner that is about to let go before it refuses: an await's continuation can
    // start on another thread a moment before the awaiting thread has restored its own context.
    private static readonly TimeSpan s_handOverWait = TimeSpan.FromMilliseconds(50);

    // The managed thread id that may record on this tape, or 0 when its flow has left every thread.
    private int _owner;

    /// <summary>
    /// Lets the current thread use this tape, or refuses: only the thread that owns it records, reads its graph or
    /// runs its backward pass while it is open. A closed tape (a transform's pullback) may be used from any thread.
    /// </summary>
    /// <exception cref="InvalidOperationException">Another thread owns the tape.</exception>
    private void EnsureRecordingThread(string op)
    {
        int thread = Environment.CurrentManagedThreadId;
        if (_owner == thread || _closed)
        {
            return;
        }

        var deadline = DateTime.UtcNow + s_handOverWait;
        var spinner = default(SpinWait);
        while (Interlocked.CompareExchange(ref _owner, thread, 0) != 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException(
                    $"{op}: thread {thread} tried to record on a tape that thread {_owner} is recording on. A tape records on " +
                    "one thread at a time, and work started inside its scope (Parallel.For, Task.Run) sees it. For data " +
                    "parallelism, start the threads outside the tape's scope, give each its own Tape.Record() and add the " +
                    "gradients, or batch the samples into one op; wrap work on other threads that needs no gradient in " +
                    "Autodiff.NoGrad().");
            }

            spinner.SpinOnce();
        }
    }

    /// <summary>Releases the tapes a thread's flow no longer holds once the thread switches to another flow.</summary>
    private static void OnInnermostChanged(AsyncLocalValueChangedArgs<Tape?> change)
    {
        if (!change.ThreadContextChanged || change.PreviousValue is null)
        {
            return;
        }

        int thread = Environment.CurrentManagedThreadId;
        for (Tape? tape = change.PreviousValue; tape is not null; tape = tape._outer)
        {
            if (!Holds(change.CurrentValue, tape))
            {
                Interlocked.CompareExchange(ref tape._owner, 0, thread);
            }
        }
    }

    /// <summary>Whether <paramref name="tape"/> is <paramref name="innermost"/> or one of the tapes around it.</summary>
    private static bool Holds(Tape? innermost, Tape tape)
    {
        for (Tape? t = innermost; t is not null; t = t._outer)
        {
            if (t == tape)
            {
                return true;
            }
        }

        return false;
    }
}

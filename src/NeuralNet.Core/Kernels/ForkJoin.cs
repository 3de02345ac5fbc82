using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace NeuralNet;

/// <summary>One parallel loop's body: <see cref="Invoke"/> runs part <c>part</c> of <c>parts</c>, on any thread.</summary>
internal abstract class ForkJoinBody
{
    /// <summary>Runs one part; parts share nothing they write, so they may run in any order and on any thread.</summary>
    public abstract void Invoke(int part);
}

/// <summary>
/// The kernels' fork-join: runs a loop's parts on the calling thread and on dedicated worker threads, and returns
/// when all are done. A product of a few hundred microseconds cannot afford <see cref="Parallel.For(int, int, Action{int})"/>'s
/// thread-pool wake-up on every call, so a worker that has just finished a loop polls for the next one for a short while
/// (<see cref="SpinTicks"/>) and only then blocks; back-to-back products, as in a training step, start without a
/// wake-up, and an idle process burns no core.
/// </summary>
/// <remarks>
/// Parts are claimed, not assigned: the caller and the workers take the next unclaimed part until none is left, so a
/// worker that is slow to wake (a busy machine) costs nothing but its share, which the caller then runs itself.
/// One loop runs at a time; a loop started on another thread meanwhile runs all its parts inline.
/// </remarks>
internal static class ForkJoin
{
    /// <summary>How long an idle worker polls for the next loop before it blocks: 200 µs.</summary>
    private static readonly long SpinTicks = Stopwatch.Frequency / 5000;

    /// <summary>The pause between two polls of a flag, in <see cref="Thread.SpinWait"/> iterations (tens of nanoseconds).</summary>
    private const int PollIterations = 8;

    private static readonly Lock s_gate = new();
    private static Worker[] s_workers = [];

    // One loop object serves every call, so that a parallel kernel allocates nothing: a worker that arrives late for a
    // loop claims parts only under that loop's generation, so it can never run a part of the next one with this one's body.
    private static readonly Loop s_loop = new();
    private static int s_generation;
    private static int s_busy;

    /// <summary>Runs <paramref name="body"/>'s parts 0..<paramref name="parts"/>−1 on at most <paramref name="threads"/>
    /// threads, the caller's included, and returns when every part has run; an exception from a part is rethrown here.</summary>
    public static void For(int parts, int threads, ForkJoinBody body)
    {
        threads = Math.Min(threads, parts);
        if (threads <= 1 || Interlocked.CompareExchange(ref s_busy, 1, 0) != 0)
        {
            for (int part = 0; part < parts; part++)
            {
                body.Invoke(part);
            }

            return;
        }

        try
        {
            Worker[] workers = Workers(threads - 1);
            int generation = s_generation + 1;
            s_loop.Start(body, parts, threads - 1, generation);
            Volatile.Write(ref s_generation, generation);
            for (int i = 0; i < threads - 1; i++)
            {
                workers[i].Wake();
            }

            s_loop.Work(generation);
            s_loop.Join();
            s_loop.Finish()?.Throw();
        }
        finally
        {
            Volatile.Write(ref s_busy, 0);
        }
    }

    /// <summary>At least <paramref name="count"/> workers, started on first need.</summary>
    private static Worker[] Workers(int count)
    {
        Worker[] workers = Volatile.Read(ref s_workers);
        if (workers.Length >= count)
        {
            return workers;
        }

        lock (s_gate)
        {
            workers = s_workers;
            if (workers.Length < count)
            {
                Worker[] grown = [.. workers, .. Enumerable.Range(workers.Length, count - workers.Length).Select(i => new Worker(i))];
                Volatile.Write(ref s_workers, grown);
                workers = grown;
            }

            return workers;
        }
    }

    /// <summary>The running call of <see cref="For"/>: its parts, claimed one at a time by whoever is free.</summary>
    private sealed class Loop
    {
        private ForkJoinBody? _body;
        private int _parts;
        private int _seats;
        private int _done;
        private ExceptionDispatchInfo? _error;

        // The generation in the high half and the next unclaimed part in the low half, claimed together by one
        // compare-and-swap, so that a claim for an old generation fails.
        private long _claim;

        /// <summary>Sets the loop up for <paramref name="generation"/>, before the generation is published.</summary>
        /// <remarks>The claim word moves to the new generation first, with a full fence: a late worker of the last loop
        /// may still be between reading the old word and its compare-and-swap, and must fail that swap rather than claim
        /// a part of this loop against the old word with this loop's part count and body.</remarks>
        public void Start(ForkJoinBody body, int parts, int seats, int generation)
        {
            Interlocked.Exchange(ref _claim, (long)generation << 32);
            _body = body;
            _done = 0;
            _error = null;
            Volatile.Write(ref _parts, parts);
            Volatile.Write(ref _seats, seats);
        }

        /// <summary>Ends the loop: drops the body and returns the first exception a part threw.</summary>
        public ExceptionDispatchInfo? Finish()
        {
            _body = null;
            return Volatile.Read(ref _error);
        }

        /// <summary>Whether a worker woken for <paramref name="generation"/> may join: the loop runs on at most its thread
        /// count, though more workers may be polling; one arriving after its loop is over takes no seat of the next.</summary>
        public bool TakeSeat(int generation) =>
            (int)(Volatile.Read(ref _claim) >> 32) == generation && Interlocked.Decrement(ref _seats) >= 0;

        /// <summary>Runs unclaimed parts of <paramref name="generation"/>'s loop until none is left (none, if it is over).</summary>
        public void Work(int generation)
        {
            while (true)
            {
                long claim = Volatile.Read(ref _claim);
                int part = (int)claim;

                // While a part of this generation is unclaimed the loop cannot end, so _parts and _body are its own.
                if ((int)(claim >> 32) != generation || part >= Volatile.Read(ref _parts))
                {
                    return;
                }

                if (Interlocked.CompareExchange(ref _claim, claim + 1, claim) != claim)
                {
                    continue;
                }

                try
                {
                    _body!.Invoke(part);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref _error, ExceptionDispatchInfo.Capture(e), null);
                }
                finally
                {
                    Interlocked.Increment(ref _done);
                }
            }
        }

        /// <summary>
        /// Waits for the parts other threads claimed. They are running, so the wait is short: it polls without giving up
        /// the core (a yield on a busy machine can cost a whole time slice), and yields only past <see cref="SpinTicks"/>,
        /// when the thread running a part has itself lost its core.
        /// </summary>
        public void Join()
        {
            long start = Stopwatch.GetTimestamp();
            var spinner = default(SpinWait);
            while (Volatile.Read(ref _done) < _parts)
            {
                if (Stopwatch.GetTimestamp() - start < SpinTicks)
                {
                    Thread.SpinWait(PollIterations);
                }
                else
                {
                    spinner.SpinOnce(sleep1Threshold: -1);
                }
            }
        }
    }

    /// <summary>A background thread that runs the parts of each loop it sees.</summary>
    private sealed class Worker
    {
        private readonly SemaphoreSlim _wake = new(0);
        private int _sleeping;

        /// <summary>Starts the worker; made before the loop that needs it is published, it waits for the next generation.</summary>
        public Worker(int index)
        {
            int seen = Volatile.Read(ref s_generation);
            // UnsafeStart: the worker must not capture the starting thread's execution context (its ambient tape, say).
            new Thread(() => Run(seen)) { IsBackground = true, Name = $"NeuralNet kernel worker {index + 1}" }.UnsafeStart();
        }

        /// <summary>Wakes the worker if it is blocked; a polling one sees the new loop by itself.</summary>
        public void Wake()
        {
            if (Interlocked.CompareExchange(ref _sleeping, 0, 1) == 1)
            {
                _wake.Release();
            }
        }

        private void Run(int seen)
        {
            while (true)
            {
                seen = Await(seen);
                if (s_loop.TakeSeat(seen))
                {
                    s_loop.Work(seen);
                }
            }
        }

        /// <summary>Polls for a generation after <paramref name="seen"/>, then blocks; returns the new generation.</summary>
        private int Await(int seen)
        {
            long start = Stopwatch.GetTimestamp();
            int generation;
            while ((generation = Volatile.Read(ref s_generation)) == seen)
            {
                if (Stopwatch.GetTimestamp() - start < SpinTicks)
                {
                    Thread.SpinWait(PollIterations);
                    continue;
                }

                // Announce the sleep before the last look, so a loop published meanwhile either is seen here or wakes us.
                Interlocked.Exchange(ref _sleeping, 1);
                if (Volatile.Read(ref s_generation) == seen)
                {
                    _wake.Wait();
                }

                Interlocked.Exchange(ref _sleeping, 0);
                start = Stopwatch.GetTimestamp();
            }

            return generation;
        }
    }
}

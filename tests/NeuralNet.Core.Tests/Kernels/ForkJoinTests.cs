namespace NeuralNet.Tests.Kernels;

using System.Collections.Concurrent;
using NeuralNet;

/// <summary>The kernels' fork-join: every part runs exactly once, errors reach the caller, and loops started on several
/// threads at once (or from inside a part) all complete.</summary>
public class ForkJoinTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(17)]
    public void RunsEveryPartExactlyOnce(int parts)
    {
        for (int round = 0; round < 50; round++)
        {
            var body = new Counting(parts);
            ForkJoin.For(parts, threads: 2, body);
            body.Runs.Should().AllSatisfy(runs => runs.Should().Be(1), $"round {round}");
        }
    }

    [Fact]
    public void RunsOnNoMoreThreadsThanAsked()
    {
        // Three workers exist after the first loop; the later ones may use two threads, the caller's and one worker's.
        ForkJoin.For(4, threads: 4, new Counting(4));
        for (int round = 0; round < 50; round++)
        {
            var body = new Threads(16);
            ForkJoin.For(16, threads: 2, body);
            body.Ids.Distinct().Should().HaveCountLessThanOrEqualTo(2, $"round {round}");
        }
    }

    [Fact]
    public void RethrowsAPartsExceptionOnTheCaller()
    {
        var act = () => ForkJoin.For(4, threads: 2, new Throwing(part: 2));
        act.Should().Throw<InvalidOperationException>().WithMessage("part 2");

        // The workers survive it.
        var body = new Counting(4);
        ForkJoin.For(4, threads: 4, body);
        body.Runs.Should().AllSatisfy(runs => runs.Should().Be(1));
    }

    [Fact]
    public void LoopsStartedOnSeveralThreadsAtOnceAllComplete()
    {
        var bodies = new ConcurrentBag<Counting>();
        Parallel.For(0, 64, new ParallelOptions { MaxDegreeOfParallelism = 4 }, _ =>
        {
            var body = new Counting(5);
            ForkJoin.For(5, threads: 3, body);
            bodies.Add(body);
        });

        bodies.Should().HaveCount(64).And.AllSatisfy(body => body.Runs.Should().AllSatisfy(runs => runs.Should().Be(1)));
    }

    [Fact]
    public void ALoopStartedInsideAPartRunsInline()
    {
        var inner = new Counting(3);
        var outer = new Nesting(inner);
        ForkJoin.For(2, threads: 2, outer);
        inner.Runs.Should().Equal(2, 2, 2);
    }

    private sealed class Counting(int parts) : ForkJoinBody
    {
        public int[] Runs { get; } = new int[parts];

        public override void Invoke(int part) => Interlocked.Increment(ref Runs[part]);
    }

    private sealed class Threads(int parts) : ForkJoinBody
    {
        public int[] Ids { get; } = new int[parts];

        public override void Invoke(int part)
        {
            Ids[part] = Environment.CurrentManagedThreadId;
            Thread.SpinWait(1000);
        }
    }

    private sealed class Throwing(int part) : ForkJoinBody
    {
        public override void Invoke(int p)
        {
            if (p == part)
            {
                throw new InvalidOperationException($"part {p}");
            }
        }
    }

    private sealed class Nesting(Counting inner) : ForkJoinBody
    {
        public override void Invoke(int part) => ForkJoin.For(3, threads: 3, inner);
    }
}

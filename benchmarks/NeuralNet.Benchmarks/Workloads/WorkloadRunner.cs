using System.Diagnostics;
using System.Globalization;

namespace NeuralNet.Benchmarks.Workloads;

/// <summary>
/// The TorchSharp anchor's workloads (<c>gemm-N</c>, <c>mlp-step</c>, <c>cnn-step</c>, <c>scalar-graph</c>, <c>mnist-epoch</c>) with the
/// same shapes, op mix and timing rule, printing the same <c>&lt;workload&gt; &lt;value&gt; &lt;unit&gt;</c> line, so the two
/// can run side by side; and <c>mlp-step-captured</c> and <c>mnist-epoch-captured</c>, the same with captured steps. It runs as a user's program does: default runtime settings, no GC knobs.
/// </summary>
internal static class WorkloadRunner
{
    private const string Usage =
        "usage: workload gemm-N|mlp-step|mlp-step-captured|cnn-step|scalar-graph|mnist-epoch|mnist-epoch-captured [--threads N (default: all cores)] [--data MNIST_DIR] [--seed S (mnist-epoch: initialisation and shuffling; default 0)]";

    /// <summary>Parses the arguments, sets the thread count and runs one workload; returns the exit code.</summary>
    public static int Run(string[] args)
    {
        if (args.Length == 0)
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }

        string workload = args[0];
        int threads = Parallelism.ThreadCount;
        string data = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "samples", "data", "mnist");
        int seed = 0;
        for (int i = 1; i < args.Length; i += 2)
        {
            if (i + 1 == args.Length)
            {
                Console.Error.WriteLine($"{args[i]} needs a value; {Usage}");
                return 2;
            }

            switch (args[i])
            {
                case "--threads":
                    if (!int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out threads) || threads < 1)
                    {
                        Console.Error.WriteLine($"--threads: '{args[i + 1]}' must be a positive integer; {Usage}");
                        return 2;
                    }

                    break;
                case "--data":
                    data = args[i + 1];
                    break;
                case "--seed":
                    if (!int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out seed))
                    {
                        Console.Error.WriteLine($"--seed: '{args[i + 1]}' must be a non-negative integer; {Usage}");
                        return 2;
                    }

                    break;
                default:
                    Console.Error.WriteLine($"unknown option {args[i]}; {Usage}");
                    return 2;
            }
        }

        int n = 0;
        if (workload.StartsWith("gemm-", StringComparison.Ordinal)
            && (!int.TryParse(workload["gemm-".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out n) || n < 1))
        {
            Console.Error.WriteLine($"workload {workload}: N must be a positive integer; {Usage}");
            return 2;
        }

        Parallelism.ThreadCount = threads;
        string line = workload switch
        {
            _ when workload.StartsWith("gemm-", StringComparison.Ordinal) => GemmWorkload.Run(workload, n),
            "mlp-step" => MlpStepWorkload.Run(workload, captured: false),
            "mlp-step-captured" => MlpStepWorkload.Run(workload, captured: true),
            "cnn-step" => CnnStepWorkload.Run(workload),
            "scalar-graph" => ScalarGraphWorkload.Run(workload),
            "mnist-epoch" => MnistEpochWorkload.Run(workload, data, seed, captured: false),
            "mnist-epoch-captured" => MnistEpochWorkload.Run(workload, data, seed, captured: true),
            _ => string.Empty,
        };
        if (line.Length == 0)
        {
            Console.Error.WriteLine($"unknown workload {workload}; {Usage}");
            return 2;
        }

        Console.WriteLine(line);
        return 0;
    }

    /// <summary>The anchor's timing rule: a warm-up of a quarter of <paramref name="reps"/>, then the median over
    /// <paramref name="rounds"/> of the mean time of <paramref name="reps"/> calls, in seconds.</summary>
    public static double MedianOfRounds(Action fn, int reps, int rounds = 5)
    {
        for (int i = 0; i < Math.Max(1, reps / 4); i++)
        {
            fn();
        }

        var times = new List<double>();
        for (int r = 0; r < rounds; r++)
        {
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < reps; i++)
            {
                fn();
            }

            times.Add(clock.Elapsed.TotalSeconds / reps);
        }

        times.Sort();
        return times[times.Count / 2];
    }

    /// <summary>Runs <paramref name="fn"/> <paramref name="steps"/> times and reports the bytes allocated per call (all
    /// threads) and the gen-2 collections over the whole run, as <c>alloc=… gen2=…/N</c>.</summary>
    public static string AllocationsOf(Action fn, int steps)
    {
        long bytes = GC.GetTotalAllocatedBytes(precise: true);
        int gen2 = GC.CollectionCount(2);
        for (int i = 0; i < steps; i++)
        {
            fn();
        }

        double perStep = (GC.GetTotalAllocatedBytes(precise: true) - bytes) / (double)steps;
        return string.Create(CultureInfo.InvariantCulture, $"alloc={perStep / 1024:F1}KiB/step gen2={GC.CollectionCount(2) - gen2}/{steps}steps");
    }
}

using BenchmarkDotNet.Running;
using NeuralNet.Benchmarks.Workloads;

// `workload NAME [--threads N] [--data DIR]` runs one of the TorchSharp anchor's workloads as a plain program;
// anything else goes to BenchmarkDotNet's micro-benchmarks.
if (args.Length > 0 && args[0] == "workload")
{
    return WorkloadRunner.Run(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;

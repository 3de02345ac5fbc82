using System.Globalization;

namespace NeuralNet.Benchmarks.Workloads;

/// <summary><c>scalar-graph</c>: f(x) = √(x² + exp(x²)) and df/dx by reverse mode on a Float32 scalar, in µs per call.</summary>
internal static class ScalarGraphWorkload
{
    public static string Run(string name)
    {
        Tensor x = Tensor.Scalar(0.7f);
        double seconds = WorkloadRunner.MedianOfRounds(
            () => Autodiff.Grad(v =>
            {
                Tensor squared = v * v;
                return (squared + squared.Exp()).Sqrt();
            }, x),
            reps: 2000);
        return string.Create(CultureInfo.InvariantCulture, $"{name} {seconds * 1e6:F2} us/call");
    }
}

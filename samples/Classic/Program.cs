// The lecture notes' classic models, runnable: the perceptron, linear, logistic and softmax regression, the
// optimizers side by side, and two more losses (hinge, Gaussian NLL). Each demo is a public static method in its own
// file that prints its story and returns the numbers it printed (the tests assert them).
// usage: dotnet run --project samples/Classic -c Release [-- NAME]     (no name: all of them)
using System.Diagnostics;
using System.Globalization;
using ClassicSample;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
string data = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "data", "sklearn");
var demos = new (string Name, Action<string, TextWriter> Run)[]
{
    ("perceptron", (d, o) => PerceptronDemo.Run(d, o)),
    ("linear-regression", (_, o) => LinearRegressionDemo.Run(o)),
    ("logistic-regression", (d, o) => LogisticRegressionDemo.Run(d, o)),
    ("softmax-regression", (d, o) => SoftmaxRegressionDemo.Run(d, o)),
    ("optimizers", (d, o) => OptimizersDemo.Run(d, o)),
    ("activations-and-losses", (d, o) => LossesDemo.Run(d, o)),
};

string[] chosen = args.Length > 0 ? args : [.. demos.Select(d => d.Name)];
foreach (string name in chosen)
{
    int index = Array.FindIndex(demos, d => d.Name == name);
    if (index < 0)
    {
        Console.Error.WriteLine($"unknown demo '{name}'; choose from: {string.Join(", ", demos.Select(d => d.Name))}");
        return 1;
    }

    Console.WriteLine($"=== {name} ===");
    var clock = Stopwatch.StartNew();
    demos[index].Run(data, Console.Out);
    Console.WriteLine($"({clock.Elapsed.TotalSeconds:F1} s)");
    Console.WriteLine();
}

return 0;

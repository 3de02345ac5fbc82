// The lecture notes' classic experiments, each drawn as a PNG: the perceptron, XOR, universal approximation,
// vanishing gradients and the optimizers on Rosenbrock's valley. Each experiment is a class in its own file that
// prints its story, writes its pictures and returns its numbers (the tests assert them).
// usage: dotnet run --project samples/Experiments -c Release [-- [NAME...] [--out FOLDER]]
//        (no name: all of them; FOLDER defaults to the repository's docs/images)
using System.Diagnostics;
using System.Globalization;
using ExperimentsSample;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var experiments = new (string Name, Action<string, TextWriter> Run)[]
{
    ("perceptron", (f, o) => PerceptronExperiment.Run(f, o)),
    ("xor", (f, o) => XorExperiment.Run(f, o)),
    ("universal-approximation", (f, o) => UniversalApproximationExperiment.Run(f, o)),
    ("vanishing-gradients", (f, o) => VanishingGradientsExperiment.Run(f, o)),
    ("rosenbrock", (f, o) => RosenbrockExperiment.Run(f, o)),
};

// bin/Release/net10.0 is five folders below the repository root.
string folder = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "docs", "images"));
var chosen = new List<string>();
for (int i = 0; i < args.Length; i++)
{
    if (args[i] is "--out" or "-o")
    {
        if (i + 1 == args.Length)
        {
            Console.Error.WriteLine($"{args[i]} needs a folder");
            return 1;
        }

        folder = Path.GetFullPath(args[++i]);
    }
    else if (Array.FindIndex(experiments, e => e.Name == args[i]) >= 0)
    {
        chosen.Add(args[i]);
    }
    else
    {
        Console.Error.WriteLine($"unknown experiment '{args[i]}'; choose from: {string.Join(", ", experiments.Select(e => e.Name))}");
        return 1;
    }
}

if (chosen.Count == 0)
{
    chosen.AddRange(experiments.Select(e => e.Name));
}

foreach (string name in chosen)
{
    Console.WriteLine($"=== {name} ===");
    var clock = Stopwatch.StartNew();
    experiments[Array.FindIndex(experiments, e => e.Name == name)].Run(folder, Console.Out);
    Console.WriteLine($"({clock.Elapsed.TotalSeconds:F1} s; pictures in {folder})");
    Console.WriteLine();
}

return 0;

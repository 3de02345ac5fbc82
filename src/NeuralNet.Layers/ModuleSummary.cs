using System.Globalization;
using System.Text;

namespace NeuralNet.Layers;

/// <summary>Builds <see cref="Module.Summary"/>'s table: one sample pass records each module's output shape.</summary>
internal static class ModuleSummary
{
    // The summary in progress on this logical flow (it follows a forward pass into parallel work); null otherwise,
    // so Module.Call costs one read outside a summary.
    private static readonly AsyncLocal<Recorder?> Active = new();

    /// <summary>Whether a summary is being taken on this flow (it needs every module's own output).</summary>
    public static bool IsRecording => Active.Value is not null;

    /// <summary>Records <paramref name="output"/>'s shape for <paramref name="module"/> if a summary is running.</summary>
    public static void Observe(Module module, Tensor output) => Active.Value?.Record(module, output.Shape);

    public static string Build(Module root, Tensor sampleInput)
    {
        var recorder = new Recorder();
        Recorder? outer = Active.Value;
        Active.Value = recorder;

        // In evaluation mode, so that the sample pass leaves the buffers as they were (a batch norm in training mode
        // would update its running statistics, and refuse a one-row sample); each module's mode is restored after,
        // parents first, as NamedModules lists them, so that a child's own mode wins over its parent's Train.
        (Module Module, bool Training)[] modes = [.. root.Modules.Select(m => (m, m.IsTraining))];
        root.Eval();
        try
        {
            using (Autodiff.NoGrad())
            {
                root.Call(sampleInput);
            }
        }
        finally
        {
            Active.Value = outer;
            foreach ((Module module, bool training) in modes)
            {
                module.Train(training);
            }
        }

        return Format(root, recorder);
    }

    private static string Format(Module root, Recorder recorder)
    {
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        var rows = new List<string[]>();
        long trainable = 0, frozen = 0;
        foreach ((string path, Module module) in root.NamedModules)
        {
            // A tied parameter counts once, in the first module that registered it, as NamedParameters lists it.
            long own = 0;
            foreach (Parameter parameter in module.OwnParameters)
            {
                if (seen.Add(parameter))
                {
                    own += parameter.Size;
                    if (parameter.RequiresGrad)
                    {
                        trainable += parameter.Size;
                    }
                    else
                    {
                        frozen += parameter.Size;
                    }
                }
            }

            // Buffers are state, not trained: non-trainable, as Keras counts a batch norm's moving statistics.
            foreach (Tensor buffer in module.OwnBuffers)
            {
                if (seen.Add(buffer))
                {
                    own += buffer.Size;
                    frozen += buffer.Size;
                }
            }

            rows.Add([path.Length == 0 ? "(root)" : path, module.GetType().Name, recorder.ShapeOf(module), Count(own)]);
        }

        string[] header = ["Layer", "Type", "Output shape", "Params"];
        int[] widths = [.. Enumerable.Range(0, header.Length).Select(c => rows.Append(header).Max(row => row[c].Length))];
        int width = widths.Sum() + (3 * (widths.Length - 1));

        // '\n' on every platform, as Sequential.ToString writes it, so the text compares equal everywhere.
        var table = new StringBuilder();
        table.Append(Line(header, widths)).Append('\n').Append('=', width).Append('\n');
        foreach (string[] row in rows)
        {
            table.Append(Line(row, widths)).Append('\n');
        }

        return table.Append('=', width).Append('\n')
            .Append("Total params: ").Append(Count(trainable + frozen)).Append('\n')
            .Append("Trainable params: ").Append(Count(trainable)).Append('\n')
            .Append("Non-trainable params: ").Append(Count(frozen))
            .ToString();
    }

    // Text columns are left-aligned and the count column right-aligned, as in Keras.
    private static string Line(string[] cells, int[] widths) =>
        string.Join("   ", cells.Select((cell, c) => c == cells.Length - 1 ? cell.PadLeft(widths[c]) : cell.PadRight(widths[c]))).TrimEnd();

    private static string Count(long count) => count.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>The output shapes seen per module; a module run with different output shapes shows "multiple".</summary>
    private sealed class Recorder
    {
        private readonly Dictionary<Module, string> _shapes = new(ReferenceEqualityComparer.Instance);
        private readonly Lock _gate = new();

        public void Record(Module module, Shape shape)
        {
            string text = shape.ToString();
            lock (_gate)
            {
                _shapes[module] = _shapes.TryGetValue(module, out string? previous) && previous != text ? "multiple" : text;
            }
        }

        public string ShapeOf(Module module)
        {
            lock (_gate)
            {
                return _shapes.GetValueOrDefault(module, "?");
            }
        }
    }
}

using System.Globalization;
using System.Text;

namespace NeuralNet;

/// <summary>
/// What <see cref="Autodiff.Cost(Func{Tensor, Tensor}, Tensor)"/> measured: every op that ran while f, its JVP and its VJP
/// were evaluated, with its FLOPs and bytes moved, the totals of each phase and the ratios of the derivatives to f.
/// </summary>
public sealed class CostReport
{
    internal CostReport(IReadOnlyList<CostRow> rows)
    {
        Rows = rows;
    }

    /// <summary>The ops in the order they ran: f's, then the JVP's, then the VJP's (its forward pass, then its backward pass).</summary>
    public IReadOnlyList<CostRow> Rows { get; }

    /// <summary>
    /// The total of the rows of <paramref name="phase"/>, optionally only those of <paramref name="step"/> and only the
    /// ops named <paramref name="op"/> (for example the <c>MatMul</c>s of the backward pass).
    /// </summary>
    /// <param name="phase">The evaluation: f, its JVP or its VJP.</param>
    /// <param name="step">Only primal, tangent or adjoint ops; all of the phase's when null.</param>
    /// <param name="op">Only ops of this name; all when null.</param>
    public CostTotal Total(CostPhase phase, CostStep? step = null, string? op = null)
    {
        long flops = 0, bytes = 0;
        foreach (CostRow row in Rows)
        {
            if (row.Phase == phase && (step is null || row.Step == step) && (op is null || row.Op == op))
            {
                flops += row.Flops;
                bytes += row.Bytes;
            }
        }

        return new CostTotal(flops, bytes);
    }

    /// <summary>The FLOPs of f with its JVP (primal and tangent ops) over the FLOPs of f alone; NaN when f runs no FLOPs.</summary>
    public double JvpRatio => FlopRatio(CostPhase.Jvp);

    /// <summary>The FLOPs of f with its VJP (forward and backward pass) over the FLOPs of f alone; NaN when f runs no FLOPs.</summary>
    public double VjpRatio => FlopRatio(CostPhase.Vjp);

    /// <summary>The bytes moved by f with its JVP over the bytes moved by f alone; NaN when f moves none.</summary>
    public double JvpBytesRatio => ByteRatio(CostPhase.Jvp);

    /// <summary>The bytes moved by f with its VJP over the bytes moved by f alone; NaN when f moves none.</summary>
    public double VjpBytesRatio => ByteRatio(CostPhase.Vjp);

    /// <summary>An aligned table: one line per op, then each phase's totals by step and its ratios to f.</summary>
    public override string ToString()
    {
        string[] header = ["phase", "step", "op", "inputs", "output", "FLOPs", "bytes"];
        var lines = new List<string[]> { header };
        foreach (CostRow row in Rows)
        {
            lines.Add([
                PhaseName(row.Phase), StepName(row.Step), row.Op, string.Join(" ", row.InputShapes), row.OutputShape.ToString(),
                Number(row.Flops), Number(row.Bytes)]);
        }

        var widths = new int[header.Length];
        foreach (string[] line in lines)
        {
            for (int i = 0; i < line.Length; i++)
            {
                widths[i] = Math.Max(widths[i], line[i].Length);
            }
        }

        var text = new StringBuilder();
        foreach (string[] line in lines)
        {
            for (int i = 0; i < line.Length; i++)
            {
                // Names left-aligned, numbers right-aligned.
                text.Append(i < 5 ? line[i].PadRight(widths[i] + 2) : line[i].PadLeft(widths[i] + (i == 6 ? 2 : 0)));
            }

            text.AppendLine();
        }

        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"{"total",-16}{"FLOPs",10}{"bytes",12}{"FLOPs/f",10}{"bytes/f",10}");
        AppendTotal(text, "f", Total(CostPhase.Function), ratios: (1, 1));
        AppendTotal(text, "JVP primal", Total(CostPhase.Jvp, CostStep.Primal), ratios: null);
        AppendTotal(text, "JVP tangent", Total(CostPhase.Jvp, CostStep.Tangent), ratios: null);
        AppendTotal(text, "JVP", Total(CostPhase.Jvp), ratios: (JvpRatio, JvpBytesRatio));
        AppendTotal(text, "VJP primal", Total(CostPhase.Vjp, CostStep.Primal), ratios: null);
        AppendTotal(text, "VJP adjoint", Total(CostPhase.Vjp, CostStep.Adjoint), ratios: null);
        AppendTotal(text, "VJP", Total(CostPhase.Vjp), ratios: (VjpRatio, VjpBytesRatio));
        return text.ToString();
    }

    private double FlopRatio(CostPhase phase) => Ratio(Total(phase).Flops, Total(CostPhase.Function).Flops);

    private double ByteRatio(CostPhase phase) => Ratio(Total(phase).Bytes, Total(CostPhase.Function).Bytes);

    private static double Ratio(long numerator, long denominator) => denominator == 0 ? double.NaN : (double)numerator / denominator;

    private static void AppendTotal(StringBuilder text, string name, CostTotal total, (double Flops, double Bytes)? ratios)
    {
        text.Append(CultureInfo.InvariantCulture, $"{name,-16}{Number(total.Flops),10}{Number(total.Bytes),12}");
        if (ratios is { } r)
        {
            text.Append(CultureInfo.InvariantCulture, $"{r.Flops,10:F2}{r.Bytes,10:F2}");
        }

        text.AppendLine();
    }

    private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string PhaseName(CostPhase phase) => phase switch
    {
        CostPhase.Function => "f",
        CostPhase.Jvp => "JVP",
        _ => "VJP",
    };

    private static string StepName(CostStep step) => step switch
    {
        CostStep.Primal => "primal",
        CostStep.Tangent => "tangent",
        _ => "adjoint",
    };
}

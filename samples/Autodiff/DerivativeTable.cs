namespace AutodiffSample;

/// <summary>One derivative, computed four ways.</summary>
internal sealed record DerivativeRow(string Function, string At, double Hand, double Forward, double Reverse, double Central);

/// <summary>Prints derivative rows as an aligned table, with each method's distance from the hand-derived value.</summary>
internal static class DerivativeTable
{
    private static readonly string Header =
        $"{"derivative",-21} {"at",-10} {"hand-derived",16} {"forward (Jvp)",16} {"reverse (Grad)",16} {"central diff.",16}" +
        $" {"|fwd-hand|",10} {"|rev-hand|",10} {"|cd-hand|",9}";

    public static void Print(IEnumerable<DerivativeRow> rows)
    {
        Console.WriteLine(Header);
        Console.WriteLine(new string('-', Header.Length));
        foreach (DerivativeRow r in rows)
        {
            Console.WriteLine(
                $"{r.Function,-21} {r.At,-10} {r.Hand,16:F12} {r.Forward,16:F12} {r.Reverse,16:F12} {r.Central,16:F12}" +
                $" {Error(r.Forward, r.Hand),10} {Error(r.Reverse, r.Hand),10} {Error(r.Central, r.Hand),9}");
        }
    }

    private static string Error(double value, double hand) => Math.Abs(value - hand).ToString("0.0E+00");
}

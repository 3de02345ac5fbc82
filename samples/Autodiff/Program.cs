// The lecture notes' worked examples, differentiated three ways: forward mode (Jvp), reverse mode (Grad/Vjp)
// and central finite differences, beside the hand-derived value. Then one gradient-descent step on a tape, Newton's
// method, and the cost of a function against its derivatives, counted op by op.
using System.Globalization;
using System.Text;
using AutodiffSample;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
Console.OutputEncoding = Encoding.UTF8;

Console.WriteLine("Derivatives of the worked examples (Float64): forward = Autodiff.Jvp, reverse = Autodiff.Grad/Vjp,");
Console.WriteLine($"central = (f(x+h) - f(x-h)) / 2h with h = {FiniteDifference.Step:G}.");
Console.WriteLine();
DerivativeTable.Print(WorkedExamples.Rows());

Console.WriteLine();
LeastSquaresStep.Run();

Console.WriteLine();
NewtonsMethod.Run();

Console.WriteLine();
CostReportDemo.Run();

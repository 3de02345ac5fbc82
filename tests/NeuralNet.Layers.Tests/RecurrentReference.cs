namespace NeuralNet.Layers.Tests;

/// <summary>
/// The published RNN, LSTM and GRU equations (PyTorch's documentation) in plain double arithmetic, element by element,
/// as an independent reference for the layers. Weights are row-major [G·H, I] and [G·H, H] with the gate blocks stacked
/// in PyTorch's order; the input is time-major [T, N, I]; states are [N, H].
/// </summary>
internal static class RecurrentReference
{
    /// <summary>The hidden states of every step [T, N, H] and the final h (and c for an LSTM, else null).</summary>
    public sealed record Result(double[] Output, double[] H, double[]? C);

    public static Result Rnn(Weights w, double[] x, int steps, int batch, double[] h0, bool relu)
    {
        double[] h = (double[])h0.Clone();
        var output = new double[steps * batch * w.Hidden];
        for (int t = 0; t < steps; t++)
        {
            var next = new double[h.Length];
            for (int n = 0; n < batch; n++)
            {
                for (int j = 0; j < w.Hidden; j++)
                {
                    double a = w.InputPart(0, j, x, ((t * batch) + n) * w.Input) + w.HiddenPart(0, j, h, n * w.Hidden);
                    next[(n * w.Hidden) + j] = relu ? Math.Max(0, a) : Math.Tanh(a);
                }
            }

            h = next;
            h.CopyTo(output, t * batch * w.Hidden);
        }

        return new Result(output, h, null);
    }

    public static Result Lstm(Weights w, double[] x, int steps, int batch, double[] h0, double[] c0)
    {
        double[] h = (double[])h0.Clone(), c = (double[])c0.Clone();
        var output = new double[steps * batch * w.Hidden];
        for (int t = 0; t < steps; t++)
        {
            var nextH = new double[h.Length];
            var nextC = new double[c.Length];
            for (int n = 0; n < batch; n++)
            {
                for (int j = 0; j < w.Hidden; j++)
                {
                    double Gate(int g) => w.InputPart(g, j, x, ((t * batch) + n) * w.Input) + w.HiddenPart(g, j, h, n * w.Hidden);
                    double i = Sigmoid(Gate(0)), f = Sigmoid(Gate(1)), gg = Math.Tanh(Gate(2)), o = Sigmoid(Gate(3));
                    int at = (n * w.Hidden) + j;
                    nextC[at] = (f * c[at]) + (i * gg);
                    nextH[at] = o * Math.Tanh(nextC[at]);
                }
            }

            (h, c) = (nextH, nextC);
            h.CopyTo(output, t * batch * w.Hidden);
        }

        return new Result(output, h, c);
    }

    public static Result Gru(Weights w, double[] x, int steps, int batch, double[] h0)
    {
        double[] h = (double[])h0.Clone();
        var output = new double[steps * batch * w.Hidden];
        for (int t = 0; t < steps; t++)
        {
            var next = new double[h.Length];
            for (int n = 0; n < batch; n++)
            {
                for (int j = 0; j < w.Hidden; j++)
                {
                    int xAt = ((t * batch) + n) * w.Input, hAt = n * w.Hidden, at = hAt + j;
                    double r = Sigmoid(w.InputPart(0, j, x, xAt) + w.HiddenPart(0, j, h, hAt));
                    double z = Sigmoid(w.InputPart(1, j, x, xAt) + w.HiddenPart(1, j, h, hAt));
                    double candidate = Math.Tanh(w.InputPart(2, j, x, xAt) + (r * w.HiddenPart(2, j, h, hAt)));
                    next[at] = ((1 - z) * candidate) + (z * h[at]);
                }
            }

            h = next;
            h.CopyTo(output, t * batch * w.Hidden);
        }

        return new Result(output, h, null);
    }

    public static double Sigmoid(double a) => 1 / (1 + Math.Exp(-a));

    /// <summary>A layer's weights as plain arrays; null biases are zeros.</summary>
    public sealed record Weights(int Input, int Hidden, double[] Ih, double[] Hh, double[]? BiasIh, double[]? BiasHh)
    {
        /// <summary>Row g·H + j of W_ih times x (from <paramref name="offset"/>) plus b_ih there.</summary>
        public double InputPart(int gate, int j, double[] x, int offset)
        {
            int row = (gate * Hidden) + j;
            double sum = BiasIh?[row] ?? 0;
            for (int k = 0; k < Input; k++)
            {
                sum += Ih[(row * Input) + k] * x[offset + k];
            }

            return sum;
        }

        /// <summary>Row g·H + j of W_hh times h (from <paramref name="offset"/>) plus b_hh there.</summary>
        public double HiddenPart(int gate, int j, double[] h, int offset)
        {
            int row = (gate * Hidden) + j;
            double sum = BiasHh?[row] ?? 0;
            for (int k = 0; k < Hidden; k++)
            {
                sum += Hh[(row * Hidden) + k] * h[offset + k];
            }

            return sum;
        }

        /// <summary>The weights of <paramref name="layer"/>.</summary>
        public static Weights Of(RecurrentLayer layer) => new(
            layer.InputSize, layer.HiddenSize, layer.WeightIh.ToArray<double>(), layer.WeightHh.ToArray<double>(),
            layer.BiasIh?.ToArray<double>(), layer.BiasHh?.ToArray<double>());
    }
}

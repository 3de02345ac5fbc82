namespace NeuralNet;

/// <summary>
/// The no-grad switch, per logical flow of execution (an <see cref="AsyncLocal{T}"/>): it follows an
/// <c>await</c> onto other threads and does not leak into unrelated work.
/// </summary>
internal static class GradMode
{
    private static readonly AsyncLocal<int> s_disabledDepth = new();

    public static bool IsEnabled => s_disabledDepth.Value == 0;

    public static IDisposable Disable()
    {
        int previous = s_disabledDepth.Value;
        s_disabledDepth.Value = previous + 1;
        return new Scope(previous);
    }

    /// <summary>Restores the depth seen on entry, so scopes closed out of order cannot leave a wrong count.</summary>
    private sealed class Scope(int previous) : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (!_disposed)
            {
                _disposed = true;
                s_disabledDepth.Value = previous;
            }
        }
    }
}

namespace NeuralNet;

/// <summary>Thread-local switch for the no-grad scope.</summary>
internal static class GradMode
{
    [ThreadStatic]
    private static int t_disabledDepth;

    public static bool IsEnabled => t_disabledDepth == 0;

    public static IDisposable Disable()
    {
        t_disabledDepth++;
        return new Scope();
    }

    private sealed class Scope : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (!_disposed)
            {
                _disposed = true;
                t_disabledDepth--;
            }
        }
    }
}

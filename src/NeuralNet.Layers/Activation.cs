namespace NeuralNet.Layers;

/// <summary>A module without parameters (it registers none) that applies an element-wise (or row-wise) function.</summary>
public abstract class Activation : Module
{
    /// <summary>The activation's name and settings, e.g. <c>ReLU()</c>.</summary>
    public override string ToString() => $"{GetType().Name}()";
}

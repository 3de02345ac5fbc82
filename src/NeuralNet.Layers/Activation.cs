namespace NeuralNet.Layers;

/// <summary>A module without parameters (it registers none) that applies an element-wise (or row-wise) function.</summary>
public abstract class Activation : Module;

namespace ClassicSample;
/// <summary>stub</summary>
public static class LossesDemo
{
    /// <summary>stub</summary>
    public static int Run(string d, TextWriter o) => 0;
    /// <summary>stub</summary>
    public static int Run(TextWriter o) => 0;
}

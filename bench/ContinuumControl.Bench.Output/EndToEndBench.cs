namespace ContinuumControl.Bench.Output;

internal static class EndToEndBench
{
    public sealed record Result(double MegabytesPerSecond, string Markdown);

    public static Task<Result> RunAsync(string root, byte[] wasm, int mib) => throw new NotImplementedException();
}

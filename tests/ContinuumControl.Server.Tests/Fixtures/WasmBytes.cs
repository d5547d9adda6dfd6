namespace ContinuumControl.Server.Tests.Fixtures;

/// <summary>Small modules written out byte by byte, and the bundled samples.</summary>
public static class WasmBytes
{
    /// <summary>A valid module whose only import, foo.bar, no node provides.</summary>
    public static readonly byte[] ImportsUnknownModule =
    [
        0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
        0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
        0x02, 0x0b, 0x01, 0x03, (byte)'f', (byte)'o', (byte)'o', 0x03, (byte)'b', (byte)'a', (byte)'r', 0x00, 0x00,
    ];

    /// <summary>Right magic, then garbage.</summary>
    public static readonly byte[] Truncated = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x7f];

    public static ByteArrayContent Content(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/wasm");
        return content;
    }

    public static byte[] Sample(string name) => File.ReadAllBytes(SamplePath(name));

    public static string SamplePath(string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ContinuumControl.sln")))
        {
            dir = dir.Parent;
        }
        return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("repository root not found"), "samples", "workloads", name);
    }
}

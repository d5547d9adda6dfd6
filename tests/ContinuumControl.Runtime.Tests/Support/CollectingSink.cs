using ContinuumControl.Runtime.Execution;

namespace ContinuumControl.Runtime.Tests.Support;

/// <summary>Assembles stdout and stderr by byte offset, as the control plane stores output across nodes.</summary>
internal sealed class CollectingSink : IOutputSink
{
    private readonly Lock sync = new();
    private readonly MemoryStream stdout = new();
    private readonly MemoryStream stderr = new();

    public void Write(bool stderr, ReadOnlySpan<byte> data) => throw new InvalidOperationException("the runtime must report offsets");

    public void Write(bool isStderr, long offset, ReadOnlySpan<byte> data)
    {
        lock (sync)
        {
            var stream = isStderr ? stderr : stdout;
            stream.Position = offset;
            stream.Write(data);
        }
    }

    public byte[] Stdout
    {
        get
        {
            lock (sync)
            {
                return stdout.ToArray();
            }
        }
    }

    public string StdoutText => System.Text.Encoding.UTF8.GetString(Stdout);

    public byte[] Stderr
    {
        get
        {
            lock (sync)
            {
                return stderr.ToArray();
            }
        }
    }

    public string StderrText => System.Text.Encoding.UTF8.GetString(Stderr);
}

// Usage: RestoreHost <manifest.json> <chunk directory> <module.wasm> <stdout file>
// Restores the checkpoint in this fresh process, runs it to the end and writes stdout into <stdout file> at the
// byte offsets the runtime reports (the caller has already written the part produced before the checkpoint).
// Exit codes: 0 the workload succeeded; 2 it failed (reason on stderr); 3 the checkpoint was refused (reason on stderr).
using ContinuumControl.Runtime;
using ContinuumControl.Runtime.Checkpoints;
using ContinuumControl.Runtime.Execution;

if (args.Length != 4)
{
    Console.Error.WriteLine("usage: RestoreHost <manifest.json> <chunk directory> <module.wasm> <stdout file>");
    return 64;
}
try
{
    var manifest = CheckpointManifestSerializer.Parse(File.ReadAllBytes(args[0]));
    using var engine = RuntimeEngine.Create();
    using var output = new FileStream(args[3], FileMode.OpenOrCreate, FileAccess.Write);
    var sink = new FileSink(output);
    using var instance = await WorkloadInstance.RestoreAsync(engine, manifest, new FileChunkStore(args[1]), File.ReadAllBytes(args[2]), sink);
    var outcome = instance.Run();
    if (!outcome.Succeeded)
    {
        Console.Error.WriteLine(outcome.FailureReason);
        return 2;
    }
    return 0;
}
catch (CheckpointRejectedException ex)
{
    Console.Error.WriteLine(ex.Reason);
    return 3;
}

internal sealed class FileSink(FileStream file) : IOutputSink
{
    public void Write(bool stderr, ReadOnlySpan<byte> data) => throw new InvalidOperationException("offsets expected");

    public void Write(bool stderr, long offset, ReadOnlySpan<byte> data)
    {
        if (stderr)
        {
            Console.Error.Write(System.Text.Encoding.UTF8.GetString(data));
            return;
        }
        lock (file)
        {
            file.Position = offset;
            file.Write(data);
            file.Flush();
        }
    }
}

using ContinuumControl.Agent.Connection;
using ContinuumControl.Contracts.Agents;
using ContinuumControl.Runtime.Execution;
using Microsoft.AspNetCore.SignalR.Client;

namespace ContinuumControl.Agent.Workloads;

/// <summary>Collects a workload's output and sends it in batches, each stamped with its byte offset in the stream.</summary>
public sealed class OutputForwarder : IOutputSink, IDisposable
{
    private const int MaxBatchBytes = 256 * 1024;
    private readonly Guid _workloadId;
    private readonly long _generation;
    private readonly Outbox _outbox;
    private readonly Lock _gate = new();
    private readonly StreamBuffer _stdout = new("stdout");
    private readonly StreamBuffer _stderr = new("stderr");
    private readonly Timer _timer;

    /// <param name="stdoutOffset">Where this run's stdout continues (non-zero after a restore).</param>
    /// <param name="stderrOffset">Where this run's stderr continues.</param>
    public OutputForwarder(Guid workloadId, long generation, Outbox outbox, TimeSpan interval, long stdoutOffset = 0, long stderrOffset = 0)
    {
        _stdout.Offset = stdoutOffset;
        _stderr.Offset = stderrOffset;
        _workloadId = workloadId;
        _generation = generation;
        _outbox = outbox;
        _timer = new Timer(_ => Flush(), null, interval, interval);
    }

    public void Write(bool stderr, ReadOnlySpan<byte> data)
    {
        bool full;
        lock (_gate)
        {
            var buffer = stderr ? _stderr : _stdout;
            buffer.Pending.Write(data);
            full = buffer.Pending.Length >= MaxBatchBytes;
        }
        if (full)
        {
            Flush();
        }
    }

    /// <summary>Hands everything written so far to the outbox, in order.</summary>
    public void Flush()
    {
        lock (_gate)
        {
            Send(_stdout);
            Send(_stderr);
        }
    }

    private void Send(StreamBuffer buffer)
    {
        if (buffer.Pending.Length == 0)
        {
            return;
        }
        var append = new OutputAppend(_workloadId, _generation, buffer.Name, buffer.Offset, buffer.Pending.ToArray());
        buffer.Offset += buffer.Pending.Length;
        buffer.Pending.SetLength(0);
        _outbox.Enqueue(hub => hub.InvokeAsync(nameof(IAgentHub.AppendOutput), append));
    }

    public void Dispose()
    {
        _timer.Dispose();
        Flush();
    }

    private sealed class StreamBuffer(string name)
    {
        public string Name { get; } = name;
        public long Offset { get; set; }
        public MemoryStream Pending { get; } = new();
    }
}

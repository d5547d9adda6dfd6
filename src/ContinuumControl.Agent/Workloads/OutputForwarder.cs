using ContinuumControl.Agent.Connection;
using ContinuumControl.Contracts.Agents;
using ContinuumControl.Runtime.Execution;
using Microsoft.AspNetCore.SignalR.Client;

namespace ContinuumControl.Agent.Workloads;

/// <summary>
/// Collects a workload's output and sends it in batches, each stamped with its byte offset in the stream. At most
/// <see cref="MaxInFlightBytes"/> wait in the outbox: past that the forwarder reports <see cref="Backlogged"/> and the
/// runtime leaves further output in the guest's files until the server has taken what is queued, so a workload that
/// writes faster than the link carries costs disk, not memory.
/// </summary>
public sealed class OutputForwarder : IOutputSink, IDisposable
{
    // One append per 2 MiB at most: each costs a round trip and a few database statements, so fewer and larger is faster.
    private const int MaxBatchBytes = 2 * 1024 * 1024;

    /// <summary>Output queued for the server and not yet taken by it, past which the runtime holds back.</summary>
    public const long MaxInFlightBytes = 8 * 1024 * 1024;

    private long _inFlight;
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

    public bool Backlogged => Interlocked.Read(ref _inFlight) >= MaxInFlightBytes;

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
        Interlocked.Add(ref _inFlight, append.Data.Length);
        _outbox.Enqueue(append, DeliverAsync, droppable: false, kind: "output");
    }

    private async Task DeliverAsync(HubConnection hub, OutputAppend append)
    {
        try
        {
            await hub.InvokeAsync(nameof(IAgentHub.AppendOutput), append);
        }
        catch (Microsoft.AspNetCore.SignalR.HubException)
        {
            // Refused for good (the outbox drops it): it no longer waits.
            Interlocked.Add(ref _inFlight, -append.Data.Length);
            throw;
        }
        Interlocked.Add(ref _inFlight, -append.Data.Length);
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

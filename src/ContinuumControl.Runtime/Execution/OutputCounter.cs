using System.Buffers;

namespace ContinuumControl.Runtime.Execution;

/// <summary>
/// Forwards guest output to a sink with the byte offset of each piece in its stream. A restored workload starts at
/// the offsets its checkpoint recorded, so one workload's output reads as one stream across every node it ran on.
/// The guest writes to files (<see cref="GuestStdio"/>); a pump reads what is new in pieces of up to
/// <see cref="PieceBytes"/>, so the sink sees a few large writes instead of one per guest write, and
/// <see cref="Drain"/> forwards everything written so far (at a safe point, before offsets go into a checkpoint).
/// The pump holds back while the sink reports <see cref="IOutputSink.Backlogged"/>: the files take the slack, so
/// memory stays bounded whatever the guest writes and however slowly the sink drains.
/// </summary>
internal sealed class OutputCounter(IOutputSink sink, long stdoutOffset, long stderrOffset, long? limitBytes = null)
{
    public const int PieceBytes = 256 * 1024;
    private static readonly TimeSpan IdlePoll = TimeSpan.FromMilliseconds(10);
    private bool lastPieceFull;

    private readonly Lock gate = new();
    private long stdout = stdoutOffset;
    private long stderr = stderrOffset;
    private long stdoutRead, stderrRead;
    private GuestStdio? files;
    private CancellationTokenSource? pumpStop;
    private Task? pump;
    private Action? limitReached;
    private string? limitReason;

    public long StdoutOffset => Interlocked.Read(ref stdout);

    public long StderrOffset => Interlocked.Read(ref stderr);

    /// <summary>Set once the workload wrote more than its output limit; what fits under the limit was forwarded.</summary>
    public string? LimitReason => Volatile.Read(ref limitReason);

    /// <summary>Starts forwarding what the guest writes to <paramref name="stdio"/>; <paramref name="onLimit"/> runs (on the pump's thread) once the limit is passed.</summary>
    public void Attach(GuestStdio stdio, Action onLimit)
    {
        lock (gate)
        {
            files = stdio;
            limitReached = onLimit;
            stdoutRead = stderrRead = 0;
            pumpStop = new CancellationTokenSource();
            var token = pumpStop.Token;
            pump = Task.Run(() => PumpAsync(token));
        }
    }

    /// <summary>Forwards everything written so far and stops the pump. Call before the guest's files close.</summary>
    public void Detach()
    {
        CancellationTokenSource? stopping;
        Task? running;
        lock (gate)
        {
            stopping = pumpStop;
            running = pump;
            pumpStop = null;
            pump = null;
        }
        stopping?.Cancel();
        try
        {
            running?.Wait();
        }
        catch (AggregateException)
        {
            // Cancelled, or the sink failed: what could be forwarded was.
        }
        stopping?.Dispose();
        Drain();
        lock (gate)
        {
            files = null;
        }
    }

    /// <summary>Forwards everything the guest has written so far. On the workload's thread at a safe point, the offsets are then exact.</summary>
    public void Drain()
    {
        lock (gate)
        {
            while (ReadPiece(ignoreBacklog: true))
            {
            }
        }
    }

    /// <summary>Forwards one write made by the host itself (not through the guest's files), at the current offset.</summary>
    public void Write(bool isStderr, ReadOnlySpan<byte> data)
    {
        lock (gate)
        {
            Forward(isStderr, data);
        }
    }

    private async Task PumpAsync(CancellationToken token)
    {
        while (!token.IsCancellationRequested)
        {
            bool moved;
            lock (gate)
            {
                moved = ReadPiece(ignoreBacklog: false);
            }
            // Back to back only while whole pieces are waiting: reading whatever a fast guest has just written turned
            // each few kilobytes into a sink call (and kept a core busy polling). A short piece means the pump has
            // caught up, so it waits one poll and the next piece holds what came meanwhile.
            if (!moved || !lastPieceFull)
            {
                await Task.Delay(IdlePoll, token).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Reads and forwards one piece of whichever stream has new bytes; false when there is nothing to do (under the gate).</summary>
    private bool ReadPiece(bool ignoreBacklog)
    {
        if (files?.Stdout is not { } outHandle || files.Stderr is not { } errHandle || limitReason is not null)
        {
            return false;
        }
        if (!ignoreBacklog && sink.Backlogged)
        {
            return false;
        }
        var outNew = RandomAccess.GetLength(outHandle) - stdoutRead;
        var errNew = RandomAccess.GetLength(errHandle) - stderrRead;
        if (outNew <= 0 && errNew <= 0)
        {
            return false;
        }
        // Stdout first, then stderr, one piece each turn, so neither starves the other.
        var isStderr = outNew <= 0;
        var handle = isStderr ? errHandle : outHandle;
        var position = isStderr ? stderrRead : stdoutRead;
        var length = (int)Math.Min(isStderr ? errNew : outNew, PieceBytes);
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var read = RandomAccess.Read(handle, buffer.AsSpan(0, length), position);
            if (read <= 0)
            {
                return false;
            }
            if (isStderr)
            {
                stderrRead += read;
            }
            else
            {
                stdoutRead += read;
            }
            lastPieceFull = read == PieceBytes;
            Forward(isStderr, buffer.AsSpan(0, read));
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Forward(bool isStderr, ReadOnlySpan<byte> data)
    {
        if (limitReason is not null)
        {
            return;
        }
        if (limitBytes is { } limit)
        {
            // Counted over the workload's whole life (offsets continue across moves), like its CPU time.
            var room = limit - (stdout + stderr);
            if (data.Length > room)
            {
                data = data[..(int)Math.Max(0, room)];
                limitReason = $"output exceeded its limit of {Describe(limit)} (stdout and stderr together); what was written up to the limit is kept. Raise outputLimitMiB or write less";
            }
        }
        if (data.Length > 0)
        {
            ref var offset = ref isStderr ? ref stderr : ref stdout;
            var at = offset;
            sink.Write(isStderr, at, data);
            Interlocked.Add(ref offset, data.Length);
        }
        if (limitReason is not null)
        {
            limitReached?.Invoke();
        }
    }

    private static string Describe(long bytes) =>
        bytes % (1024 * 1024) == 0 ? $"{bytes / (1024 * 1024)} MiB" : bytes % 1024 == 0 ? $"{bytes / 1024} KiB" : $"{bytes} bytes";
}

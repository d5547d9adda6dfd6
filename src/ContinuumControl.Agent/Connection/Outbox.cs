using System.Text.Json;
using ContinuumControl.Contracts.Agents;
using Microsoft.AspNetCore.SignalR.Client;

namespace ContinuumControl.Agent.Connection;

/// <summary>
/// Messages to the server (output, status reports), delivered one at a time in order and retried until the server
/// takes them, so a disconnection loses nothing and output never arrives after its workload's final status.
/// Bounded for long partitions: up to <see cref="OutboxOptions.MemoryEntries"/> messages keep their content in memory,
/// later ones are spilled to files in the data directory (keeping their place in the order) up to
/// <see cref="OutboxOptions.SpillBytes"/>; past that the oldest droppable messages (those a later one supersedes) are
/// dropped, logged, and reported to the server once it is reachable again (<see cref="OutboxDropReport"/>).
/// </summary>
public sealed class Outbox
{
    private static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    private readonly ILogger<Outbox> _logger;
    private readonly OutboxOptions _limits;
    private readonly string _spillDirectory;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly LinkedList<Entry> _queue = new();
    private readonly SemaphoreSlim _arrived = new(0);
    private readonly Dictionary<string, int> _dropped = [];
    private DateTimeOffset _firstDrop;
    private DateTimeOffset _lastDrop;
    private int _inMemory;
    private long _spilledBytes;
    private long _sequence;

    public Outbox(ILogger<Outbox> logger, AgentOptions? options = null, TimeProvider? time = null)
    {
        _logger = logger;
        _limits = options?.Outbox ?? new OutboxOptions();
        _time = time ?? TimeProvider.System;
        _spillDirectory = Path.Combine(Path.GetFullPath(options?.DataDirectory ?? Path.Combine(Path.GetTempPath(), $"cc-outbox-{Guid.NewGuid():N}")), "outbox");
        // Left by an earlier run: those messages belonged to workloads the server reconciles on registration.
        if (Directory.Exists(_spillDirectory))
        {
            Directory.Delete(_spillDirectory, recursive: true);
        }
    }

    /// <summary>Messages not yet delivered.</summary>
    public int Pending
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>Messages holding their content in memory now (never more than <see cref="OutboxOptions.MemoryEntries"/> that can spill).</summary>
    public int InMemory
    {
        get
        {
            lock (_gate)
            {
                return _inMemory;
            }
        }
    }

    /// <summary>Bytes of spilled messages on disk now.</summary>
    public long SpilledBytes
    {
        get
        {
            lock (_gate)
            {
                return _spilledBytes;
            }
        }
    }

    /// <summary>Dropped messages not yet reported to the server, by kind.</summary>
    public IReadOnlyDictionary<string, int> DroppedNotReported
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<string, int>(_dropped);
            }
        }
    }

    /// <summary>Queues a local step (no content, never spilled nor dropped) to run in order with the messages.</summary>
    public void Enqueue(Func<HubConnection, Task> send) =>
        Add(new Entry { Send = (hub, _) => send(hub), Kind = "local" });

    /// <summary>
    /// Queues <paramref name="message"/>, sent by <paramref name="send"/>. Its content may be spilled to disk and read
    /// back before sending; a <paramref name="droppable"/> one may be dropped when the spill is full.
    /// </summary>
    public void Enqueue<T>(T message, Func<HubConnection, T, Task> send, bool droppable, string kind)
        where T : class =>
        Add(new Entry { Send = (hub, content) => send(hub, (T)content!), Content = message, ContentType = typeof(T), Droppable = droppable, Kind = kind });

    /// <summary>Delivers messages while <paramref name="ready"/> says the connection is registered.</summary>
    public async Task RunAsync(Func<HubConnection?> ready, CancellationToken stoppingToken)
    {
        while (true)
        {
            await _arrived.WaitAsync(stoppingToken);
            Entry? entry;
            lock (_gate)
            {
                entry = _queue.First?.Value;
                if (entry is null)
                {
                    // The only queued message was dropped between the signal and here.
                    continue;
                }
                entry.Sending = true;
            }
            var content = Load(entry);
            await DeliverAsync(ready, async hub =>
            {
                // Checked at each attempt: drops happen while this message waits for the connection.
                await ReportDropsAsync(hub);
                await entry.Send(hub, content);
            }, stoppingToken);
            lock (_gate)
            {
                _queue.RemoveFirst();
                Release(entry);
            }
        }
    }

    /// <summary>Tells the server what was dropped since the last report; a failed send is retried with the next message.</summary>
    private async Task ReportDropsAsync(HubConnection hub)
    {
        OutboxDropReport report;
        lock (_gate)
        {
            if (_dropped.Count == 0)
            {
                return;
            }
            report = new OutboxDropReport(new Dictionary<string, int>(_dropped), _firstDrop, _lastDrop);
        }
        try
        {
            await hub.InvokeAsync(nameof(IAgentHub.ReportOutboxDropped), report);
        }
        catch (Microsoft.AspNetCore.SignalR.HubException ex)
        {
            // A server that does not take the report (an older version): the log line stays the only record.
            _logger.LogWarning("The server refused the report of dropped outbox messages: {Reason}", ex.Message);
        }
        lock (_gate)
        {
            foreach (var (kind, count) in report.DroppedByKind)
            {
                var left = _dropped.GetValueOrDefault(kind) - count;
                if (left > 0)
                {
                    _dropped[kind] = left;
                }
                else
                {
                    _dropped.Remove(kind);
                }
            }
        }
    }

    private async Task DeliverAsync(Func<HubConnection?> ready, Func<HubConnection, Task> send, CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            var connection = ready();
            if (connection is not null)
            {
                try
                {
                    await send(connection);
                    return;
                }
                catch (Microsoft.AspNetCore.SignalR.HubException ex)
                {
                    // The server understood and refused: retrying cannot help.
                    _logger.LogWarning("The server refused a message: {Reason}", ex.Message);
                    return;
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    _logger.LogDebug(ex, "Delivery failed; retrying in {Delay}", delay);
                }
            }
            await Task.Delay(delay, stoppingToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(2).Ticks));
        }
    }

    private void Add(Entry entry)
    {
        lock (_gate)
        {
            entry.Sequence = ++_sequence;
            if (entry.Content is not null)
            {
                if (_inMemory < _limits.MemoryEntries)
                {
                    _inMemory++;
                }
                else
                {
                    Spill(entry);
                }
            }
            _queue.AddLast(entry);
            while (_spilledBytes > _limits.SpillBytes && DropOldestDroppable())
            {
            }
        }
        _arrived.Release();
    }

    private void Spill(Entry entry)
    {
        Directory.CreateDirectory(_spillDirectory);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(entry.Content, entry.ContentType!, Json);
        entry.SpillPath = Path.Combine(_spillDirectory, $"{entry.Sequence:D12}.json");
        File.WriteAllBytes(entry.SpillPath, bytes);
        entry.SpillBytes = bytes.Length;
        entry.Content = null;
        _spilledBytes += bytes.Length;
    }

    private object? Load(Entry entry)
    {
        if (entry.SpillPath is null)
        {
            return entry.Content;
        }
        return JsonSerializer.Deserialize(File.ReadAllBytes(entry.SpillPath), entry.ContentType!, Json);
    }

    /// <summary>Drops the oldest droppable message not being sent; false when there is none (required ones are kept).</summary>
    private bool DropOldestDroppable()
    {
        for (var node = _queue.First; node is not null; node = node.Next)
        {
            var entry = node.Value;
            if (!entry.Droppable || entry.Sending)
            {
                continue;
            }
            _queue.Remove(node);
            Release(entry);
            // The semaphore counts queued entries: take back the one this entry added (always available: it is queued).
            _arrived.Wait(0);
            var now = _time.GetUtcNow();
            if (_dropped.Count == 0)
            {
                _firstDrop = now;
            }
            _lastDrop = now;
            _dropped[entry.Kind] = _dropped.GetValueOrDefault(entry.Kind) + 1;
            _logger.LogWarning("Outbox full ({Bytes} bytes spilled, Agent:Outbox:SpillBytes = {Limit}): dropped the oldest {Kind}; the server is told once it is reachable",
                _spilledBytes, _limits.SpillBytes, entry.Kind);
            return true;
        }
        return false;
    }

    private void Release(Entry entry)
    {
        if (entry.SpillPath is not null)
        {
            File.Delete(entry.SpillPath);
            _spilledBytes -= entry.SpillBytes;
        }
        else if (entry.ContentType is not null)
        {
            _inMemory--;
        }
    }

    private sealed class Entry
    {
        public required Func<HubConnection, object?, Task> Send { get; init; }
        public required string Kind { get; init; }
        public object? Content { get; set; }
        public Type? ContentType { get; init; }
        public bool Droppable { get; init; }
        public long Sequence { get; set; }
        public bool Sending { get; set; }
        public string? SpillPath { get; set; }
        public long SpillBytes { get; set; }
    }
}

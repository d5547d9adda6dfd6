using System.Diagnostics;
using ContinuumControl.Contracts;
using ContinuumControl.Contracts.Agents;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace ContinuumControl.Bench.Heartbeats;

/// <summary>
/// N simulated agents, each on its own SignalR connection (WebSockets, JSON protocol — what the real agent uses),
/// registered as a distinct node. Like the real agent, each has at most one heartbeat in flight and waits for its ack.
/// </summary>
public sealed class AgentSwarm : IAsyncDisposable
{
    private readonly List<SimulatedAgent> _agents = [];
    private long _acked;
    private long _unknown;
    private long _errors;
    private long _closed;
    private volatile bool _recordLatency;

    public string NamePrefix { get; }

    public IReadOnlyList<SimulatedAgent> Agents => _agents;

    public long Acked => Interlocked.Read(ref _acked);

    public long Unknown => Interlocked.Read(ref _unknown);

    public long Errors => Interlocked.Read(ref _errors);

    public long Closed => Interlocked.Read(ref _closed);

    public AgentSwarm(string namePrefix) => NamePrefix = namePrefix;

    /// <summary>Opens and registers <paramref name="count"/> agents, <paramref name="concurrency"/> at a time.</summary>
    public async Task ConnectAsync(Uri baseUrl, string joinToken, int count, int concurrency)
    {
        var hubUrl = new Uri(baseUrl, Routes.AgentHub);
        using var gate = new SemaphoreSlim(concurrency);
        var tasks = Enumerable.Range(0, count).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                var hub = new HubConnectionBuilder()
                    .WithUrl(hubUrl, o =>
                    {
                        o.AccessTokenProvider = () => Task.FromResult<string?>(joinToken);
                        o.Transports = HttpTransportType.WebSockets;
                        o.SkipNegotiation = true;
                    })
                    .Build();
                hub.ServerTimeout = TimeSpan.FromSeconds(60);
                hub.Closed += _ =>
                {
                    Interlocked.Increment(ref _closed);
                    return Task.CompletedTask;
                };
                await hub.StartAsync();
                var name = $"{NamePrefix}-{i:D5}";
                var descriptor = new NodeDescriptor(name, i % 2 == 0 ? "Edge" : "Cloud", "x64", 4, 8L * 1024 * 1024 * 1024,
                    new Dictionary<string, string> { ["bench"] = NamePrefix }, ["wasi_snapshot_preview1"], "bench");
                var result = await hub.InvokeAsync<RegisterResult>(nameof(IAgentHub.Register), new RegisterRequest(descriptor, []));
                return new SimulatedAgent(hub, name, result.NodeId);
            }
            finally
            {
                gate.Release();
            }
        });
        _agents.AddRange(await Task.WhenAll(tasks));
    }

    /// <summary>Starts or stops collecting heartbeat round-trip times (only the measured part of a step).</summary>
    public void RecordLatency(bool on)
    {
        if (on)
        {
            foreach (var a in _agents)
            {
                lock (a.RoundTrips)
                {
                    a.RoundTrips.Clear();
                }
            }
        }
        _recordLatency = on;
    }

    public Percentiles RoundTrips()
    {
        var all = new List<double>();
        foreach (var a in _agents)
        {
            lock (a.RoundTrips)
            {
                all.AddRange(a.RoundTrips);
            }
        }
        return Percentiles.Of(all);
    }

    /// <summary>
    /// Drives heartbeats until <paramref name="stop"/> fires: at <paramref name="aggregateRate"/>/s over all agents
    /// (each agent every N/rate seconds, phases spread evenly), or unpaced when the rate is 0.
    /// </summary>
    public Task DriveAsync(int aggregateRate, CancellationToken stop)
    {
        var interval = aggregateRate == BenchOptions.Unpaced ? TimeSpan.Zero : TimeSpan.FromSeconds((double)_agents.Count / aggregateRate);
        return Task.WhenAll(_agents.Select((a, i) => Task.Run(() => DriveOneAsync(a, interval, i, stop))));
    }

    private async Task DriveOneAsync(SimulatedAgent agent, TimeSpan interval, int index, CancellationToken stop)
    {
        try
        {
            if (interval == TimeSpan.Zero)
            {
                while (!stop.IsCancellationRequested)
                {
                    await HeartbeatAsync(agent);
                }
                return;
            }
            await Task.Delay(interval * ((double)index / _agents.Count), stop);
            using var timer = new PeriodicTimer(interval);
            do
            {
                await HeartbeatAsync(agent);
            }
            while (await timer.WaitForNextTickAsync(stop));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private async Task HeartbeatAsync(SimulatedAgent agent)
    {
        var sequence = agent.Sequence + 1;
        // MemoryUsedBytes carries the sequence number so the end check can see the latest heartbeat reached the database.
        var heartbeat = new Heartbeat(agent.NodeId, Random.Shared.NextDouble() * 100, sequence, 0, 0);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var ack = await agent.Hub.InvokeAsync<HeartbeatAck>(nameof(IAgentHub.Heartbeat), heartbeat);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            agent.Sequence = sequence;
            if (ack.Known)
            {
                agent.LastAcked = sequence;
                Interlocked.Increment(ref _acked);
            }
            else
            {
                Interlocked.Increment(ref _unknown);
            }
            if (_recordLatency)
            {
                lock (agent.RoundTrips)
                {
                    agent.RoundTrips.Add(elapsed);
                }
            }
        }
        catch (Exception)
        {
            Interlocked.Increment(ref _errors);
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_agents.Select(a => a.Hub.DisposeAsync().AsTask()));
    }
}

/// <summary>One simulated agent: its connection, node id and heartbeat bookkeeping (touched by one loop at a time).</summary>
public sealed class SimulatedAgent(HubConnection hub, string name, Guid nodeId)
{
    public HubConnection Hub { get; } = hub;

    public string Name { get; } = name;

    public Guid NodeId { get; } = nodeId;

    public long Sequence { get; set; }

    /// <summary>Sequence number of the last heartbeat the server acknowledged as known.</summary>
    public long LastAcked { get; set; }

    public List<double> RoundTrips { get; } = [];
}

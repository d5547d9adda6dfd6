using System.Net;
using ContinuumControl.Contracts.Agents;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace ContinuumControl.Agent.Tests.Support;

/// <summary>A hub connection that never connects: it records every call the agent's outbox delivers, in order.</summary>
internal sealed class RecordingHub() : HubConnection(new NoConnections(), new JsonHubProtocol(), new UriEndPoint(new Uri("http://control-plane.test")),
    new ServiceCollection().BuildServiceProvider(), NullLoggerFactory.Instance)
{
    private readonly Lock _gate = new();
    private readonly List<(string Method, object? Argument)> _calls = [];

    /// <summary>What the control plane answers a call (method, argument); null answers nothing.</summary>
    public Func<string, object?, object?>? Answer { get; set; }

    public override Task<object?> InvokeCoreAsync(string methodName, Type returnType, object?[] args, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _calls.Add((methodName, args.FirstOrDefault()));
        }
        return Task.FromResult(Answer?.Invoke(methodName, args.FirstOrDefault()));
    }

    public IReadOnlyList<(string Method, object? Argument)> Calls()
    {
        lock (_gate)
        {
            return [.. _calls];
        }
    }

    public IReadOnlyList<T> Sent<T>() => Calls().Select(c => c.Argument).OfType<T>().ToList();

    public IReadOnlyList<WorkloadStatusReport> Statuses(Guid workloadId) => Sent<WorkloadStatusReport>().Where(r => r.WorkloadId == workloadId).ToList();

    public IReadOnlyList<WorkloadState> States(Guid workloadId) => Statuses(workloadId).Select(r => r.State).ToList();

    /// <summary>Position of the first call matching <paramref name="match"/> in delivery order, or -1.</summary>
    public int IndexOf(Func<object?, bool> match) => Calls().Select((c, i) => (c, i)).FirstOrDefault(x => match(x.c.Argument), (default, -1)).Item2;

    /// <summary>The workload's stdout as the control plane would assemble it: every append written at its offset, across generations.</summary>
    public byte[] Stdout(Guid workloadId, byte[]? before = null)
    {
        using var stream = new MemoryStream();
        stream.Write(before ?? []);
        foreach (var append in Sent<OutputAppend>().Where(a => a.WorkloadId == workloadId && a.Stream == "stdout"))
        {
            stream.Position = append.Offset;
            stream.Write(append.Data);
        }
        return stream.ToArray();
    }

    public async Task WaitUntilAsync(Func<bool> condition, string what, int timeoutMs = 60_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"waited {timeoutMs} ms for {what}; calls so far: {string.Join(", ", Calls().Select(c => c.Argument is WorkloadStatusReport r ? $"{r.State}({r.Reason})" : c.Method))}");
            }
            await Task.Delay(20);
        }
    }

    public Task WaitForFinalAsync(Guid workloadId, int timeoutMs = 60_000) =>
        WaitUntilAsync(() => States(workloadId).Any(s => s is WorkloadState.Completed or WorkloadState.Failed or WorkloadState.Stopped), $"the final status of {workloadId}", timeoutMs);

    private sealed class NoConnections : IConnectionFactory
    {
        public ValueTask<ConnectionContext> ConnectAsync(EndPoint endpoint, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("the recording hub never connects");
    }
}

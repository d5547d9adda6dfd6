using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;

namespace ContinuumControl.Agent.Connection;

/// <summary>
/// Messages to the server (output, status reports), delivered one at a time in order and retried until the server
/// takes them, so a disconnection loses nothing and output never arrives after its workload's final status.
/// </summary>
public sealed class Outbox(ILogger<Outbox> logger)
{
    private readonly Channel<Func<HubConnection, Task>> _queue =
        Channel.CreateUnbounded<Func<HubConnection, Task>>(new UnboundedChannelOptions { SingleReader = true });

    private int _pending;

    /// <summary>Messages not yet delivered.</summary>
    public int Pending => Volatile.Read(ref _pending);

    public void Enqueue(Func<HubConnection, Task> send)
    {
        Interlocked.Increment(ref _pending);
        _queue.Writer.TryWrite(send);
    }

    /// <summary>Delivers messages while <paramref name="ready"/> says the connection is registered.</summary>
    public async Task RunAsync(Func<HubConnection?> ready, CancellationToken stoppingToken)
    {
        await foreach (var send in _queue.Reader.ReadAllAsync(stoppingToken))
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
                        break;
                    }
                    catch (Microsoft.AspNetCore.SignalR.HubException ex)
                    {
                        // The server understood and refused: retrying cannot help.
                        logger.LogWarning("The server refused a message: {Reason}", ex.Message);
                        break;
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                    {
                        logger.LogDebug(ex, "Delivery failed; retrying in {Delay}", delay);
                    }
                }
                await Task.Delay(delay, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(2).Ticks));
            }
            Interlocked.Decrement(ref _pending);
        }
    }
}

using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using ContinuumControl.Contracts.Api;

namespace ContinuumControl.Server.Live;

/// <summary>Fans cluster changes out to every live subscriber (dashboard circuits, API followers).</summary>
public sealed class ClusterEvents
{
    private readonly ConcurrentDictionary<Guid, Channel<ClusterChange>> _subscribers = new();

    public bool HasSubscribers => !_subscribers.IsEmpty;

    public void Publish(ClusterChange change)
    {
        foreach (var channel in _subscribers.Values)
        {
            channel.Writer.TryWrite(change);
        }
    }

    /// <summary>Changes published after this call, until <paramref name="cancellationToken"/> fires.</summary>
    public async IAsyncEnumerable<ClusterChange> SubscribeAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var id = Guid.NewGuid();
        // Bounded so a stalled subscriber cannot grow memory without limit; it loses the oldest changes instead.
        var channel = Channel.CreateBounded<ClusterChange>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        _subscribers[id] = channel;
        try
        {
            await foreach (var change in channel.Reader.ReadAllAsync(cancellationToken))
            {
                yield return change;
            }
        }
        finally
        {
            _subscribers.TryRemove(id, out _);
        }
    }
}

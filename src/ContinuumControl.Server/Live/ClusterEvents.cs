using System.Collections.Concurrent;
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

    /// <summary>
    /// Changes published after this call, until <paramref name="cancellationToken"/> fires or the enumerator is
    /// disposed. The subscription is made here, not on the first MoveNextAsync as a C# iterator would make it, so a
    /// caller that subscribes, then reads the current state, misses nothing published in between (API waiters rely
    /// on it). Enumerate it once, and dispose the enumerator (await foreach does).
    /// </summary>
    public IAsyncEnumerable<ClusterChange> SubscribeAsync(CancellationToken cancellationToken) => new Feed(this, cancellationToken);

    private sealed class Feed : IAsyncEnumerable<ClusterChange>, IAsyncEnumerator<ClusterChange>
    {
        private readonly ClusterEvents _owner;
        private readonly Guid _id = Guid.NewGuid();
        // Bounded so a stalled subscriber cannot grow memory without limit; it loses the oldest changes instead.
        private readonly Channel<ClusterChange> _channel = Channel.CreateBounded<ClusterChange>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        private CancellationToken _token;
        private CancellationTokenSource? _linked;

        public Feed(ClusterEvents owner, CancellationToken token)
        {
            _owner = owner;
            _token = token;
            owner._subscribers[_id] = _channel;
        }

        public ClusterChange Current { get; private set; } = null!;

        public IAsyncEnumerator<ClusterChange> GetAsyncEnumerator(CancellationToken cancellationToken = default)
        {
            if (cancellationToken.CanBeCanceled && cancellationToken != _token)
            {
                _linked = CancellationTokenSource.CreateLinkedTokenSource(_token, cancellationToken);
                _token = _linked.Token;
            }
            return this;
        }

        public async ValueTask<bool> MoveNextAsync()
        {
            Current = await _channel.Reader.ReadAsync(_token);
            return true;
        }

        public ValueTask DisposeAsync()
        {
            _owner._subscribers.TryRemove(_id, out _);
            _linked?.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}

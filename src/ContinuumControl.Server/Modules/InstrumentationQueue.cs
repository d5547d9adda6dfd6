using System.Threading.RateLimiting;
using ContinuumControl.Server.Api;
using ContinuumControl.Server.Configuration;

namespace ContinuumControl.Server.Modules;

/// <summary>
/// Bounds how many uploads run wasm-opt at once (each run takes a core) and how many may wait for a turn. One more
/// than that is answered 503 with Retry-After; a waiting or running upload whose client went away gives its turn up
/// (and its wasm-opt process is killed).
/// </summary>
public sealed class InstrumentationQueue : IDisposable
{
    private readonly ConcurrencyLimiter _slots;

    public InstrumentationQueue(ServerOptions options)
    {
        var limits = options.RateLimits;
        Concurrency = limits.ConcurrentInstrumentations > 0 ? limits.ConcurrentInstrumentations : Math.Max(1, Environment.ProcessorCount / 2);
        QueueLength = Math.Max(0, limits.InstrumentationQueue);
        _slots = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = Concurrency,
            QueueLimit = QueueLength,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    public int Concurrency { get; }

    public int QueueLength { get; }

    /// <summary>Waits for a turn; dispose the answer to give it back. Throws a 503 refusal when the queue is full.</summary>
    public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        var lease = await _slots.AcquireAsync(1, cancellationToken);
        if (lease.IsAcquired)
        {
            return lease;
        }
        lease.Dispose();
        throw new RefusalException(StatusCodes.Status503ServiceUnavailable, "Instrumentation busy",
            $"{Concurrency} new modules are being instrumented and {QueueLength} more wait (Server:RateLimits:ConcurrentInstrumentations, InstrumentationQueue); try again after the Retry-After delay.")
        {
            RetryAfter = TimeSpan.FromSeconds(10),
        };
    }

    public void Dispose() => _slots.Dispose();
}

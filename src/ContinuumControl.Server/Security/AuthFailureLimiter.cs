using System.Threading.RateLimiting;

namespace ContinuumControl.Server.Security;

/// <summary>
/// Counts bearer tokens that were not valid per client IP address. A client past its budget gets 429 for every
/// bearer request until the window ends, before any lookup: guessing tokens costs the server nothing more.
/// </summary>
public sealed class AuthFailureLimiter(int failuresPerMinute) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _failures = PartitionedRateLimiter.Create<string, string>(client =>
        RateLimitPartition.GetFixedWindowLimiter(client, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = Math.Max(1, failuresPerMinute),
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        }));

    public int FailuresPerMinute => failuresPerMinute;

    /// <summary>Whether <paramref name="client"/> may present a token now; when not, how long it must wait.</summary>
    public bool MayTry(string client, out TimeSpan retryAfter)
    {
        // Zero permits asks whether any remain without spending one.
        using var lease = _failures.AttemptAcquire(client, 0);
        return Granted(lease, out retryAfter);
    }

    /// <summary>Spends one of <paramref name="client"/>'s failures.</summary>
    public void RecordFailure(string client)
    {
        using var lease = _failures.AttemptAcquire(client);
    }

    public void Dispose() => _failures.Dispose();

    private static bool Granted(RateLimitLease lease, out TimeSpan retryAfter)
    {
        retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
        return lease.IsAcquired;
    }
}

using Microsoft.AspNetCore.SignalR.Client;

namespace ContinuumControl.Agent.Connection;

/// <summary>
/// Reconnects forever with exponential backoff capped at 10 s, plus jitter so many agents do not reconnect in step.
/// A refused credential (401) ends the automatic reconnect: the agent's own loop then says why and retries.
/// </summary>
public sealed class ForeverRetryPolicy : IRetryPolicy
{
    public TimeSpan? NextRetryDelay(RetryContext retryContext) =>
        retryContext.RetryReason is HttpRequestException { StatusCode: System.Net.HttpStatusCode.Unauthorized } ? null : Delay(retryContext.PreviousRetryCount);

    public static TimeSpan Delay(long attempt)
    {
        var baseMs = Math.Min(10_000, 250 * Math.Pow(2, Math.Min(attempt, 10)));
        return TimeSpan.FromMilliseconds(baseMs * (0.8 + (Random.Shared.NextDouble() * 0.4)));
    }
}

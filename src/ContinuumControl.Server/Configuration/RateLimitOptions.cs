namespace ContinuumControl.Server.Configuration;

/// <summary>
/// Bounds on what one client (by IP address) may ask of the control plane (section "Server:RateLimits"). The defaults
/// are far above what a person or a CI pipeline does and far below what it takes to wear the server down.
/// </summary>
public sealed class RateLimitOptions
{
    /// <summary>Dashboard sign-in attempts per client per minute.</summary>
    public int LoginPerMinute { get; set; } = 30;

    /// <summary>Requests with a bearer token that turned out not valid, per client per minute; past it every bearer request gets 429.</summary>
    public int AuthFailuresPerMinute { get; set; } = 60;

    /// <summary>Module uploads per client per minute.</summary>
    public int UploadsPerMinute { get; set; } = 120;

    /// <summary>New modules instrumented at once (each runs wasm-opt twice, a core each); 0 means half the cores, at least 1.</summary>
    public int ConcurrentInstrumentations { get; set; }

    /// <summary>Uploads that may wait for an instrumentation slot; one more is answered 503 with Retry-After.</summary>
    public int InstrumentationQueue { get; set; } = 16;

    /// <summary>API token lookups remembered at most (valid and not valid together).</summary>
    public int TokenCacheEntries { get; set; } = 10_000;
}

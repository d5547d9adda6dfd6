namespace ContinuumControl.Server.Configuration;

/// <summary>
/// Running behind a reverse proxy that terminates TLS (section "Server:ForwardedHeaders"): X-Forwarded-Proto and
/// X-Forwarded-For are believed only from the listed proxies and networks (loopback always), so the server knows a
/// request came over HTTPS (Secure cookie, HSTS) and who sent it.
/// </summary>
public sealed class ProxyOptions
{
    public const string Section = "Server:ForwardedHeaders";

    public bool Enabled { get; set; }

    /// <summary>Addresses of the proxies, e.g. "10.0.0.5".</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks the proxies live in, in CIDR notation, e.g. "10.0.0.0/8".</summary>
    public List<string> KnownNetworks { get; set; } = [];
}

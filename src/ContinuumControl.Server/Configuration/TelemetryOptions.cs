namespace ContinuumControl.Server.Configuration;

/// <summary>Where the control plane's spans and metrics go besides its own <c>/metrics</c> (section <c>Telemetry</c>).</summary>
public sealed record TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary>An OTLP collector (e.g. <c>http://127.0.0.1:4317</c>); empty: no OTLP export (the default).</summary>
    public string OtlpEndpoint { get; init; } = "";

    /// <summary><c>grpc</c> (the default, port 4317) or <c>http/protobuf</c> (port 4318).</summary>
    public string OtlpProtocol { get; init; } = "grpc";

    /// <summary>Whether the Prometheus scrape endpoint <c>/metrics</c> is served (read scope required).</summary>
    public bool Prometheus { get; init; } = true;
}

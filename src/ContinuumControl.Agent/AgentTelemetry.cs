using ContinuumControl.Agent.Workloads;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ContinuumControl.Agent;

/// <summary>
/// The agent's spans and metrics (<see cref="ParticipantTelemetry"/>) go out over OTLP when <c>Telemetry:OtlpEndpoint</c>
/// is set, as the control plane's do; otherwise nothing is collected. The agent serves no HTTP, so it has no
/// Prometheus endpoint: the control plane's <c>/metrics</c> carries the downtime breakdown from the agents' reports.
/// </summary>
public static class AgentTelemetry
{
    public static void Add(IServiceCollection services, IConfiguration configuration, AgentOptions options)
    {
        services.AddSingleton<ParticipantTelemetry>();
        if (configuration["Telemetry:OtlpEndpoint"] is not { Length: > 0 } endpoint)
        {
            return;
        }
        var protocol = string.Equals(configuration["Telemetry:OtlpProtocol"], "http/protobuf", StringComparison.OrdinalIgnoreCase)
            ? OtlpExportProtocol.HttpProtobuf
            : OtlpExportProtocol.Grpc;
        void Otlp(OtlpExporterOptions o)
        {
            o.Endpoint = new Uri(endpoint);
            o.Protocol = protocol;
        }
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("continuum-agent", serviceInstanceId: options.Name))
            .WithTracing(t => t.AddSource(ParticipantTelemetry.Name).AddOtlpExporter(Otlp))
            .WithMetrics(m => m.AddMeter(ParticipantTelemetry.Name).AddOtlpExporter(Otlp));
    }
}

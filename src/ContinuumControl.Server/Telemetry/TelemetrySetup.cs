using ContinuumControl.Contracts;
using ContinuumControl.Server.Configuration;
using ContinuumControl.Server.Security;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ContinuumControl.Server.Telemetry;

/// <summary>
/// Registers the areas' meters and activity sources with OpenTelemetry: metrics are served for Prometheus at
/// <c>/metrics</c> (read scope), and spans and metrics go to an OTLP collector when <c>Telemetry:OtlpEndpoint</c> is set.
/// </summary>
public static class TelemetrySetup
{
    public static IServiceCollection AddControlPlaneTelemetry(this IServiceCollection services, TelemetryOptions options)
    {
        services.AddSingleton(options);
        var otlp = options.OtlpEndpoint is { Length: > 0 } endpoint ? new Uri(endpoint) : null;
        var protocol = string.Equals(options.OtlpProtocol, "http/protobuf", StringComparison.OrdinalIgnoreCase) ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
        void Otlp(OtlpExporterOptions o)
        {
            o.Endpoint = otlp!;
            o.Protocol = protocol;
        }
        var builder = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("continuum-control-plane"))
            .WithMetrics(m =>
            {
                m.AddMeter([.. MeterNames.All]);
                if (options.Prometheus)
                {
                    // Every scrape sees the values as they are: the benchmark reads each migration's steps right after it.
                    m.AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0);
                }
                if (otlp is not null)
                {
                    m.AddOtlpExporter(Otlp);
                }
            });
        if (otlp is not null)
        {
            builder.WithTracing(t => t.AddSource([.. MeterNames.All]).AddOtlpExporter(Otlp));
        }
        return services;
    }

    /// <summary>The scrape endpoint, for callers with the read scope (an API token or a signed-in user).</summary>
    public static void MapMetrics(this WebApplication app)
    {
        if (app.Services.GetRequiredService<TelemetryOptions>().Prometheus)
        {
            app.MapPrometheusScrapingEndpoint(Routes.Metrics).RequireAuthorization(AuthSchemes.ReadPolicy);
        }
    }
}

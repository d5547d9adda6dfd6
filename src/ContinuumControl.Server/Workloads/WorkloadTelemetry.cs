using System.Diagnostics.Metrics;
using ContinuumControl.Domain.Workloads;
using ContinuumControl.Server.Telemetry;

namespace ContinuumControl.Server.Workloads;

/// <summary>Workloads' output as metrics: the bytes stored (a resent append's overlap counts once).</summary>
public sealed class WorkloadTelemetry
{
    private readonly Counter<long> _outputBytes;

    public WorkloadTelemetry(IMeterFactory meters)
    {
        var meter = meters.Create(MeterNames.Workloads);
        _outputBytes = meter.CreateCounter<long>("continuum.output.bytes", "By", "Workload output bytes stored, by stream (stdout, stderr)");
    }

    public void OutputStored(OutputStream stream, int bytes) =>
        _outputBytes.Add(bytes, new KeyValuePair<string, object?>("stream", OutputLog.Name(stream)));
}

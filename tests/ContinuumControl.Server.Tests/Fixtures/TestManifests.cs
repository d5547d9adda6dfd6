using System.Text;
using ContinuumControl.Runtime.Checkpoints;

namespace ContinuumControl.Server.Tests.Fixtures;

/// <summary>Well-formed checkpoint manifests for scripted agents: the control plane parses them and checks their chunks.</summary>
public static class TestManifests
{
    /// <summary>A manifest whose pages are held by <paramref name="chunks"/> (none: all-zero memory, nothing to store).</summary>
    public static string Json(string workloadName = "test", long sequence = 1, params string[] chunks) =>
        Encoding.UTF8.GetString(CheckpointManifestSerializer.ToBytes(new CheckpointManifest
        {
            ModuleHash = new string('0', 64),
            InstrumentationVersion = 1,
            WorkloadName = workloadName,
            Sequence = sequence,
            CreatedAt = DateTimeOffset.UnixEpoch,
            MemoryPages = Math.Max(1, chunks.Length),
            Pages = chunks.Select((c, i) => new CheckpointPage(i, c, c[..PageFingerprint.HexLength])).ToList(),
            Globals = [],
            Asyncify = new AsyncifyState(0, 0, 0),
            Wasi = new WasiState([], new Dictionary<string, string>(), [], 0, 0),
            CpuTimeUsed = TimeSpan.Zero,
            MemoryLimitBytes = 64L * 1024 * 1024,
        }));
}

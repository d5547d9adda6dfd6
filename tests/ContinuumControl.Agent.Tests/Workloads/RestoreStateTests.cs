using ContinuumControl.Agent.Tests.Support;
using ContinuumControl.Contracts.Agents;
using ContinuumControl.Runtime.Checkpoints;

namespace ContinuumControl.Agent.Tests.Workloads;

/// <summary>An agent restores with what the control plane commands, whatever the manifest (another agent's word) says.</summary>
public class RestoreStateTests
{
    [Fact]
    public async Task Recover_ManifestTamperedWithArgsAndEnv_RunsWithTheCommandsOnes()
    {
        var controlPlane = new FakeControlPlane();
        var lost = new AgentHarness(controlPlane, slots: 1, name: "edge-1");
        var start = lost.Command("hello", WorkloadPriority.Normal, args: ["40"], checkpointIntervalMs: 400) with { Env = new Dictionary<string, string> { ["MODE"] = "command" } };
        lost.Host.Start(start);
        await lost.Hub.WaitUntilAsync(() => lost.Hub.Sent<CheckpointReport>().Any(), "a periodic checkpoint");
        var manifest = CheckpointManifestSerializer.Parse(System.Text.Encoding.UTF8.GetBytes(lost.Hub.Sent<CheckpointReport>()[0].ManifestJson));
        await lost.DisposeAsync();
        var tampered = manifest with
        {
            Wasi = manifest.Wasi with { Args = ["hello", "tampered"], Env = new Dictionary<string, string> { ["MODE"] = "tampered", ["LD_PRELOAD"] = "evil" } },
        };

        await using var survivor = new AgentHarness(controlPlane, slots: 1, name: "cloud-1");
        var recovered = start with { Generation = 2 };
        await survivor.Recovery.RecoverAsync(new RecoverWorkloadCommand(recovered, System.Text.Encoding.UTF8.GetString(CheckpointManifestSerializer.ToBytes(tampered))));
        await survivor.Hub.WaitForFinalAsync(start.WorkloadId);

        Assert.Equal(WorkloadState.Completed, survivor.Hub.States(start.WorkloadId)[^1]);
        // What the restored run had is what its own checkpoints record.
        var after = survivor.Hub.Sent<CheckpointReport>().Where(r => r.Generation == 2)
            .Select(r => CheckpointManifestSerializer.Parse(System.Text.Encoding.UTF8.GetBytes(r.ManifestJson)).Wasi).ToList();
        Assert.NotEmpty(after);
        Assert.All(after, wasi =>
        {
            Assert.Equal(start.Args, wasi.Args);
            Assert.Equal(start.Env, wasi.Env);
        });
    }
}

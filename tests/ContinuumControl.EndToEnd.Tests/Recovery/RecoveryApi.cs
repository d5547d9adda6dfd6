using System.Net;
using System.Net.Http.Json;
using ContinuumControl.Contracts.Api;
using ContinuumControl.EndToEnd.Tests.Cluster;

namespace ContinuumControl.EndToEnd.Tests.Recovery;

/// <summary>Deploys with a restart policy and checkpoint interval, and kills agents the way a supervisor would see it.</summary>
internal static class RecoveryApi
{
    public static async Task<WorkloadDto> DeployAsync(this LocalCluster cluster, string hash, IReadOnlyList<string> args, RestartPolicyRequest? restart = null, int? checkpointIntervalSeconds = null)
    {
        var response = await cluster.Api.PostAsJsonAsync("/api/workloads", new CreateWorkloadRequest(hash, Args: args, Restart: restart, CheckpointIntervalSeconds: checkpointIntervalSeconds));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"deploy failed: {(int)response.StatusCode} {body}{cluster.Diagnostics()}");
        return (await response.Content.ReadFromJsonAsync<WorkloadDto>())!;
    }

    /// <summary>kill -9 of the agent, then its supervisor starts it again at once under the same name (well within the TTL).</summary>
    public static void CrashAndRestartAgent(this LocalCluster cluster, string name, string nodeClass, params string[] args)
    {
        cluster.KillAgent(name);
        cluster.StartAgent(name, nodeClass, args);
    }

    /// <summary>Waits until the workload has a periodic checkpoint and at least <paramref name="bytes"/> of output.</summary>
    public static Task WaitForCheckpointAsync(this LocalCluster cluster, Guid id, int bytes) =>
        cluster.WaitUntilAsync(async () => (await cluster.WorkloadAsync(id)).CheckpointedAt is not null && (await cluster.OutputAsync(id)).Length >= bytes,
            TimeSpan.FromSeconds(60), $"a periodic checkpoint of {id} and {bytes} bytes of output");

    public static Task WaitForPhaseAsync(this LocalCluster cluster, Guid migrationId, MigrationPhase phase) =>
        cluster.WaitUntilAsync(async () =>
        {
            var m = await cluster.Api.GetFromJsonAsync<MigrationDto>($"/api/migrations/{migrationId}");
            Assert.False(m!.IsFinished, $"migration finished ({m.Phase}: {m.Reason}) before reaching {phase}");
            return m.Phase == phase;
        }, TimeSpan.FromSeconds(60), $"migration {migrationId} to reach {phase}");

    /// <summary>The output of the same workload run once, on its own, never moved or interrupted.</summary>
    public static async Task<byte[]> CleanRunOutputAsync(this LocalCluster cluster, string hash, IReadOnlyList<string> args)
    {
        var reference = await cluster.DeployAsync(hash, args: args);
        var finished = await cluster.WaitFinishedAsync(reference.Id, 180);
        Assert.Equal(WorkloadState.Completed, finished.State);
        Assert.Equal(1, finished.Restart!.AttemptCount);
        return await cluster.OutputAsync(reference.Id);
    }
}

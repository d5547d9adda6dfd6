using System.Net;
using System.Net.Http.Json;
using ContinuumControl.Contracts.Api;
using ContinuumControl.EndToEnd.Tests.Cluster;

namespace ContinuumControl.EndToEnd.Tests.Security;

/// <summary>
/// Real agent processes and their node credentials: saved at the first registration (mode 0600), used after a restart
/// (the join token is not needed any more), replaced by a rotation over the live connection; an impostor process with
/// the join token cannot take a registered name, and a revoked agent says what to do.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class NodeCredentialEndToEndTests(LocalCluster cluster) : IClassFixture<LocalCluster>
{
    private const string Node = "edge-e2e";

    private string CredentialFile(string name) => Path.Combine(cluster.AgentDataDirectory(name), "node-credential");

    private async Task<NodeCredentialDto> CredentialOfAsync(string name) =>
        (await cluster.Api.GetFromJsonAsync<List<NodeCredentialDto>>("/api/nodes/credentials"))!.Single(c => c.NodeName == name);

    private static int Registrations(string log) => log.Split("Registered as node").Length - 1;

    [Fact]
    public async Task RestartedAgent_ReconnectsWithItsPersistedCredential_AndARotationReplacesIt()
    {
        var file = CredentialFile(Node);
        var issued = File.ReadAllText(file).Trim();
        Assert.StartsWith("ccn_", issued);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        var credential = await CredentialOfAsync(Node);

        // Restarted with a wrong join token: it must connect with its own credential, not register anew.
        cluster.KillAgent(Node);
        cluster.StartAgent(Node, "Edge", "--Agent:JoinToken=ccj_not-the-join-token");
        await cluster.WaitUntilAsync(() => Task.FromResult(Registrations(cluster.AgentLog(Node)) >= 1), TimeSpan.FromSeconds(60), "the restarted agent to register");
        Assert.DoesNotContain("own credential at its first registration", cluster.AgentLog(Node));
        Assert.Equal(credential.CredentialId, (await CredentialOfAsync(Node)).CredentialId);
        var hash = await cluster.ModuleHashAsync("hello");
        var workload = await cluster.DeployAsync(hash, "Edge", ["3"]);
        var finished = await cluster.WaitFinishedAsync(workload.Id);
        Assert.True(finished.State == WorkloadState.Completed, $"{finished.State}: {finished.FailureReason}{cluster.Diagnostics()}");

        var rotate = await cluster.Api.PostAsync($"/api/nodes/{credential.NodeId}/credential/rotate", null);
        Assert.True(rotate.StatusCode == HttpStatusCode.OK, await rotate.Content.ReadAsStringAsync() + cluster.Diagnostics());
        var rotated = File.ReadAllText(file).Trim();
        Assert.NotEqual(issued, rotated);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));

        cluster.KillAgent(Node);
        cluster.StartAgent(Node, "Edge", "--Agent:JoinToken=ccj_not-the-join-token");
        await cluster.WaitUntilAsync(() => Task.FromResult(Registrations(cluster.AgentLog(Node)) >= 1), TimeSpan.FromSeconds(60), "the agent to register with its rotated credential");
        var again = await cluster.DeployAsync(hash, "Edge", ["2"]);
        Assert.Equal(WorkloadState.Completed, (await cluster.WaitFinishedAsync(again.Id)).State);
    }

    [Fact]
    public async Task ImpostorWithTheJoinToken_IsRefusedTheName_AndARevokedAgentSaysWhatToDo()
    {
        const string victim = "cloud-e2e";
        var credential = await CredentialOfAsync(victim);
        using var impostor = ChildProcess.Start(RepoPaths.AgentExecutable(RepoPaths.ServerDirectory), [
            $"--Agent:ServerUrl={cluster.BaseAddress}",
            $"--Agent:Name={victim}",
            "--Agent:Class=Cloud",
            $"--Agent:DataDirectory={Path.Combine(cluster.DataDirectory, "impostor")}",
            "--Agent:MemoryMiB=1024",
            $"--Agent:JoinToken={LocalCluster.JoinToken}",
        ], cluster.DataDirectory);

        await cluster.WaitUntilAsync(() => Task.FromResult(impostor.Log.Contains($"Node name '{victim}' is held by node {credential.NodeId}'s own credential")),
            TimeSpan.FromSeconds(60), $"the impostor to log the refusal; its log: {impostor.Log}");
        Assert.Contains($"DELETE /api/nodes/{credential.NodeId}/credential", impostor.Log);
        Assert.False(File.Exists(Path.Combine(cluster.DataDirectory, "impostor", "node-credential")));
        Assert.Equal(NodeState.Ready, (await cluster.NodeAsync(victim)).State);
        Assert.True((await CredentialOfAsync(victim)).Connected);

        Assert.Equal(HttpStatusCode.NoContent, (await cluster.Api.DeleteAsync($"/api/nodes/{credential.NodeId}/credential")).StatusCode);
        await cluster.WaitUntilAsync(() => Task.FromResult(cluster.AgentLog(victim).Contains("refused this node's credential (401)")),
            TimeSpan.FromSeconds(60), "the revoked agent to log that its credential was refused");
        Assert.Contains(CredentialFile(victim), cluster.AgentLog(victim));
    }
}

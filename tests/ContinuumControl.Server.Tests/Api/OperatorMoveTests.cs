using System.Net;
using System.Net.Http.Json;
using ContinuumControl.Contracts.Agents;
using ContinuumControl.Contracts.Api;
using ContinuumControl.Server.Tests.Fixtures;

namespace ContinuumControl.Server.Tests.Api;

/// <summary>
/// A move asked through the API is an OperatorMove evaluation: the scheduler checks the target on the full node view
/// (energy included, which the old direct path never saw), the refusal carries its per-node rejections and evaluation,
/// and the dry run answers with the same words without committing anything.
/// </summary>
public abstract class OperatorMoveTests<TFactory>(TFactory factory) where TFactory : ControlPlaneFactory
{
    private readonly HttpClient _api = factory.CreateApiClient();
    private readonly Dictionary<string, string> _labels = new() { ["zone"] = Unique("zone") };

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];

    private async Task<(TestAgent Source, TestAgent Target, WorkloadDto Workload)> RunningWorkloadAsync()
    {
        var source = await TestAgent.JoinAsync(factory, Unique("src"), labels: _labels);
        var hash = (await (await _api.PostAsync("/api/modules", WasmBytes.Content(WasmBytes.Sample("hello.wasm")))).Content.ReadFromJsonAsync<ModuleDto>())!.Hash;
        var workload = (await (await _api.PostAsJsonAsync("/api/workloads", new { moduleHash = hash, labels = _labels })).Content.ReadFromJsonAsync<WorkloadDto>())!;
        await source.NextStartAsync();
        var target = await TestAgent.JoinAsync(factory, Unique("dst"), labels: _labels);
        await source.ReportAsync(workload.Id, 1, WorkloadState.Running);
        return (source, target, workload);
    }

    /// <summary>Heartbeats until the control plane shows the node's energy store (heartbeats are flushed in batches).</summary>
    private async Task ReportLowEnergyAsync(TestAgent node)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            await node.HeartbeatAsync(new EnergyReport(0.05, 0.1, 2.0, 30));
            var nodes = (await _api.GetFromJsonAsync<List<NodeDto>>("/api/nodes"))!;
            if (nodes.Single(n => n.Id == node.NodeId).Energy is { Level: < 0.1 })
            {
                return;
            }
            await Task.Delay(100);
        }
        Assert.Fail($"the energy report of {node.Name} never reached GET /api/nodes");
    }

    [Fact]
    public async Task Move_ToANodeWhoseEnergyStoreIsNearlyEmpty_IsRefusedByTheEnergyFloor_WithTheEvaluation()
    {
        var (source, target, workload) = await RunningWorkloadAsync();
        await using var _ = source;
        await using var __ = target;
        await ReportLowEnergyAsync(target);

        var response = await _api.PostAsJsonAsync($"/api/workloads/{workload.Id}/migrations", new StartMigrationRequest(target.NodeId));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Conflict, $"{target.Name} cannot take {workload.Name}: energy store at 5");
        var rejection = Assert.Single(problem.GetProperty("rejections").EnumerateArray());
        Assert.Equal("EnergyFloor", rejection.GetProperty("filter").GetString());
        var evaluationId = problem.GetProperty("evaluationId").GetGuid();
        var evaluation = (await _api.GetFromJsonAsync<EvaluationDto>($"/api/evaluations/{evaluationId}"))!;
        Assert.Equal((EvaluationTrigger.OperatorMove, workload.Id), (evaluation.Trigger, evaluation.WorkloadId));
        Assert.Contains("energy store at 5", Assert.Single(evaluation.Plan!.Refusals).Reason);
        Assert.Empty((await _api.GetFromJsonAsync<List<MigrationDto>>($"/api/workloads/{workload.Id}/migrations"))!);
    }

    [Fact]
    public async Task Move_WithoutTarget_LeavesOutTheLowEnergyNode_AndSaysSoForEachNode()
    {
        var (source, target, workload) = await RunningWorkloadAsync();
        await using var _ = source;
        await using var __ = target;
        await ReportLowEnergyAsync(target);

        var response = await _api.PostAsJsonAsync($"/api/workloads/{workload.Id}/migrations", new StartMigrationRequest());

        // Other tests' nodes share the factory but not the zone label, so they are rejected too, each with its reason.
        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Conflict, "no node fits", $"{target.Name}: energy store at 5");
        Assert.Contains(problem.GetProperty("rejections").EnumerateArray(), r => r.GetProperty("nodeName").GetString() == target.Name && r.GetProperty("filter").GetString() == "EnergyFloor");
    }

    [Fact]
    public async Task DryRun_NamesWhereItWouldGo_AndCommitsNothing()
    {
        var (source, target, workload) = await RunningWorkloadAsync();
        await using var _ = source;
        await using var __ = target;

        var check = (await _api.GetFromJsonAsync<MoveCheckDto>($"/api/workloads/{workload.Id}/migrations/check"))!;
        var targeted = (await _api.GetFromJsonAsync<MoveCheckDto>($"/api/workloads/{workload.Id}/migrations/check?targetNodeId={target.NodeId}"))!;

        Assert.True(check.Allowed, check.Refusal);
        Assert.Equal((target.NodeId, target.Name), (check.TargetNodeId!.Value, check.TargetNodeName!));
        Assert.True(targeted.Allowed, targeted.Refusal);
        Assert.Empty((await _api.GetFromJsonAsync<List<MigrationDto>>($"/api/workloads/{workload.Id}/migrations"))!);
        Assert.Equal(0, target.Prepares.Reader.Count);
    }

    [Fact]
    public async Task DryRun_Refusal_HasTheSameWordsAsTheRequest()
    {
        var (source, target, workload) = await RunningWorkloadAsync();
        await using var _ = source;
        await using var __ = target;
        await ReportLowEnergyAsync(target);

        var check = (await _api.GetFromJsonAsync<MoveCheckDto>($"/api/workloads/{workload.Id}/migrations/check?targetNodeId={target.NodeId}"))!;
        var response = await _api.PostAsJsonAsync($"/api/workloads/{workload.Id}/migrations", new StartMigrationRequest(target.NodeId));

        Assert.False(check.Allowed);
        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Conflict);
        Assert.Equal(problem.GetProperty("detail").GetString(), check.Refusal);
        Assert.Equal("EnergyFloor", Assert.Single(check.Rejections).Filter);
    }

    [Fact]
    public async Task DryRun_UnknownNode_Returns404()
    {
        var (source, target, workload) = await RunningWorkloadAsync();
        await using var _ = source;
        await using var __ = target;

        var response = await _api.GetAsync($"/api/workloads/{workload.Id}/migrations/check?targetNodeId={Guid.NewGuid()}");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, "Node not found");
    }

    [Fact]
    public async Task Move_Committed_IsRecordedAsAnOperatorMoveEvaluation()
    {
        var (source, target, workload) = await RunningWorkloadAsync();
        await using var _ = source;
        await using var __ = target;

        var response = await _api.PostAsJsonAsync($"/api/workloads/{workload.Id}/migrations", new StartMigrationRequest(target.NodeId, PreCopy: false));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var migration = (await response.Content.ReadFromJsonAsync<MigrationDto>())!;
        Assert.Equal((MigrationTrigger.Api, false, target.NodeId), (migration.Trigger, migration.PreCopy, migration.TargetNodeId));
        var evaluations = (await _api.GetFromJsonAsync<List<EvaluationDto>>("/api/evaluations"))!;
        var evaluation = evaluations.First(e => e.WorkloadId == workload.Id && e.Trigger == EvaluationTrigger.OperatorMove);
        var item = Assert.Single(evaluation.Plan!.Items);
        Assert.Equal((PlanOutcome.Committed, target.NodeId), (item.Outcome, item.ToNodeId));
    }
}

public sealed class SqliteOperatorMoveTests(SqliteControlPlaneFactory factory) : OperatorMoveTests<SqliteControlPlaneFactory>(factory), IClassFixture<SqliteControlPlaneFactory>;

public sealed class PostgresOperatorMoveTests(PostgresControlPlaneFactory factory) : OperatorMoveTests<PostgresControlPlaneFactory>(factory), IClassFixture<PostgresControlPlaneFactory>;

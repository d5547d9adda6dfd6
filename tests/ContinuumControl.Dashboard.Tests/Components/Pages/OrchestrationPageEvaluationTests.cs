using ContinuumControl.Contracts.Api;
using ContinuumControl.Dashboard.Components.Pages;
using ContinuumControl.Dashboard.Tests.Fakes;

namespace ContinuumControl.Dashboard.Tests.Components.Pages;

public sealed class OrchestrationPageEvaluationTests : DashboardTestContext
{
    private readonly NodeDto _edge = TestData.Node("edge-1", NodeClass.Edge);
    private readonly NodeDto _edge2 = TestData.Node("edge-2", NodeClass.Edge);
    private readonly NodeDto _cloud = TestData.Node("cloud-1", NodeClass.Cloud);

    private IRenderedComponent<OrchestrationPage> RenderPage(params WorkloadDto[] workloads) => RenderPage([], workloads);

    private IRenderedComponent<OrchestrationPage> RenderPage(IReadOnlyList<MigrationDto> migrations, params WorkloadDto[] workloads)
    {
        Client.Snapshot = new DashboardSnapshot([_edge, _edge2, _cloud], workloads, [], migrations);
        var cut = Render<OrchestrationPage>();
        cut.WaitForAssertion(() => Assert.Equal(1, Client.WatcherCount));
        return cut;
    }

    [Fact]
    public void Evaluation_Expanded_ShowsPlanItemsAndEveryCandidatesRejection()
    {
        var sensor = TestData.Workload("sensor", _edge);
        var big = TestData.Workload("big-batch", node: null, state: WorkloadState.Pending);
        var plan = new PlanDto(
            [
                new PlanItemDto(sensor.Id, "sensor", _edge.Id, _cloud.Id, "cloud-1", 0.82, "LeastAllocated 0.9, Spread 0.7", PlanOutcome.Committed, null),
                new PlanItemDto(Guid.NewGuid(), "logger", _edge.Id, _edge2.Id, "edge-2", 0.55, "Spread 0.6", PlanOutcome.Rejected, "edge-2 went Down before the plan was applied."),
            ],
            [
                new WorkloadRefusalDto(big.Id, "big-batch", "No node can take it.",
                [
                    new CandidateRejectionDto("edge-1", "ResourceFit", "needs 4 GiB, 1 GiB free"),
                    new CandidateRejectionDto("edge-2", "NodeReady", "edge-2 is Down"),
                    new CandidateRejectionDto("cloud-1", "Labels", "lacks gpu=yes"),
                ]),
            ],
            ComputeMs: 3.4);
        var evaluation = TestData.Evaluation(EvaluationTrigger.Rebalance, EvaluationStatus.Applied, plan, nodeId: _edge.Id);
        Client.Evaluations.Add(evaluation);
        var cut = RenderPage(sensor, big);

        var row = cut.WaitForElement("[data-testid=recent-evaluations-table] [data-testid=evaluation-row]");
        Assert.Equal(evaluation.Id.ToString(), row.GetAttribute("data-evaluation-id"));
        Assert.Equal("Applied", row.GetAttribute("data-status"));
        Assert.Contains("node edge-1", row.TextContent);
        Assert.Contains("1 committed · 1 rejected", row.QuerySelector("[data-testid=evaluation-plan-summary]")!.TextContent);
        Assert.Contains("1 refused", row.TextContent);
        Assert.Empty(cut.FindAll("[data-testid=evaluation-refusals]"));

        row.QuerySelector("[data-testid=evaluation-expand]")!.Click();

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("true", cut.Find("[data-testid=evaluation-row]").GetAttribute("data-expanded"));
            var items = cut.FindAll("[data-testid=evaluation-details] [data-testid=plan-item]");
            Assert.Equal(["Committed", "Rejected"], items.Select(i => i.GetAttribute("data-outcome")));
            Assert.Contains("edge-2 went Down before the plan was applied.", items[1].QuerySelector("[data-testid=plan-item-reason]")!.TextContent);

            var refusal = cut.Find("[data-testid=evaluation-refusals] [data-testid=evaluation-refusal]");
            Assert.Equal(big.Id.ToString(), refusal.GetAttribute("data-workload-id"));
            Assert.Contains("big-batch", refusal.TextContent);
            Assert.Contains("No node can take it.", refusal.TextContent);
            var candidates = refusal.QuerySelectorAll("[data-testid=refusal-candidate]");
            Assert.Equal(["cloud-1", "edge-1", "edge-2"], candidates.Select(c => c.GetAttribute("data-node")));
            Assert.Contains("lacks gpu=yes", candidates[0].TextContent);
            Assert.Contains("ResourceFit", candidates[1].TextContent);
            Assert.Contains("needs 4 GiB, 1 GiB free", candidates[1].TextContent);
            Assert.Contains("edge-2 is Down", candidates[2].TextContent);
        });

        cut.Find("[data-testid=evaluation-expand]").Click();

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=evaluation-details]")));
    }

    [Fact]
    public void Render_Evaluations_PendingAndRecentApart()
    {
        var pending = TestData.Evaluation(EvaluationTrigger.Submitted, EvaluationStatus.Pending, createdAt: TestData.Now);
        var applied = TestData.Evaluation(EvaluationTrigger.Drain, EvaluationStatus.Applied, new PlanDto([], [], 1), createdAt: TestData.Now.AddMinutes(-1));
        var failed = TestData.Evaluation(EvaluationTrigger.Offload, EvaluationStatus.Failed, createdAt: TestData.Now.AddMinutes(-2));
        Client.Evaluations.AddRange([failed, pending, applied]);

        var cut = RenderPage();

        cut.WaitForAssertion(() =>
        {
            var pendingRows = cut.FindAll("[data-testid=pending-evaluations-table] [data-testid=evaluation-row]");
            Assert.Equal([pending.Id.ToString()], pendingRows.Select(r => r.GetAttribute("data-evaluation-id")));
            Assert.Contains("not planned yet", pendingRows[0].TextContent);
            var recentRows = cut.FindAll("[data-testid=recent-evaluations-table] [data-testid=evaluation-row]");
            Assert.Equal([applied.Id.ToString(), failed.Id.ToString()], recentRows.Select(r => r.GetAttribute("data-evaluation-id")));
            Assert.Contains("1 evaluation pending", cut.Find("[data-testid=orchestration-summary]").TextContent);
        });
    }

    [Fact]
    public void Timeline_ShowsPolicyDrivenMigrationsWithDowntimeAndNotOperatorOnes()
    {
        var sensor = TestData.Workload("sensor", _edge);
        var rebalance = TestData.Migration(sensor, _cloud, MigrationPhase.Completed, downtimeMs: 14, totalMs: 800, requestedAt: TestData.Now.AddMinutes(-10)) with { Trigger = MigrationTrigger.Rebalance };
        var drain = TestData.Migration(sensor, _edge2, MigrationPhase.Aborted, reason: "edge-2 refused: not enough memory; the source resumed.", requestedAt: TestData.Now.AddMinutes(-5)) with { Trigger = MigrationTrigger.Drain };
        var energy = TestData.Migration(sensor, _cloud, MigrationPhase.Completed, downtimeMs: 21, totalMs: 900, requestedAt: TestData.Now.AddMinutes(-1)) with { Trigger = MigrationTrigger.EnergyLow };
        var byOperator = TestData.Migration(sensor, _cloud, MigrationPhase.Completed, downtimeMs: 9, totalMs: 500) with { Trigger = MigrationTrigger.Operator };
        var byApi = TestData.Migration(sensor, _cloud, MigrationPhase.Completed, downtimeMs: 9, totalMs: 500) with { Trigger = MigrationTrigger.Api };

        var cut = RenderPage([rebalance, drain, energy, byOperator, byApi], sensor);

        cut.WaitForAssertion(() =>
        {
            var timeline = cut.Find("[data-testid=policy-migrations-timeline]");
            Assert.Equal("3", timeline.GetAttribute("data-points"));
            var entries = timeline.QuerySelectorAll("[data-testid^=policy-migration-]");
            Assert.Equal([$"policy-migration-{energy.Id}", $"policy-migration-{drain.Id}", $"policy-migration-{rebalance.Id}"], entries.Select(e => e.GetAttribute("data-testid")));
            Assert.Equal(["EnergyLow", "Drain", "Rebalance"], entries.Select(e => e.GetAttribute("data-trigger")));
            Assert.Contains("21 ms", entries[0].QuerySelector("[data-testid=migration-downtime]")!.TextContent);
            Assert.Contains("not enough memory", entries[1].QuerySelector("[data-testid=migration-reason]")!.TextContent);
            Assert.Empty(timeline.QuerySelectorAll($"[data-testid=policy-migration-{byOperator.Id}]"));
            Assert.Empty(timeline.QuerySelectorAll($"[data-testid=policy-migration-{byApi.Id}]"));
            Assert.NotNull(timeline.QuerySelector("[data-testid=policy-migrations-chart] svg"));
            Assert.Equal("Rebalance,EnergyLow", timeline.QuerySelector("[data-testid=policy-migrations-chart]")!.GetAttribute("data-series"));
        });
    }

    [Fact]
    public void Timeline_NoPolicyMigrations_SaysWhereOperatorOnesAre()
    {
        var sensor = TestData.Workload("sensor", _edge);
        var cut = RenderPage([TestData.Migration(sensor, _cloud, MigrationPhase.Completed, downtimeMs: 9)], sensor);

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("0", cut.Find("[data-testid=policy-migrations-timeline]").GetAttribute("data-points"));
            Assert.Contains("No drain or policy has moved a workload yet", cut.Find("[data-testid=policy-migrations-timeline]").TextContent);
        });
    }
}

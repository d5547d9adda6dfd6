using ContinuumControl.Contracts.Api;
using ContinuumControl.Dashboard.Components.Pages;
using ContinuumControl.Dashboard.ServiceClient;
using ContinuumControl.Dashboard.Tests.Fakes;

namespace ContinuumControl.Dashboard.Tests.Components.Pages;

public sealed class OrchestrationPageTests : DashboardTestContext
{
    private readonly NodeDto _edge = TestData.Node("edge-1", "Edge");
    private readonly NodeDto _edge2 = TestData.Node("edge-2", "Edge");
    private readonly NodeDto _cloud = TestData.Node("cloud-1", "Cloud");

    private IRenderedComponent<OrchestrationPage> RenderPage(params WorkloadDto[] workloads) => RenderPage([], workloads);

    private IRenderedComponent<OrchestrationPage> RenderPage(IReadOnlyList<MigrationDto> migrations, params WorkloadDto[] workloads)
    {
        Client.Snapshot = new ClusterSnapshot([_edge, _edge2, _cloud], workloads, [], migrations);
        var cut = Render<OrchestrationPage>();
        cut.WaitForAssertion(() => Assert.Equal(1, Client.WatcherCount));
        return cut;
    }

    [Fact]
    public void Render_Policies_ShowsEachWithStateScheduleResultAndSettings()
    {
        Client.Policies.AddRange([
            TestData.Policy("Rebalance", lastResult: "moved 2 workloads off edge-1") with { LastRunAt = DateTimeOffset.UtcNow.AddMinutes(-2) },
            TestData.Policy("EnergyLow", paused: true),
            TestData.Policy("Offload", enabled: false),
        ]);

        var cut = RenderPage();

        cut.WaitForAssertion(() =>
        {
            var rebalance = cut.Find("[data-testid=policy-row-Rebalance]");
            Assert.Equal("false", rebalance.GetAttribute("data-paused"));
            Assert.Equal("Active", rebalance.QuerySelector("[data-testid=policy-state]")!.TextContent.Trim());
            Assert.Equal("moved 2 workloads off edge-1", rebalance.QuerySelector("[data-testid=policy-last-result]")!.TextContent);
            Assert.Contains("2 min ago", rebalance.QuerySelector("[data-testid=policy-last-run]")!.TextContent);
            Assert.Contains("*/5 * * * *", rebalance.TextContent);
            Assert.Contains("MaxConcurrentMigrations=2", rebalance.TextContent);

            var energy = cut.Find("[data-testid=policy-row-EnergyLow]");
            Assert.Equal("Paused", energy.QuerySelector("[data-testid=policy-state]")!.TextContent.Trim());
            Assert.Contains("Resume", cut.Find("[data-testid=policy-pause-EnergyLow]").TextContent);
            Assert.Equal("never", energy.QuerySelector("[data-testid=policy-last-run]")!.TextContent);

            var offload = cut.Find("[data-testid=policy-row-Offload]");
            Assert.Contains("Orchestration:Policies:Offload:Enabled", offload.TextContent);
            Assert.True(cut.Find("[data-testid=policy-pause-Offload]").HasAttribute("disabled"));
            Assert.True(cut.Find("[data-testid=policy-run-Offload]").HasAttribute("disabled"));

            Assert.Contains("1 of 3 policies active · 1 paused", cut.Find("[data-testid=orchestration-summary]").TextContent);
        });
    }

    [Fact]
    public void Pause_ThenResume_CallsControlPlaneAndShowsState()
    {
        var providers = RenderProviders();
        Client.Policies.Add(TestData.Policy("Rebalance"));
        var cut = RenderPage();

        cut.WaitForElement("[data-testid=policy-pause-Rebalance]").Click();

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("true", cut.Find("[data-testid=policy-row-Rebalance]").GetAttribute("data-paused"));
            Assert.Contains("Resume", cut.Find("[data-testid=policy-pause-Rebalance]").TextContent);
        });
        Assert.Contains("Rebalance is paused", providers.WaitForElement("[data-testid=policy-action-done]").TextContent);

        cut.Find("[data-testid=policy-pause-Rebalance]").Click();

        cut.WaitForAssertion(() => Assert.Equal("false", cut.Find("[data-testid=policy-row-Rebalance]").GetAttribute("data-paused")));
        Assert.Equal([("Rebalance", true), ("Rebalance", false)], Client.PauseCalls);
    }

    [Fact]
    public void Pause_InFlight_ShowsProgressAndDisablesBothActions()
    {
        var answer = new TaskCompletionSource();
        Client.Hold = answer.Task;
        Client.Policies.Add(TestData.Policy("Rebalance"));
        var cut = RenderPage();

        cut.WaitForElement("[data-testid=policy-pause-Rebalance]").Click();

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("true", cut.Find("[data-testid=policy-row-Rebalance]").GetAttribute("data-busy"));
            Assert.Contains("Pausing…", cut.Find("[data-testid=policy-pause-Rebalance]").TextContent);
            Assert.True(cut.Find("[data-testid=policy-run-Rebalance]").HasAttribute("disabled"));
        });

        answer.SetResult();

        cut.WaitForAssertion(() => Assert.Equal("false", cut.Find("[data-testid=policy-row-Rebalance]").GetAttribute("data-busy")));
    }

    [Fact]
    public void Pause_Refused_ShowsReason()
    {
        var providers = RenderProviders();
        Client.Policies.Add(TestData.Policy("NodeDown"));
        Client.SetPaused = (_, _) => throw new ControlPlaneException("NodeDown recovery cannot be paused while edge-2 is Down; wait until it is recovered.");
        var cut = RenderPage();

        cut.WaitForElement("[data-testid=policy-pause-NodeDown]").Click();

        var refused = providers.WaitForElement("[data-testid=policy-action-refused]");
        Assert.Contains("Cannot pause NodeDown: NodeDown recovery cannot be paused while edge-2 is Down", refused.TextContent);
        Assert.Equal("false", cut.Find("[data-testid=policy-row-NodeDown]").GetAttribute("data-paused"));
    }

    [Fact]
    public void RunNow_CallsControlPlaneAndConfirms()
    {
        var providers = RenderProviders();
        Client.Policies.Add(TestData.Policy("Rebalance", paused: true));
        var cut = RenderPage();

        cut.WaitForElement("[data-testid=policy-run-Rebalance]").Click();

        Assert.Contains("Rebalance is running now", providers.WaitForElement("[data-testid=policy-action-done]").TextContent);
        Assert.Equal(["Rebalance"], Client.RunPolicyCalls);
    }

    [Fact]
    public void RunNow_Refused_ShowsReason()
    {
        var providers = RenderProviders();
        Client.Policies.Add(TestData.Policy("Rebalance"));
        Client.RunPolicyError = new ControlPlaneException("Rebalance is already running (started 12 s ago).");
        var cut = RenderPage();

        cut.WaitForElement("[data-testid=policy-run-Rebalance]").Click();

        Assert.Contains("Cannot run Rebalance: Rebalance is already running (started 12 s ago).", providers.WaitForElement("[data-testid=policy-action-refused]").TextContent);
    }

    [Fact]
    public void Evaluation_Expanded_ShowsPlanItemsAndEveryCandidatesRejection()
    {
        var sensor = TestData.Workload("sensor", _edge);
        var big = TestData.Workload("big-batch", node: null, state: "Pending");
        var plan = new PlanDto(
            [
                new PlanItemDto(sensor.Id, "sensor", _edge.Id, _cloud.Id, "cloud-1", 0.82, "LeastAllocated 0.9, Spread 0.7", "Committed", null),
                new PlanItemDto(Guid.NewGuid(), "logger", _edge.Id, _edge2.Id, "edge-2", 0.55, "Spread 0.6", "Rejected", "edge-2 went Down before the plan was applied."),
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
        var evaluation = TestData.Evaluation("Rebalance", "Applied", plan, nodeId: _edge.Id);
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
        var pending = TestData.Evaluation("Submitted", "Pending", createdAt: TestData.Now);
        var applied = TestData.Evaluation("Drain", "Applied", new PlanDto([], [], 1), createdAt: TestData.Now.AddMinutes(-1));
        var failed = TestData.Evaluation("Offload", "Failed", createdAt: TestData.Now.AddMinutes(-2));
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
        var rebalance = TestData.Migration(sensor, _cloud, "Completed", downtimeMs: 14, totalMs: 800, requestedAt: TestData.Now.AddMinutes(-10)) with { Trigger = "Rebalance" };
        var drain = TestData.Migration(sensor, _edge2, "Aborted", reason: "edge-2 refused: not enough memory; the source resumed.", requestedAt: TestData.Now.AddMinutes(-5)) with { Trigger = "Drain" };
        var energy = TestData.Migration(sensor, _cloud, "Completed", downtimeMs: 21, totalMs: 900, requestedAt: TestData.Now.AddMinutes(-1)) with { Trigger = "EnergyLow" };
        var byOperator = TestData.Migration(sensor, _cloud, "Completed", downtimeMs: 9, totalMs: 500) with { Trigger = "Operator" };
        var byApi = TestData.Migration(sensor, _cloud, "Completed", downtimeMs: 9, totalMs: 500) with { Trigger = "Api" };

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
        var cut = RenderPage([TestData.Migration(sensor, _cloud, "Completed", downtimeMs: 9)], sensor);

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("0", cut.Find("[data-testid=policy-migrations-timeline]").GetAttribute("data-points"));
            Assert.Contains("No drain or policy has moved a workload yet", cut.Find("[data-testid=policy-migrations-timeline]").TextContent);
        });
    }

    [Fact]
    public void Watch_PolicyEvaluationAndMigrationUpserted_UpdateThePage()
    {
        var sensor = TestData.Workload("sensor", _edge);
        var policy = TestData.Policy("Rebalance");
        Client.Policies.Add(policy);
        var cut = RenderPage(sensor);
        cut.WaitForElement("[data-testid=policy-row-Rebalance]");

        Client.Upsert(policy with { Paused = true, LastResult = "balanced within 0.15", LastRunAt = DateTimeOffset.UtcNow });
        var evaluation = TestData.Evaluation("Rebalance", "Pending", workloadId: sensor.Id);
        Client.Upsert(evaluation);

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("true", cut.Find("[data-testid=policy-row-Rebalance]").GetAttribute("data-paused"));
            Assert.Equal("balanced within 0.15", cut.Find("[data-testid=policy-last-result]").TextContent);
            var pending = cut.Find("[data-testid=pending-evaluations-table] [data-testid=evaluation-row]");
            Assert.Contains("workload sensor", pending.TextContent);
        });

        var planned = evaluation with
        {
            Status = "Applied",
            Plan = new PlanDto([new PlanItemDto(sensor.Id, "sensor", _edge.Id, _cloud.Id, "cloud-1", 0.9, "LeastAllocated", "Committed", null)], [], 2),
        };
        Client.Upsert(planned);
        Client.Upsert(evaluation);
        var migration = TestData.Migration(sensor, _cloud, "Transferring") with { Trigger = "Rebalance" };
        Client.Upsert(migration);

        cut.WaitForAssertion(() =>
        {
            Assert.Empty(cut.FindAll("[data-testid=pending-evaluations-table] [data-testid=evaluation-row]"));
            Assert.Equal("Applied", cut.Find("[data-testid=recent-evaluations-table] [data-testid=evaluation-row]").GetAttribute("data-status"));
            Assert.Equal("Transferring", cut.Find($"[data-testid=policy-migration-{migration.Id}]").GetAttribute("data-phase"));
        });
    }

    [Fact]
    public void Load_Fails_ShowsWarningAndRetries()
    {
        Client.Policies.Add(TestData.Policy("Rebalance"));
        var cut = RenderPage();
        cut.WaitForElement("[data-testid=policy-row-Rebalance]");

        Client.FailWatchers(new IOException("connection lost"));

        cut.WaitForAssertion(() => Assert.Contains("connection lost", cut.Find("[data-testid=watch-error]").TextContent));
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=watch-error]")));
    }

    [Fact]
    public void Render_Interactive_MarksPageInteractive()
    {
        var cut = RenderPage();

        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find("#orchestration-page").GetAttribute("data-interactive")));
    }
}

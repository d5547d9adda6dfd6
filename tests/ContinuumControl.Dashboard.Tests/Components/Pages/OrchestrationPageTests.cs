using ContinuumControl.Contracts.Api;
using ContinuumControl.Dashboard.Components.Pages;
using ContinuumControl.Dashboard.ServiceClient;
using ContinuumControl.Dashboard.Tests.Fakes;

namespace ContinuumControl.Dashboard.Tests.Components.Pages;

public sealed class OrchestrationPageTests : DashboardTestContext
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
    public void Watch_PolicyEvaluationAndMigrationUpserted_UpdateThePage()
    {
        var sensor = TestData.Workload("sensor", _edge);
        var policy = TestData.Policy("Rebalance");
        Client.Policies.Add(policy);
        var cut = RenderPage(sensor);
        cut.WaitForElement("[data-testid=policy-row-Rebalance]");

        Client.Upsert(policy with { Paused = true, LastResult = "balanced within 0.15", LastRunAt = DateTimeOffset.UtcNow });
        var evaluation = TestData.Evaluation(EvaluationTrigger.Rebalance, EvaluationStatus.Pending, workloadId: sensor.Id);
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
            Status = EvaluationStatus.Applied,
            Plan = new PlanDto([new PlanItemDto(sensor.Id, "sensor", _edge.Id, _cloud.Id, "cloud-1", 0.9, "LeastAllocated", PlanOutcome.Committed, null)], [], 2),
        };
        Client.Upsert(planned);
        Client.Upsert(evaluation);
        var migration = TestData.Migration(sensor, _cloud, MigrationPhase.Transferring) with { Trigger = MigrationTrigger.Rebalance };
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

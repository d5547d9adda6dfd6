using ContinuumControl.Contracts.Api;
using ContinuumControl.Dashboard.Components.Controls;
using ContinuumControl.Dashboard.ServiceClient;
using ContinuumControl.Dashboard.Tests.Fakes;

namespace ContinuumControl.Dashboard.Tests.Components.Controls;

public sealed class WorkloadPanelTests : DashboardTestContext
{
    private IRenderedComponent<WorkloadPanel> RenderPanel(WorkloadDto workload, Action<WorkloadDto>? onDeleted = null) =>
        Render<WorkloadPanel>(p =>
        {
            p.Add(x => x.Workload, workload);
            if (onDeleted is not null)
            {
                p.Add(x => x.OnDeleted, onDeleted);
            }
        });

    [Fact]
    public void Render_FailedWorkload_ShowsReason()
    {
        var workload = TestData.Workload("hog", state: WorkloadState.Failed, failureReason: "memory limit of 64 MiB exceeded (memory.grow refused)", exitCode: null);

        var cut = RenderPanel(workload);

        Assert.Contains("memory limit of 64 MiB exceeded", cut.Find("[data-testid=failure-reason]").TextContent);
    }

    [Fact]
    public void Render_FailedWithoutReason_ShowsExitCode()
    {
        var workload = TestData.Workload("crash", state: WorkloadState.Failed, failureReason: null, exitCode: 3);

        var cut = RenderPanel(workload);

        Assert.Contains("exited with code 3", cut.Find("[data-testid=failure-reason]").TextContent);
    }

    [Fact]
    public void Render_RunningWorkload_ShowsDetailsAndNoFailure()
    {
        var node = TestData.Node("edge-1");
        var workload = TestData.Workload("sensor", node);

        var cut = RenderPanel(workload);

        Assert.Empty(cut.FindAll("[data-testid=failure-reason]"));
        var details = cut.Find("[data-testid=workload-details]").TextContent;
        Assert.Contains(workload.ModuleHash, details);
        Assert.Contains("edge-1", details);
        Assert.Contains("--n 10", details);
        Assert.Contains("MODE=fast", details);
        Assert.Contains("64 MiB", details);
    }

    [Fact]
    public void Stop_Running_CallsControlPlane()
    {
        var workload = TestData.Workload("sensor", TestData.Node("edge-1"));
        var cut = RenderPanel(workload);

        cut.Find("[data-testid=workload-stop]").Click();

        Assert.Equal([workload.Id], Client.Stopped);
    }

    [Fact]
    public void Stop_Refused_ShowsReasonInSnackbar()
    {
        var providers = RenderProviders();
        Client.StopError = new ControlPlaneException("The agent on edge-1 is unreachable; try again when it is Ready.");
        var cut = RenderPanel(TestData.Workload("sensor", TestData.Node("edge-1")));

        cut.Find("[data-testid=workload-stop]").Click();

        providers.WaitForAssertion(() => Assert.Contains("The agent on edge-1 is unreachable", providers.Markup));
    }

    [Fact]
    public void Stop_FinishedWorkload_IsDisabled()
    {
        var cut = RenderPanel(TestData.Workload("done", state: WorkloadState.Completed, exitCode: 0));

        Assert.True(cut.Find("[data-testid=workload-stop]").HasAttribute("disabled"));
    }

    [Fact]
    public void Delete_Accepted_RaisesOnDeleted()
    {
        var workload = TestData.Workload("done", state: WorkloadState.Completed, exitCode: 0);
        WorkloadDto? deleted = null;
        var cut = RenderPanel(workload, w => deleted = w);

        cut.Find("[data-testid=workload-delete]").Click();

        Assert.Equal([workload.Id], Client.Deleted);
        Assert.Equal(workload.Id, deleted?.Id);
    }

    [Fact]
    public void Delete_Refused_ShowsReasonAndKeepsPanel()
    {
        var providers = RenderProviders();
        Client.DeleteError = new ControlPlaneException("Stop the workload before deleting it.");
        var deleted = false;
        var cut = RenderPanel(TestData.Workload("sensor", TestData.Node("edge-1")), _ => deleted = true);

        cut.Find("[data-testid=workload-delete]").Click();

        providers.WaitForAssertion(() => Assert.Contains("Stop the workload before deleting it.", providers.Markup));
        Assert.False(deleted);
    }

    [Fact]
    public void Render_Orchestration_ShowsPriorityPinAndLastCheckpoint()
    {
        var workload = TestData.Workload("sensor", TestData.Node("edge-1")) with
        {
            Priority = WorkloadPriority.High,
            Pinned = true,
            CheckpointedAt = DateTimeOffset.UtcNow.AddSeconds(-30),
        };

        var cut = RenderPanel(workload);

        Assert.Equal("High", cut.Find("[data-testid=workload-details-priority]").TextContent);
        Assert.Contains("yes", cut.Find("[data-testid=workload-details-pinned]").TextContent);
        Assert.Contains("s ago", cut.Find("[data-testid=workload-checkpointed]").TextContent);
        Assert.NotNull(cut.Find("[data-testid=workload-panel] [data-testid=workload-pinned]"));
    }

    [Fact]
    public void Render_NeverCheckpointed_SaysSo()
    {
        var cut = RenderPanel(TestData.Workload("sensor", TestData.Node("edge-1")));

        Assert.Equal("none yet", cut.Find("[data-testid=workload-checkpointed]").TextContent.Trim());
        Assert.Equal("Normal", cut.Find("[data-testid=workload-details-priority]").TextContent);
    }

    [Theory]
    [InlineData(WorkloadState.Queued, "every slot is taken")]
    [InlineData(WorkloadState.Suspended, "a higher-priority workload took its slot")]
    public void Render_HeldByLocalScheduler_SaysWhyItWaitsAndCanBeStopped(WorkloadState state, string why)
    {
        var cut = RenderPanel(TestData.Workload("batch", TestData.Node("edge-1"), state: state));

        Assert.Contains(why, cut.Find("[data-testid=workload-waiting]").TextContent);
        Assert.False(cut.Find("[data-testid=workload-stop]").HasAttribute("disabled"));
    }

    [Fact]
    public void Pin_Accepted_RaisesChangedWorkload()
    {
        var workload = TestData.Workload("sensor", TestData.Node("edge-1"));
        Client.Snapshot = new([], [workload], []);
        WorkloadDto? changed = null;
        var cut = Render<WorkloadPanel>(p => p.Add(x => x.Workload, workload).Add(x => x.OnChanged, w => changed = w));

        cut.Find("[data-testid=workload-pin]").Click();

        cut.WaitForAssertion(() => Assert.True(changed?.Pinned));
        Assert.Equal([(workload.Id, true)], Client.PinCalls);
    }

    [Fact]
    public void Pin_Refused_ShowsReasonAndKeepsState()
    {
        var providers = RenderProviders();
        Client.Pin = (_, _) => throw new ControlPlaneException("sensor is migrating; pin it once the migration finishes.");
        var cut = RenderPanel(TestData.Workload("sensor", TestData.Node("edge-1")));

        cut.Find("[data-testid=workload-pin]").Click();

        var refused = providers.WaitForElement("[data-testid=pin-refused]");
        Assert.Contains("Cannot pin sensor: sensor is migrating; pin it once the migration finishes.", refused.TextContent);
        Assert.Equal("false", cut.Find("[data-testid=workload-pin]").GetAttribute("data-pinned"));
        Assert.Equal("false", cut.Find("[data-testid=workload-pin]").GetAttribute("data-busy"));
    }

    [Fact]
    public void Pin_WorkloadWithoutNode_IsDisabledAndSaysWhy()
    {
        var cut = RenderPanel(TestData.Workload("refused", node: null, state: WorkloadState.Failed, failureReason: "No node fits"));

        var pin = cut.Find("[data-testid=workload-pin]");
        Assert.True(pin.HasAttribute("disabled"));
        Assert.Contains("Only a workload on a node can be pinned", pin.GetAttribute("title"));
    }
}

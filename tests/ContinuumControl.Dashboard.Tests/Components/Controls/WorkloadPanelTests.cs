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
        var workload = TestData.Workload("hog", state: "Failed", failureReason: "memory limit of 64 MiB exceeded (memory.grow refused)", exitCode: null);

        var cut = RenderPanel(workload);

        Assert.Contains("memory limit of 64 MiB exceeded", cut.Find("[data-testid=failure-reason]").TextContent);
    }

    [Fact]
    public void Render_FailedWithoutReason_ShowsExitCode()
    {
        var workload = TestData.Workload("crash", state: "Failed", failureReason: null, exitCode: 3);

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
        var cut = RenderPanel(TestData.Workload("done", state: "Completed", exitCode: 0));

        Assert.True(cut.Find("[data-testid=workload-stop]").HasAttribute("disabled"));
    }

    [Fact]
    public void Delete_Accepted_RaisesOnDeleted()
    {
        var workload = TestData.Workload("done", state: "Completed", exitCode: 0);
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
}

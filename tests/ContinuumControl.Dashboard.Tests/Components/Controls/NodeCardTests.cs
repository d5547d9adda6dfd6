using ContinuumControl.Contracts.Api;
using ContinuumControl.Dashboard.Components.Controls;
using ContinuumControl.Dashboard.Tests.Fakes;

namespace ContinuumControl.Dashboard.Tests.Components.Controls;

public sealed class NodeCardTests : DashboardTestContext
{
    private IRenderedComponent<NodeCard> RenderCard(NodeDto node, params WorkloadDto[] workloads) =>
        Render<NodeCard>(p => p.Add(x => x.Node, node).Add(x => x.Workloads, workloads));

    [Fact]
    public void Render_Workloads_CountsRunningQueuedAndSuspended()
    {
        var node = TestData.Node("edge-1");
        WorkloadState[] states = [WorkloadState.Running, WorkloadState.Running, WorkloadState.Running, WorkloadState.Queued, WorkloadState.Queued, WorkloadState.Suspended];

        var cut = RenderCard(node, [.. states.Select((s, i) => TestData.Workload($"w{i}", node, state: s))]);

        var counts = cut.Find("[data-testid=node-workload-counts]");
        Assert.Equal("3 running · 2 queued · 1 suspended", counts.TextContent.Trim());
        Assert.Equal(("3", "2", "1"), (counts.GetAttribute("data-running"), counts.GetAttribute("data-queued"), counts.GetAttribute("data-suspended")));
        Assert.Equal(6, cut.FindAll("[data-testid^=workload-][draggable=true]").Count);
        Assert.Equal($"/workloads?node={node.Id}", cut.Find("[data-testid=node-workloads-link]").GetAttribute("href"));
    }

    [Fact]
    public void Render_Pressure_ShowsSlotsQueuedAndSuspended()
    {
        var node = TestData.Node("edge-1") with { Pressure = new NodePressureDto(Slots: 4, SlotsUsed: 3, Queued: 2, Suspended: 1) };

        var cut = RenderCard(node);

        var pressure = cut.Find("[data-testid=node-pressure]");
        Assert.Equal("4", pressure.GetAttribute("data-slots"));
        Assert.Equal("3", pressure.GetAttribute("data-slots-used"));
        Assert.Equal("2", pressure.GetAttribute("data-queued"));
        Assert.Equal("1", pressure.GetAttribute("data-suspended"));
        Assert.Contains("3 of 4 in use", pressure.TextContent);
        Assert.Contains("2 queued · 1 suspended", pressure.TextContent);
        Assert.Equal("75", pressure.QuerySelector("[role=progressbar]")!.GetAttribute("aria-valuenow"));
    }

    [Fact]
    public void Render_IdlePressure_SaysNothingWaits()
    {
        var node = TestData.Node("edge-1") with { Pressure = new NodePressureDto(4, 1, 0, 0) };

        var cut = RenderCard(node);

        Assert.Contains("1 of 4 in use", cut.Find("[data-testid=node-pressure]").TextContent);
        Assert.DoesNotContain("queued", cut.Find("[data-testid=node-pressure]").TextContent);
    }

    [Fact]
    public void Render_EnergyHarvestingNode_ShowsLevelHarvestAndTimeLeft()
    {
        var node = TestData.Node("solar-1") with { Energy = new NodeEnergyDto(Level: 0.62, HarvestWatts: 3.2, SecondsLeft: 2460) };

        var cut = RenderCard(node);

        var energy = cut.Find("[data-testid=node-energy]");
        Assert.Equal("62", energy.GetAttribute("data-level"));
        Assert.Equal("62 % · harvest 3.2 W · 41 min left", energy.QuerySelector("[data-testid=node-energy-detail]")!.TextContent);
        Assert.Equal("62", energy.QuerySelector("[role=progressbar]")!.GetAttribute("aria-valuenow"));
    }

    [Fact]
    public void Render_LowEnergyNotFalling_SaysSoInDangerColour()
    {
        var node = TestData.Node("solar-1") with { Energy = new NodeEnergyDto(0.1, null, null) };

        var cut = RenderCard(node);

        var energy = cut.Find("[data-testid=node-energy]");
        Assert.Equal("10 % · not falling", energy.QuerySelector("[data-testid=node-energy-detail]")!.TextContent);
        Assert.Contains("mud-progress-linear-color-error", energy.InnerHtml);
    }

    [Fact]
    public void Render_MainsNodeWithoutLocalScheduler_ShowsNeitherPressureNorEnergy()
    {
        var cut = RenderCard(TestData.Node("cloud-1", NodeClass.Cloud));

        Assert.Empty(cut.FindAll("[data-testid=node-pressure]"));
        Assert.Empty(cut.FindAll("[data-testid=node-energy]"));
    }

    [Theory]
    [InlineData(NodeState.Cordoned, "takes no new workloads")]
    [InlineData(NodeState.Draining, "nothing left here")]
    public void Render_OperatorState_IsShownWithHint(NodeState state, string hint)
    {
        var cut = RenderCard(TestData.Node("edge-1", state: state));

        Assert.Equal(state.ToString(), cut.Find("[data-testid=node-edge-1]").GetAttribute("data-state"));
        Assert.Contains(hint, cut.Find("[data-testid=node-state-hint]").TextContent);
        Assert.Contains($"cc-node-{state.ToString().ToLowerInvariant()}", cut.Markup);
    }

    [Fact]
    public void Render_Workloads_ShowPriorityPinAndQueuedSuspendedInDistinctColours()
    {
        var node = TestData.Node("edge-1");
        var high = TestData.Workload("urgent", node) with { Priority = WorkloadPriority.High, Pinned = true };
        var queued = TestData.Workload("waiting", node, state: WorkloadState.Queued);
        var suspended = TestData.Workload("preempted", node, state: WorkloadState.Suspended) with { Priority = WorkloadPriority.Low };

        var cut = RenderCard(node, high, queued, suspended);

        var urgent = cut.Find($"[data-testid=workload-{high.Id}]");
        Assert.Equal("High", urgent.GetAttribute("data-priority"));
        Assert.Equal("true", urgent.GetAttribute("data-pinned"));
        Assert.NotNull(urgent.QuerySelector("[data-testid=workload-pinned]"));
        Assert.Contains("High priority", urgent.QuerySelector("[data-testid=workload-priority]")!.TextContent);
        Assert.Empty(cut.FindAll($"[data-testid=workload-{queued.Id}] [data-testid=workload-priority]"));

        var queuedChip = cut.Find($"[data-testid=workload-{queued.Id}] [data-testid=state-chip]");
        var suspendedChip = cut.Find($"[data-testid=workload-{suspended.Id}] [data-testid=state-chip]");
        var runningChip = cut.Find($"[data-testid=workload-{high.Id}] [data-testid=state-chip]");
        Assert.Contains("mud-chip-color-tertiary", queuedChip.ClassName);
        Assert.Contains("mud-chip-color-warning", suspendedChip.ClassName);
        Assert.Contains("mud-chip-color-primary", runningChip.ClassName);
    }
}

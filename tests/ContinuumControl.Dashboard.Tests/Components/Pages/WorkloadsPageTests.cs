using ContinuumControl.Contracts.Api;
using ContinuumControl.Dashboard.Components.Pages;
using ContinuumControl.Dashboard.Tests.Fakes;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace ContinuumControl.Dashboard.Tests.Components.Pages;

public sealed class WorkloadsPageTests : DashboardTestContext
{
    private readonly NodeDto _edge = TestData.Node("edge-1", NodeClass.Edge);
    private readonly NodeDto _cloud = TestData.Node("cloud-1", NodeClass.Cloud);

    /// <summary><paramref name="count"/> workloads created a minute apart (w-000 oldest), alternating nodes; every third still runs.</summary>
    private List<WorkloadDto> History(int count)
    {
        var rows = Enumerable.Range(0, count).Select(i =>
        {
            var running = i % 3 == 0;
            return TestData.Workload($"w-{i:D3}", i % 2 == 0 ? _edge : _cloud, state: running ? WorkloadState.Running : WorkloadState.Completed, exitCode: running ? null : 0) with
            {
                CreatedAt = TestData.Now.AddMinutes(i - count),
                FinishedAt = running ? null : TestData.Now.AddMinutes(i - count + 1),
            };
        }).ToList();
        Client.History.AddRange(rows);
        Client.Snapshot = new DashboardSnapshot([_edge, _cloud], [.. rows.Where(w => w.State == WorkloadState.Running)], []);
        return rows;
    }

    private static List<string?> Names(IRenderedComponent<WorkloadsPage> cut) =>
        [.. cut.FindAll("[data-testid=workload-row]").Select(a => a.GetAttribute("data-workload-name"))];

    [Fact]
    public void Render_History_ListsNewestFirstWithFinishedOnesLinkedToTheirPage()
    {
        var rows = History(10);

        var cut = Render<WorkloadsPage>();

        cut.WaitForAssertion(() => Assert.Equal(rows.Select(w => w.Name).Reverse(), Names(cut)));
        var finished = rows[8];
        var link = cut.Find($"[data-testid=workload-row][data-workload-id='{finished.Id}']");
        Assert.Equal($"/workloads/{finished.Id}", link.GetAttribute("href"));
        Assert.Equal("Completed", link.GetAttribute("data-state"));
        Assert.Equal("10 workloads", cut.Find("[data-testid=workloads-total]").TextContent);
        Assert.Equal((WorkloadSort.CreatedAt, true), (Client.QueryCalls[^1].Sort, Client.QueryCalls[^1].Descending));
    }

    [Fact]
    public void Render_ManyWorkloads_AsksForOnePageAndPagesOnward()
    {
        var rows = History(60);

        var cut = Render<WorkloadsPage>();

        cut.WaitForAssertion(() => Assert.Equal(WorkloadsPage.PageSize, Names(cut).Count));
        Assert.Equal("w-059", Names(cut)[0]);
        Assert.Equal((0, WorkloadsPage.PageSize), (Client.QueryCalls[^1].Skip, Client.QueryCalls[^1].Take));
        Assert.Equal("60 workloads", cut.Find("[data-testid=workloads-total]").TextContent);

        cut.Find("[data-testid=workloads-pager] button[aria-label='Next page']").Click();

        cut.WaitForAssertion(() => Assert.Equal("w-034", Names(cut)[0]));
        Assert.Equal(WorkloadsPage.PageSize, Client.QueryCalls[^1].Skip);
        Assert.Equal(rows.Select(w => w.Name).Reverse().Skip(25).Take(25), Names(cut));
    }

    [Fact]
    public void Render_NodeAndStateFromAddress_QueriesOnlyThose()
    {
        var rows = History(12);

        Services.GetRequiredService<NavigationManager>().NavigateTo($"/workloads?node={_edge.Id}&state=completed");

        var cut = Render<WorkloadsPage>();

        List<string?> expected = [.. rows.Where(w => w.NodeId == _edge.Id && w.State == WorkloadState.Completed).Select(w => w.Name).Reverse()];
        cut.WaitForAssertion(() => Assert.Equal(expected, Names(cut)));
        Assert.NotEmpty(expected);
        var filter = Client.QueryCalls[^1].Filter;
        Assert.Equal(_edge.Id, filter.NodeId);
        Assert.Equal([WorkloadState.Completed], filter.States);
        Assert.Equal($"{expected.Count} workloads", cut.Find("[data-testid=workloads-total]").TextContent);
    }

    [Fact]
    public void Search_TypedText_ReloadsFromTheFirstPageWithTheTerm()
    {
        History(40);
        var cut = Render<WorkloadsPage>();
        cut.WaitForAssertion(() => Assert.Equal(WorkloadsPage.PageSize, Names(cut).Count));

        cut.Find("input[data-testid=filter-search], [data-testid=filter-search] input").Input("w-01");

        cut.WaitForAssertion(() => Assert.Equal(Enumerable.Range(10, 10).Select(i => $"w-{i:D3}").Reverse(), Names(cut)));
        Assert.Equal("w-01", Client.QueryCalls[^1].Filter.Search);
        Assert.Equal(0, Client.QueryCalls[^1].Skip);
    }

    [Fact]
    public void Render_NothingMatches_SaysSo()
    {
        History(3);

        Services.GetRequiredService<NavigationManager>().NavigateTo("/workloads?search=nothing-like-this");

        var cut = Render<WorkloadsPage>();

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=workloads-empty]")));
        Assert.Equal("0 workloads", cut.Find("[data-testid=workloads-total]").TextContent);
    }
}

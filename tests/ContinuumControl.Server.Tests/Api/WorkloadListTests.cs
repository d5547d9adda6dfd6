using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ContinuumControl.Contracts.Api;
using ContinuumControl.Domain.Workloads;
using ContinuumControl.Server.Tests.Fixtures;

namespace ContinuumControl.Server.Tests.Api;

public abstract class WorkloadListTests<TFactory>(TFactory factory) where TFactory : ControlPlaneFactory
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 8, 0, 0, TimeSpan.Zero);
    private readonly HttpClient _api = factory.CreateApiClient();

    private static string Unique(string prefix) => $"{prefix}{Guid.NewGuid():N}"[..16];

    private async Task<WorkloadList> ListAsync(string query)
    {
        var response = await _api.GetAsync($"/api/workloads?{query}");
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<WorkloadList>())!;
    }

    private async Task<List<WorkloadDto>> AllPagesAsync(string query, int limit)
    {
        var all = new List<WorkloadDto>();
        string? next = null;
        var pages = 0;
        do
        {
            var page = await ListAsync($"{query}&limit={limit}" + (next is null ? "" : $"&continue={Uri.EscapeDataString(next)}"));
            Assert.True(page.Items.Count <= limit);
            all.AddRange(page.Items);
            next = page.Continue;
            Assert.True(++pages < 100, "the continue tokens never ended");
        }
        while (next is not null);
        return all;
    }

    [Fact]
    public async Task List_PagedWithContinue_ReturnsEveryWorkloadOnceNewestFirst()
    {
        var prefix = Unique("page");
        var spaced = await WorkloadSeed.WorkloadsAsync(factory, prefix + "-s", Start, null, [.. Enumerable.Repeat(WorkloadState.Completed, 17)]);
        // Twelve created in the same millisecond: pages must split that instant without losing or repeating one.
        var tied = await WorkloadSeed.WorkloadsAsync(factory, prefix + "-t", Start.AddHours(1), TimeSpan.Zero, null, [.. Enumerable.Repeat(WorkloadState.Failed, 12)]);

        var listed = await AllPagesAsync($"search={prefix}", 5);

        Assert.Equal(29, listed.Count);
        Assert.Equal(listed.Count, listed.Select(w => w.Id).Distinct().Count());
        Assert.Equal(spaced.Concat(tied).Select(w => w.Id).Order(), listed.Select(w => w.Id).Order());
        Assert.Equal(listed.OrderByDescending(w => w.CreatedAt).Select(w => w.CreatedAt), listed.Select(w => w.CreatedAt));
        Assert.All(listed.Take(12), w => Assert.Equal(WorkloadState.Failed, w.State));
    }

    [Fact]
    public async Task List_LastPage_HasNoContinueToken()
    {
        var prefix = Unique("last");
        await WorkloadSeed.WorkloadsAsync(factory, prefix, Start, null, WorkloadState.Completed, WorkloadState.Completed, WorkloadState.Completed);

        var first = await ListAsync($"search={prefix}&limit=3");
        var exact = await ListAsync($"search={prefix}&limit=2");

        Assert.Equal(3, first.Items.Count);
        Assert.Null(first.Continue);
        Assert.NotNull(exact.Continue);
        var rest = await ListAsync($"search={prefix}&limit=2&continue={Uri.EscapeDataString(exact.Continue!)}");
        Assert.Single(rest.Items);
        Assert.Null(rest.Continue);
    }

    [Fact]
    public async Task List_Filters_ByStateNodeNameAndCreatedTime()
    {
        var prefix = Unique("flt");
        var node = await WorkloadSeed.NodeAsync(factory, prefix + "-node", Start);
        var placed = await WorkloadSeed.WorkloadsAsync(factory, prefix + "-on", Start, node.Id, WorkloadState.Running, WorkloadState.Queued, WorkloadState.Completed, WorkloadState.Failed);
        var elsewhere = await WorkloadSeed.WorkloadsAsync(factory, prefix + "-off", Start.AddDays(1), null, WorkloadState.Completed, WorkloadState.Stopped);

        var finished = await AllPagesAsync($"search={prefix}&state=completed,Failed", 10);
        var onNodeByName = await AllPagesAsync($"search={prefix}&node={node.Name}", 10);
        var onNodeById = await AllPagesAsync($"node={node.Id}", 10);
        var byName = await ListAsync($"name={placed[1].Name}");
        var day2 = await AllPagesAsync($"search={prefix}&createdAfter={Iso(Start.AddHours(12))}", 10);
        var day1 = await AllPagesAsync($"search={prefix}&createdBefore={Iso(Start.AddHours(12))}&createdAfter={Iso(Start.AddSeconds(1))}", 10);

        Assert.Equal([elsewhere[0].Name, placed[3].Name, placed[2].Name], finished.Select(w => w.Name));
        Assert.Equal(placed.Select(w => w.Id).Reverse(), onNodeByName.Select(w => w.Id));
        Assert.Equal(onNodeByName.Select(w => w.Id), onNodeById.Select(w => w.Id));
        Assert.All(onNodeByName, w => Assert.Equal(node.Name, w.NodeName));
        Assert.Equal(placed[1].Id, Assert.Single(byName.Items).Id);
        Assert.Equal(elsewhere.Select(w => w.Id).Reverse(), day2.Select(w => w.Id));
        Assert.Equal(placed.Skip(1).Select(w => w.Id).Reverse(), day1.Select(w => w.Id));
    }

    [Theory]
    [InlineData("limit=0", "limit", "1 to 500")]
    [InlineData("limit=501", "limit", "1 to 500")]
    [InlineData("limit=ten", "limit", "whole number")]
    [InlineData("continue=not-a-token", "continue", "previous page")]
    [InlineData("continue=AAAAAAAAAAAAAAAAAAAAAAAAAAAA", "continue", "previous page")]
    [InlineData("state=Sleeping", "state", "Running")]
    [InlineData("state=Running,7", "state", "Completed")]
    [InlineData("createdAfter=yesterday", "createdAfter", "ISO 8601")]
    [InlineData("createdAfter=2026-12-02T00:00:00Z&createdBefore=2026-12-01T00:00:00Z", "createdBefore", "later than")]
    [InlineData("node=no-such-node", "node", "GET /api/nodes")]
    public async Task List_BadParameter_Answers400NamingIt(string query, string parameter, string hint)
    {
        var response = await _api.GetAsync($"/api/workloads?{query}");

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, hint);
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), problem.ToString());
    }

    [Fact]
    public async Task List_ContinueTokenWithOtherFilters_Answers400()
    {
        var prefix = Unique("tok");
        await WorkloadSeed.WorkloadsAsync(factory, prefix, Start, null, WorkloadState.Completed, WorkloadState.Completed, WorkloadState.Completed);
        var first = await ListAsync($"search={prefix}&limit=1");

        var other = await _api.GetAsync($"/api/workloads?search={prefix}x&limit=1&continue={Uri.EscapeDataString(first.Continue!)}");
        var tampered = await _api.GetAsync($"/api/workloads?search={prefix}&limit=1&continue={Uri.EscapeDataString(Flip(first.Continue!))}");

        await ProblemAssert.IsProblemAsync(other, HttpStatusCode.BadRequest, "same filters");
        await ProblemAssert.IsProblemAsync(tampered, HttpStatusCode.BadRequest, "same filters");
    }

    [Fact]
    public async Task OpenApi_WorkloadList_DescribesItemsAndContinue()
    {
        var document = JsonDocument.Parse(await _api.GetStringAsync("/openapi/v1.json")).RootElement;

        var paths = document.GetProperty("paths");
        var get = (paths.TryGetProperty("/api/workloads", out var path) ? path : paths.GetProperty("/api/workloads/")).GetProperty("get");
        var parameters = get.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList();
        var schemaRef = get.GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString()!;
        var schema = document.GetProperty("components").GetProperty("schemas").GetProperty(schemaRef.Split('/')[^1]);

        Assert.Superset(new HashSet<string?> { "limit", "continue", "state", "node", "name", "search", "createdAfter", "createdBefore" }, parameters.ToHashSet());
        Assert.True(schema.GetProperty("properties").TryGetProperty("items", out _));
        Assert.True(schema.GetProperty("properties").TryGetProperty("continue", out _));
        Assert.True(get.GetProperty("responses").TryGetProperty("400", out _));
    }

    private static string Iso(DateTimeOffset at) => Uri.EscapeDataString(at.ToString("O", System.Globalization.CultureInfo.InvariantCulture));

    // Changes one character in the middle: the position or the checksum no longer match.
    private static string Flip(string token)
    {
        var chars = token.ToCharArray();
        var i = chars.Length / 2;
        chars[i] = chars[i] == 'A' ? 'B' : 'A';
        return new string(chars);
    }
}

public sealed class SqliteWorkloadListTests(SqliteControlPlaneFactory factory) : WorkloadListTests<SqliteControlPlaneFactory>(factory), IClassFixture<SqliteControlPlaneFactory>;

public sealed class PostgresWorkloadListTests(PostgresControlPlaneFactory factory) : WorkloadListTests<PostgresControlPlaneFactory>(factory), IClassFixture<PostgresControlPlaneFactory>;

public sealed class NodeListTests(SqliteControlPlaneFactory factory) : IClassFixture<SqliteControlPlaneFactory>
{
    private readonly HttpClient _api = factory.CreateApiClient();

    [Fact]
    public async Task List_ByStateAndClass_ReturnsOnlyMatchingNodes()
    {
        var name = $"n{Guid.NewGuid():N}"[..12];
        var node = await WorkloadSeed.NodeAsync(factory, name, DateTimeOffset.UtcNow);

        var edgeReady = await _api.GetFromJsonAsync<List<NodeDto>>("/api/nodes?state=ready&class=Edge");
        var cloud = await _api.GetFromJsonAsync<List<NodeDto>>("/api/nodes?class=Cloud");

        Assert.Contains(edgeReady!, n => n.Id == node.Id);
        Assert.All(edgeReady!, n => Assert.Equal((NodeState.Ready, NodeClass.Edge), (n.State, n.Class)));
        Assert.DoesNotContain(cloud!, n => n.Id == node.Id);
    }

    [Theory]
    [InlineData("state=Asleep", "Ready")]
    [InlineData("class=Fog", "Edge")]
    public async Task List_UnknownStateOrClass_Answers400ListingValidOnes(string query, string hint)
    {
        var response = await _api.GetAsync($"/api/nodes?{query}");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, hint);
    }
}

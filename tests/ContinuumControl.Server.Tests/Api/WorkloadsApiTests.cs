using System.Net;
using System.Net.Http.Json;
using System.Text;
using ContinuumControl.Contracts.Api;
using ContinuumControl.Server.Tests.Fixtures;

namespace ContinuumControl.Server.Tests.Api;

public abstract class WorkloadsApiTests<TFactory>(TFactory factory) where TFactory : ControlPlaneFactory
{
    private readonly HttpClient _api = factory.CreateApiClient();

    private async Task<string> UploadHelloAsync() => (await UploadHelloModuleAsync()).Hash;

    private async Task<ModuleDto> UploadHelloModuleAsync()
    {
        var response = await _api.PostAsync("/api/modules?name=hello", WasmBytes.Content(WasmBytes.Sample("hello.wasm")));
        return (await response.Content.ReadFromJsonAsync<ModuleDto>())!;
    }

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];

    [Fact]
    public async Task Create_WithAgent_PlacesOnFittingNodeAndSendsStart()
    {
        var module = await UploadHelloModuleAsync();
        var hash = module.Hash;
        var zone = Unique("zone");
        await using var agent = await TestAgent.JoinAsync(factory, Unique("edge"), labels: new Dictionary<string, string> { ["zone"] = zone });

        var response = await _api.PostAsJsonAsync("/api/workloads", new { moduleHash = hash, args = new[] { "3" }, labels = new Dictionary<string, string> { ["zone"] = zone } });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var workload = (await response.Content.ReadFromJsonAsync<WorkloadDto>())!;
        Assert.Equal(agent.NodeId, workload.NodeId);
        Assert.Equal(WorkloadState.Pending, workload.State);
        Assert.Equal(1, workload.Generation);
        var start = await agent.NextStartAsync();
        Assert.Equal(workload.Id, start.WorkloadId);
        Assert.Equal(module.InstrumentedHash, start.ModuleHash);
        Assert.Equal(["3"], start.Args);
        Assert.Equal(64L * 1024 * 1024, start.MemoryLimitBytes);
    }

    [Fact]
    public async Task Create_PicksLeastLoadedNode()
    {
        var hash = await UploadHelloAsync();
        var zone = Unique("zone");
        var labels = new Dictionary<string, string> { ["zone"] = zone };
        await using var a = await TestAgent.JoinAsync(factory, Unique("a"), labels: labels);
        await using var b = await TestAgent.JoinAsync(factory, Unique("b"), labels: labels);

        var nodes = new List<Guid?>();
        for (var i = 0; i < 4; i++)
        {
            var w = await (await _api.PostAsJsonAsync("/api/workloads", new { moduleHash = hash, labels })).Content.ReadFromJsonAsync<WorkloadDto>();
            nodes.Add(w!.NodeId);
        }
        Assert.Equal(2, nodes.Count(n => n == a.NodeId));
        Assert.Equal(2, nodes.Count(n => n == b.NodeId));
    }

    [Fact]
    public async Task Create_WhenNoNodeFits_Returns409WithEveryReason()
    {
        var hash = await UploadHelloAsync();
        var zone = Unique("zone");
        await using var small = await TestAgent.JoinAsync(factory, Unique("small"), "Cloud", memoryMiB: 32, labels: new Dictionary<string, string> { ["zone"] = zone });
        await using var elsewhere = await TestAgent.JoinAsync(factory, Unique("far"), "Cloud", labels: new Dictionary<string, string> { ["zone"] = "other" });

        var response = await _api.PostAsJsonAsync("/api/workloads", new { moduleHash = hash, memoryLimitMiB = 64, @class = "Cloud", labels = new Dictionary<string, string> { ["zone"] = zone } });
        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Conflict, "not enough memory", "missing label");
        Assert.True(problem.GetProperty("rejections").GetArrayLength() >= 1);

        var wrongClass = await _api.PostAsJsonAsync("/api/workloads", new { moduleHash = hash, @class = "Edge", memoryLimitMiB = 1, labels = new Dictionary<string, string> { ["zone"] = zone } });
        await ProblemAssert.IsProblemAsync(wrongClass, HttpStatusCode.Conflict, "node class is Cloud, the workload requires Edge");
    }

    [Fact]
    public async Task Create_MalformedJson_Returns400Problem()
    {
        var response = await _api.PostAsync("/api/workloads", new StringContent("{\"moduleHash\": ", Encoding.UTF8, "application/json"));
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "JSON");
    }

    [Fact]
    public async Task Create_InvalidFields_Returns400ListingEachField()
    {
        var response = await _api.PostAsJsonAsync("/api/workloads", new { moduleHash = "xyz", memoryLimitMiB = 0, @class = "Fog" });
        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("moduleHash", out _));
        Assert.True(errors.TryGetProperty("memoryLimitMiB", out _));
        Assert.Contains("Edge or Cloud", errors.GetProperty("class")[0].GetString());
    }

    [Fact]
    public async Task Create_UnknownModule_Returns400SayingUploadFirst()
    {
        var response = await _api.PostAsJsonAsync("/api/workloads", new { moduleHash = new string('e', 64) });
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "POST /api/modules");
    }

    [Theory]
    [InlineData("GET", "")]
    [InlineData("GET", "/output")]
    [InlineData("GET", "/wait?timeoutSeconds=0")]
    [InlineData("POST", "/stop")]
    [InlineData("DELETE", "")]
    public async Task UnknownWorkload_Returns404Problem(string method, string suffix)
    {
        var response = await _api.SendAsync(new HttpRequestMessage(new HttpMethod(method), $"/api/workloads/{Guid.NewGuid()}{suffix}"));
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, "not found");
    }

    [Fact]
    public async Task Output_FromAgent_ReadsAsOneStreamWithoutDuplicates()
    {
        var (agent, workload) = await StartOneAsync();
        await using var _ = agent;
        await agent.ReportAsync(workload.Id, 1, WorkloadState.Running);
        await agent.AppendAsync(workload.Id, 1, 0, "hello ");
        await agent.AppendAsync(workload.Id, 1, 0, "hello ");
        await agent.AppendAsync(workload.Id, 1, 3, "lo world\n");
        await agent.AppendAsync(workload.Id, 1, 0, "oops", "stderr");
        await agent.ReportAsync(workload.Id, 1, WorkloadState.Completed, 0);

        var stdout = await _api.GetFromJsonAsync<OutputDto>($"/api/workloads/{workload.Id}/output");
        Assert.Equal("hello world\n", stdout!.Text);
        Assert.Equal(12, stdout.NextOffset);
        var tail = await _api.GetFromJsonAsync<OutputDto>($"/api/workloads/{workload.Id}/output?offset=6");
        Assert.Equal("world\n", tail!.Text);
        var stderr = await _api.GetFromJsonAsync<OutputDto>($"/api/workloads/{workload.Id}/output?stream=stderr");
        Assert.Equal("oops", stderr!.Text);
        Assert.Equal("hello world\n", await _api.GetStringAsync($"/api/workloads/{workload.Id}/output/raw?follow=true"));
        var done = await _api.GetFromJsonAsync<WorkloadDto>($"/api/workloads/{workload.Id}/wait?timeoutSeconds=5");
        Assert.Equal(WorkloadState.Completed, done!.State);
        Assert.Equal(0, done.ExitCode);
    }

    [Fact]
    public async Task Output_BadStreamOrOffset_Returns400()
    {
        var (agent, workload) = await StartOneAsync();
        await using var _ = agent;
        await ProblemAssert.IsProblemAsync(await _api.GetAsync($"/api/workloads/{workload.Id}/output?stream=stdlog"), HttpStatusCode.BadRequest, "stdout or stderr");
        await ProblemAssert.IsProblemAsync(await _api.GetAsync($"/api/workloads/{workload.Id}/output?offset=-1"), HttpStatusCode.BadRequest, "offset");
    }

    [Fact]
    public async Task Output_LongPoll_ReturnsWhenOutputArrives()
    {
        var (agent, workload) = await StartOneAsync();
        await using var _ = agent;
        var poll = _api.GetFromJsonAsync<OutputDto>($"/api/workloads/{workload.Id}/output?waitSeconds=20");
        await Task.Delay(300);
        Assert.False(poll.IsCompleted);
        await agent.AppendAsync(workload.Id, 1, 0, "late line\n");
        var result = await poll.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("late line\n", result!.Text);
    }

    [Fact]
    public async Task Wait_WhileRunning_Returns202AfterTimeout()
    {
        var (agent, workload) = await StartOneAsync();
        await using var _ = agent;
        await agent.ReportAsync(workload.Id, 1, WorkloadState.Running);
        var response = await _api.GetAsync($"/api/workloads/{workload.Id}/wait?timeoutSeconds=1");
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(WorkloadState.Running, (await response.Content.ReadFromJsonAsync<WorkloadDto>())!.State);
    }

    [Fact]
    public async Task Stop_RunningWorkload_TellsAgentAndFreesMemory()
    {
        var (agent, workload) = await StartOneAsync();
        await using var _ = agent;
        await agent.ReportAsync(workload.Id, 1, WorkloadState.Running);

        var stopped = await _api.PostAsync($"/api/workloads/{workload.Id}/stop", null);
        Assert.Equal(HttpStatusCode.OK, stopped.StatusCode);
        Assert.Equal(WorkloadState.Stopped, (await stopped.Content.ReadFromJsonAsync<WorkloadDto>())!.State);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var stop = await agent.Stops.Reader.ReadAsync(timeout.Token);
        Assert.Equal(workload.Id, stop.WorkloadId);
        var node = await _api.GetFromJsonAsync<NodeDto>($"/api/nodes/{agent.NodeId}");
        Assert.Equal(0, node!.MemoryAllocatedBytes);

        var again = await _api.PostAsync($"/api/workloads/{workload.Id}/stop", null);
        await ProblemAssert.IsProblemAsync(again, HttpStatusCode.Conflict, "already finished");
    }

    [Fact]
    public async Task Delete_RemovesWorkloadAndOutput()
    {
        var (agent, workload) = await StartOneAsync();
        await using var _ = agent;
        await agent.AppendAsync(workload.Id, 1, 0, "bye\n");
        Assert.Equal(HttpStatusCode.NoContent, (await _api.DeleteAsync($"/api/workloads/{workload.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.GetAsync($"/api/workloads/{workload.Id}/output")).StatusCode);
    }

    [Fact]
    public async Task Report_WithStaleGeneration_ChangesNothing()
    {
        var (agent, workload) = await StartOneAsync();
        await using var _ = agent;
        await agent.ReportAsync(workload.Id, 0, WorkloadState.Completed, 0);
        await agent.AppendAsync(workload.Id, 0, 0, "stale copy\n");
        var current = await _api.GetFromJsonAsync<WorkloadDto>($"/api/workloads/{workload.Id}");
        Assert.Equal(WorkloadState.Pending, current!.State);
        Assert.Equal("", (await _api.GetFromJsonAsync<OutputDto>($"/api/workloads/{workload.Id}/output"))!.Text);
    }

    [Fact]
    public async Task Failed_Report_KeepsTheReason()
    {
        var (agent, workload) = await StartOneAsync();
        await using var _ = agent;
        await agent.ReportAsync(workload.Id, 1, WorkloadState.Failed, null, "trapped: unreachable instruction executed");
        var current = await _api.GetFromJsonAsync<WorkloadDto>($"/api/workloads/{workload.Id}/wait?timeoutSeconds=5");
        Assert.Equal(WorkloadState.Failed, current!.State);
        Assert.Equal("trapped: unreachable instruction executed", current.FailureReason);
    }

    private async Task<(TestAgent Agent, WorkloadDto Workload)> StartOneAsync()
    {
        var hash = await UploadHelloAsync();
        var zone = Unique("zone");
        var agent = await TestAgent.JoinAsync(factory, Unique("node"), labels: new Dictionary<string, string> { ["zone"] = zone });
        var response = await _api.PostAsJsonAsync("/api/workloads", new { moduleHash = hash, labels = new Dictionary<string, string> { ["zone"] = zone } });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var workload = (await response.Content.ReadFromJsonAsync<WorkloadDto>())!;
        await agent.NextStartAsync();
        return (agent, workload);
    }
}

public sealed class SqliteWorkloadsApiTests(SqliteControlPlaneFactory factory) : WorkloadsApiTests<SqliteControlPlaneFactory>(factory), IClassFixture<SqliteControlPlaneFactory>;

public sealed class PostgresWorkloadsApiTests(PostgresControlPlaneFactory factory) : WorkloadsApiTests<PostgresControlPlaneFactory>(factory), IClassFixture<PostgresControlPlaneFactory>;

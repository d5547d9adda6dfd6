using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using ContinuumControl.Contracts.Api;
using ContinuumControl.EndToEnd.Tests.Cluster;

namespace ContinuumControl.EndToEnd.Tests.Deployment;

/// <summary>
/// The README's first command as a user runs it: the server alone, which starts its two local agents (from the agent/
/// folder its build ships beside it), registers the samples, and runs one to the expected output.
/// </summary>
public sealed class EmbeddedDefaultEndToEndTests : IDisposable
{
    private const string Token = "cc_embedded-default-e2e";
    private readonly string _data = Path.Combine(Path.GetTempPath(), "cc-e2e-embedded", Guid.NewGuid().ToString("N"));

    public EmbeddedDefaultEndToEndTests() => Directory.CreateDirectory(_data);

    [Fact]
    public async Task ServerAlone_StartsTwoLocalAgents_AndRunsASampleToItsExpectedOutput()
    {
        using var server = await ServerProcess.StartAsync(_data, "http", "--Server:LocalAgents=2", "--Server:RegisterSamples=true", $"--Server:BootstrapToken={Token}");
        using var api = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(120) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);

        var nodes = await WaitForReadyNodesAsync(api, 2, server);
        Assert.Equal(["Cloud", "Edge"], nodes.Select(n => n.Class.ToString()).Order());

        var hello = (await api.GetFromJsonAsync<List<ModuleDto>>("/api/modules"))!.First(m => m.Name == "hello");
        var created = await api.PostAsJsonAsync("/api/workloads", new { moduleHash = hello.Hash, args = new[] { "3" } });
        Assert.True(created.StatusCode == HttpStatusCode.Created, $"{(int)created.StatusCode} {await created.Content.ReadAsStringAsync()}");
        var workload = (await created.Content.ReadFromJsonAsync<WorkloadDto>())!;
        var finished = await api.GetAsync($"/api/workloads/{workload.Id}/wait?timeoutSeconds=90");
        Assert.Equal(HttpStatusCode.OK, finished.StatusCode);
        Assert.Equal("Completed", (await finished.Content.ReadFromJsonAsync<WorkloadDto>())!.State.ToString());

        var output = await api.GetByteArrayAsync($"/api/workloads/{workload.Id}/output/raw?stream=stdout");
        Assert.Equal(await File.ReadAllBytesAsync(RepoPaths.Expected("hello-3.stdout")), output);
    }

    private static async Task<List<NodeDto>> WaitForReadyNodesAsync(HttpClient api, int count, ServerProcess server)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var ready = (await api.GetFromJsonAsync<List<NodeDto>>("/api/nodes"))!.Where(n => n.State.ToString() == "Ready").ToList();
            if (ready.Count >= count)
            {
                return ready;
            }
            Assert.True(DateTime.UtcNow < deadline, $"{ready.Count} of {count} local agents Ready after 90 s; server log:{Environment.NewLine}{server.Log}");
            await Task.Delay(250);
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // An agent may still be letting go of its data folder; the temp folder is cleaned up eventually.
        }
    }
}

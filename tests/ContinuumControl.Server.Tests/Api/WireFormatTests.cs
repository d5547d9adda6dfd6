using System.Net.Http.Json;
using System.Text.Json;
using ContinuumControl.Contracts.Agents;
using ContinuumControl.Contracts.Api;
using ContinuumControl.Server.Tests.Fixtures;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace ContinuumControl.Server.Tests.Api;

/// <summary>
/// The contracts carry the domain's enums, and the wire carries their names: REST bodies, hub commands and reports,
/// and the OpenAPI document that describes them all say "Running", never 1.
/// </summary>
public sealed class WireFormatTests(SqliteControlPlaneFactory factory) : IClassFixture<SqliteControlPlaneFactory>
{
    private readonly HttpClient _api = factory.CreateApiClient();

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];

    [Fact]
    public async Task RestAndHub_Enums_TravelAsTheirNames()
    {
        var labels = new Dictionary<string, string> { ["zone"] = Unique("zone") };
        // The source is a bare hub connection, so the test sees the commands as the JSON that crossed the wire.
        await using var source = TestAgent.Connect(factory, ControlPlaneFactory.JoinToken);
        var rawStart = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        var rawCheckpoint = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        source.On<JsonElement>(nameof(IAgentClient.StartWorkload), json => rawStart.TrySetResult(json));
        source.On<JsonElement>(nameof(IAgentClient.CheckpointWorkload), json => rawCheckpoint.TrySetResult(json));
        await source.StartAsync();
        var sourceNodeId = (await source.InvokeAsync<RegisterResult>(nameof(IAgentHub.Register), new RegisterRequest(TestAgent.Descriptor(Unique("src"), labels: labels), []))).NodeId;
        var hash = (await (await _api.PostAsync("/api/modules", WasmBytes.Content(WasmBytes.Sample("hello.wasm")))).Content.ReadFromJsonAsync<ModuleDto>())!.Hash;
        var created = await _api.PostAsJsonAsync("/api/workloads", new { moduleHash = hash, labels, @class = "Edge", priority = "High", restart = new { policy = "OnFailure" } });
        var workload = (await created.Content.ReadFromJsonAsync<WorkloadDto>())!;

        var start = await rawStart.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("High", Property(start, "priority").GetString());

        // What an agent sends: names, as the agent's serializer writes them.
        await source.InvokeAsync(nameof(IAgentHub.ReportStatus), new { workloadId = workload.Id, generation = 1L, state = "Running" });
        var target = await TestAgent.JoinAsync(factory, Unique("dst"), labels: labels);

        var shown = await JsonAsync($"/api/workloads/{workload.Id}");
        Assert.Equal("Running", Property(shown, "state").GetString());
        Assert.Equal("High", Property(shown, "priority").GetString());
        Assert.Equal("Edge", Property(shown, "requiredClass").GetString());
        Assert.Equal("OnFailure", Property(Property(shown, "restart"), "policy").GetString());

        var node = await JsonAsync($"/api/nodes/{sourceNodeId}");
        Assert.Equal("Edge", Property(node, "class").GetString());
        Assert.Equal("Ready", Property(node, "state").GetString());

        var evaluation = (await JsonAsync("/api/evaluations")).EnumerateArray()
            .First(e => Property(e, "workloadId").GetString() == workload.Id.ToString() && Property(e, "trigger").GetString() == "Submitted");
        Assert.Equal("Applied", Property(evaluation, "status").GetString());
        Assert.Equal("Committed", Property(Property(Property(evaluation, "plan"), "items")[0], "outcome").GetString());

        var moved = await _api.PostAsJsonAsync($"/api/workloads/{workload.Id}/migrations", new StartMigrationRequest(target.NodeId, PreCopy: false));
        moved.EnsureSuccessStatusCode();
        var migration = JsonDocument.Parse(await moved.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Api", Property(migration, "trigger").GetString());
        Assert.Equal(JsonValueKind.String, Property(migration, "phase").ValueKind);
        Assert.Equal("Requested", Property(Property(migration, "phases")[0], "phase").GetString());

        await TestAgent.NextAsync(target.Prepares);
        var migrationId = Guid.Parse(Property(migration, "id").GetString()!);
        await target.Hub.InvokeAsync(nameof(IAgentHub.ReportMigration), new { migrationId, kind = "Prepared", bytes = 0L, at = DateTimeOffset.UtcNow });
        Assert.True(Property(await rawCheckpoint.Task.WaitAsync(TimeSpan.FromSeconds(10)), "pause").GetBoolean());

        await target.DisposeAsync();
    }

    [Fact]
    public async Task ReportStatus_Pending_IsRefusedAsNotReportable()
    {
        await using var agent = await TestAgent.JoinAsync(factory, Unique("pend"));

        var error = await Assert.ThrowsAsync<HubException>(() => agent.ReportAsync(Guid.NewGuid(), 1, WorkloadState.Pending));

        Assert.Contains("not a reportable state", error.Message);
    }

    [Fact]
    public void StartWorkloadCommand_WithoutPriority_ReadsAsNormal()
    {
        var command = JsonSerializer.Deserialize<StartWorkloadCommand>(
            """{"workloadId":"7d0c2f3e-51a8-4b43-9d7e-3f1c1c7b9a10","generation":1,"moduleHash":"ab","args":[],"env":{},"memoryLimitBytes":1}""",
            JsonSerializerOptions.Web)!;

        Assert.Equal(WorkloadPriority.Normal, command.Priority);
        Assert.Contains("\"priority\":\"Normal\"", JsonSerializer.Serialize(command, JsonSerializerOptions.Web));
    }

    public static TheoryData<string, string, Type> EnumFields => new()
    {
        { "WorkloadDto", "state", typeof(WorkloadState) },
        { "WorkloadDto", "priority", typeof(WorkloadPriority) },
        { "WorkloadDto", "requiredClass", typeof(NodeClass) },
        { "WorkloadRestartDto", "policy", typeof(RestartPolicy) },
        { "NodeDto", "class", typeof(NodeClass) },
        { "NodeDto", "state", typeof(NodeState) },
        { "MigrationDto", "phase", typeof(MigrationPhase) },
        { "MigrationDto", "trigger", typeof(MigrationTrigger) },
        { "MigrationPhaseTime", "phase", typeof(MigrationPhase) },
        { "EvaluationDto", "trigger", typeof(EvaluationTrigger) },
        { "EvaluationDto", "status", typeof(EvaluationStatus) },
        { "PlanItemDto", "outcome", typeof(PlanOutcome) },
    };

    [Theory]
    [MemberData(nameof(EnumFields))]
    public async Task OpenApi_EnumField_IsAStringListingEveryName(string schemaName, string property, Type enumType)
    {
        var document = await JsonAsync("/openapi/v1.json");
        var schemas = Property(document, "components").GetProperty("schemas");

        var field = Resolve(schemas, schemas.GetProperty(schemaName).GetProperty("properties").GetProperty(property));

        Assert.Contains("string", Types(field));
        Assert.DoesNotContain("integer", Types(field));
        Assert.Equal(Enum.GetNames(enumType), field.GetProperty("enum").EnumerateArray().Where(v => v.ValueKind != JsonValueKind.Null).Select(v => v.GetString()));
    }

    private async Task<JsonElement> JsonAsync(string path) => JsonDocument.Parse(await _api.GetStringAsync(path)).RootElement;

    private static JsonElement Property(JsonElement element, string name) =>
        element.EnumerateObject().First(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)).Value;

    // A property's schema is inline or a $ref to a component; a nullable one may wrap it in oneOf/anyOf with null.
    private static JsonElement Resolve(JsonElement schemas, JsonElement schema)
    {
        if (schema.TryGetProperty("$ref", out var reference))
        {
            return Resolve(schemas, schemas.GetProperty(reference.GetString()!.Split('/')[^1]));
        }
        foreach (var combinator in new[] { "oneOf", "anyOf", "allOf" })
        {
            if (schema.TryGetProperty(combinator, out var options))
            {
                return Resolve(schemas, options.EnumerateArray().First(o => o.TryGetProperty("$ref", out _) || o.TryGetProperty("enum", out _)));
            }
        }
        return schema;
    }

    private static List<string?> Types(JsonElement schema) =>
        !schema.TryGetProperty("type", out var type) ? []
        : type.ValueKind == JsonValueKind.Array ? [.. type.EnumerateArray().Select(t => t.GetString())]
        : [type.GetString()];
}

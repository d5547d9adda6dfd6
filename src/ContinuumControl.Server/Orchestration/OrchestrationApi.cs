using ContinuumControl.Contracts.Api;
using ContinuumControl.Server.Api;
using ContinuumControl.Server.Orchestration.Policies;
using ContinuumControl.Server.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ContinuumControl.Server.Orchestration;

/// <summary>Cluster policies (pause, resume, run now) and the scheduler's recent evaluations with their plans and refusals.</summary>
public static class OrchestrationApi
{
    public static IEndpointRouteBuilder MapOrchestrationApi(this IEndpointRouteBuilder app)
    {
        var read = app.MapGroup("/api").WithTags("Orchestration").RequireAuthorization(AuthSchemes.ReadPolicy);
        read.MapGet("/policies", async (PolicyRunner runner, CancellationToken ct) => TypedResults.Ok(await runner.ListAsync(ct)))
            .WithSummary("The cluster policies: enabled, paused, schedule, last run and result, settings");
        read.MapGet("/evaluations", (EvaluationBroker broker) => TypedResults.Ok(broker.Recent.Select(r => r.ToDto()).ToList()))
            .WithSummary("Recent scheduler evaluations, newest first, with their plans and every refused candidate's reason");
        read.MapGet("/evaluations/{id:guid}", GetEvaluation).WithSummary("One evaluation");

        var write = app.MapGroup("/api/policies").WithTags("Orchestration").RequireAuthorization(AuthSchemes.WritePolicy);
        write.MapPost("/{name}/pause", async (string name, PolicyRunner runner, CancellationToken ct) => TypedResults.Ok(await runner.SetPausedAsync(name, true, ct)))
            .WithSummary("Pause a policy: its runs do nothing until resumed (survives restarts)");
        write.MapPost("/{name}/resume", async (string name, PolicyRunner runner, CancellationToken ct) => TypedResults.Ok(await runner.SetPausedAsync(name, false, ct)))
            .WithSummary("Resume a paused policy");
        write.MapPost("/{name}/run", RunNow).WithSummary("Run a policy now instead of at its next scheduled time");
        return app;
    }

    private static Ok<EvaluationDto> GetEvaluation(Guid id, EvaluationBroker broker) =>
        TypedResults.Ok(broker.Find(id)?.ToDto()
            ?? throw new RefusalException(StatusCodes.Status404NotFound, "Evaluation not found", $"No recent evaluation has id {id}; the control plane keeps the last 200 (GET /api/evaluations)."));

    private static async Task<Accepted<PolicyDto>> RunNow(string name, PolicyRunner runner, CancellationToken cancellationToken) =>
        TypedResults.Accepted("/api/policies", await runner.RunNowAsync(name, cancellationToken));
}

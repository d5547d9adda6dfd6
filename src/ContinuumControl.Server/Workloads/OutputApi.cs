using System.Text;
using ContinuumControl.Domain.Workloads;
using ContinuumControl.Contracts.Api;
using ContinuumControl.Persistence;
using ContinuumControl.Server.Api;
using ContinuumControl.Server.Live;
using ContinuumControl.Server.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ContinuumControl.Server.Workloads;

/// <summary>Read a workload's output by byte offset, or follow it as it is written.</summary>
public static class OutputApi
{
    public static RouteGroupBuilder MapOutputApi(this RouteGroupBuilder api)
    {
        api.MapGet("/{id:guid}/output", ReadAsync).RequireAuthorization(AuthSchemes.ReadPolicy)
            .WithSummary("Read output from a byte offset")
            .WithDescription("stream=stdout|stderr (default stdout), offset (default 0). With waitSeconds > 0 the call waits up to that long for new output (long poll). Use nextOffset for the next call.");
        api.MapGet("/{id:guid}/output/raw", FollowAsync).RequireAuthorization(AuthSchemes.ReadPolicy)
            .WithSummary("Output as plain text; follow=true streams until the workload finishes")
            .WithDescription("Convenient in CI jobs: curl -N -H 'Authorization: Bearer ...' .../output/raw?follow=true");
        return api;
    }

    private static async Task<Ok<OutputDto>> ReadAsync(
        Guid id, string? stream, long? offset, int? waitSeconds,
        OutputLog log, IDbContextFactory<ControlPlaneDbContext> dbFactory, ClusterEvents events, CancellationToken cancellationToken)
    {
        var which = ParseStream(stream);
        var from = offset ?? 0;
        if (from < 0)
        {
            throw RefusalException.Invalid("offset", "offset must be zero or more; pass the nextOffset of the previous answer.");
        }
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(Math.Clamp(waitSeconds ?? 0, 0, 120)));
        await using var changes = events.SubscribeAsync(deadline.Token).GetAsyncEnumerator(deadline.Token);
        while (true)
        {
            var workload = await dbFactory.WorkloadDtoAsync(id, cancellationToken);
            var (data, end) = await log.ReadAsync(id, which, from, OutputLog.MaxReadBytes, cancellationToken);
            var finished = workload.State.IsFinished && data.Length == 0;
            if (data.Length > 0 || finished || deadline.IsCancellationRequested || !await WaitForChangeAsync(changes, id))
            {
                return TypedResults.Ok(new OutputDto(OutputLog.Name(which), from, end, Encoding.UTF8.GetString(data), finished));
            }
        }
    }

    private static async Task FollowAsync(
        HttpContext context, Guid id, string? stream, bool? follow,
        OutputLog log, IDbContextFactory<ControlPlaneDbContext> dbFactory, ClusterEvents events, CancellationToken cancellationToken)
    {
        var which = ParseStream(stream);
        await dbFactory.WorkloadDtoAsync(id, cancellationToken);
        context.Response.ContentType = "text/plain; charset=utf-8";
        await using var changes = events.SubscribeAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        long offset = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var workload = await dbFactory.WorkloadDtoAsync(id, cancellationToken);
            var (data, end) = await log.ReadAsync(id, which, offset, OutputLog.MaxReadBytes, cancellationToken);
            if (data.Length > 0)
            {
                await context.Response.Body.WriteAsync(data, cancellationToken);
                await context.Response.Body.FlushAsync(cancellationToken);
                offset = end;
                continue;
            }
            if (follow != true || workload.State.IsFinished || !await WaitForChangeAsync(changes, id))
            {
                return;
            }
        }
    }

    /// <summary>Waits until something about workload <paramref name="id"/> changes; false when the stream ended.</summary>
    private static async Task<bool> WaitForChangeAsync(IAsyncEnumerator<ClusterChange> changes, Guid id)
    {
        try
        {
            while (await changes.MoveNextAsync())
            {
                var c = changes.Current;
                if (c.OutputWorkloadId == id || c.Workload?.Id == id || c.RemovedId == id)
                {
                    return true;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        return false;
    }

    private static Domain.Workloads.OutputStream ParseStream(string? stream) =>
        OutputLog.TryParseStream(stream, out var which)
            ? which
            : throw RefusalException.Invalid("stream", $"'{stream}' is not an output stream; use stdout or stderr.");
}

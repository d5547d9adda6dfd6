using ContinuumControl.Contracts.Api;
using ContinuumControl.Server.Api;
using ContinuumControl.Server.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ContinuumControl.Server.Nodes;

/// <summary>Node credentials for operators (admin): list, revoke, rotate. Secrets are never shown here.</summary>
public static class NodeCredentialsApi
{
    public static IEndpointRouteBuilder MapNodeCredentialsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/nodes").WithTags("Node credentials").RequireAuthorization(AuthSchemes.AdminPolicy);
        api.MapGet("/credentials", async (NodeCredentials credentials, CancellationToken ct) => TypedResults.Ok(await credentials.ListAsync(ct)))
            .WithSummary("List node credentials (admin)")
            .WithDescription("One per registered node: issued at its first registration with the join token; the secret itself is only ever held by the agent.");
        api.MapDelete("/{id}/credential", RevokeAsync)
            .WithSummary("Revoke a node's credential (admin)")
            .WithDescription("Disconnects the node at once; its agent is refused until its node-credential file is deleted and it registers again with the join token. Frees the node's name.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/{id}/credential/rotate", RotateAsync)
            .WithSummary("Rotate a node's credential (admin)")
            .WithDescription("The node's agent receives a new credential over its live connection and saves it; then the old one stops working. 409 when the node is not connected or does not confirm.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    private static async Task<NoContent> RevokeAsync(string id, NodeCredentials credentials, CancellationToken cancellationToken)
    {
        await credentials.RevokeAsync(ParseId(id), cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<NodeCredentialDto>> RotateAsync(string id, NodeCredentials credentials, CancellationToken cancellationToken) =>
        TypedResults.Ok(await credentials.RotateAsync(ParseId(id), cancellationToken));

    private static Guid ParseId(string id) =>
        Guid.TryParse(id, out var nodeId)
            ? nodeId
            : throw RefusalException.Invalid("id", $"'{id}' is not a node id; node ids are GUIDs, listed by GET /api/nodes/credentials.");
}

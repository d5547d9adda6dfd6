using System.Security.Claims;

namespace ContinuumControl.Server.Agents;

/// <summary>The 403 a node gets for a module or chunk of a workload that is neither placed on it nor migrating to it.</summary>
public static class NodeFetchRefusal
{
    public static IResult Module(ClaimsPrincipal node, string hash) =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not this node's module",
            detail: $"Node {node.Identity?.Name} may fetch module {hash} only while a workload using it is placed on it or migrating to it.");

    public static IResult Chunk(ClaimsPrincipal node, string hash) =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not this node's checkpoint chunk",
            detail: $"Node {node.Identity?.Name} may fetch chunk {hash} only while it belongs to the checkpoint of a workload placed on it or migrating to it.");
}

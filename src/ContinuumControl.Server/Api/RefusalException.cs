namespace ContinuumControl.Server.Api;

/// <summary>
/// A request the control plane refuses, with the HTTP status and the words the client needs.
/// Thrown by services, turned into ProblemDetails at the edge (<see cref="ProblemMapping"/>).
/// </summary>
public sealed class RefusalException(int status, string title, string detail, IDictionary<string, object?>? extensions = null)
    : Exception(detail)
{
    public int Status { get; } = status;
    public string Title { get; } = title;
    public IDictionary<string, object?> Extensions { get; } = extensions ?? new Dictionary<string, object?>();

    /// <summary>When set, the answer carries a Retry-After header: the refusal is temporary.</summary>
    public TimeSpan? RetryAfter { get; init; }

    public static RefusalException NotFound(string what, Guid id) =>
        new(StatusCodes.Status404NotFound, $"{what} not found", $"No {what.ToLowerInvariant()} has id {id}; list them with GET /api/{what.ToLowerInvariant()}s.");

    public static RefusalException Invalid(string field, string message) =>
        new(StatusCodes.Status400BadRequest, "The request is not valid", message,
            new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [field] = [message] } });
}

namespace ContinuumControl.Server.Security;

/// <summary>Reads a bearer token from the Authorization header, or from access_token where browsers' WebSockets must put it.</summary>
public static class BearerToken
{
    public static string? From(HttpRequest request, bool allowQuery = false)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var token = header["Bearer ".Length..].Trim();
            return token.Length == 0 ? null : token;
        }
        if (allowQuery && request.Query.TryGetValue("access_token", out var q) && !string.IsNullOrEmpty(q))
        {
            return q.ToString();
        }
        return null;
    }
}

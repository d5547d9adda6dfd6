namespace ContinuumControl.Domain.Security;

/// <summary>A bearer token for the REST API and the dashboard; only its SHA-256 is stored.</summary>
public sealed class ApiToken
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public required string TokenHash { get; set; }
    public List<string> Scopes { get; set; } = new();
    public DateTimeOffset CreatedAt { get; set; }
}

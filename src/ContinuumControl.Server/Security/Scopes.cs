namespace ContinuumControl.Server.Security;

/// <summary>What an API token may do.</summary>
public static class Scopes
{
    public const string Read = "read";
    public const string Write = "write";
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [Read, Write, Admin];

    public const string ClaimType = "scope";
}

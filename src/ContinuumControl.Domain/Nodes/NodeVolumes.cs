using System.Text.RegularExpressions;

namespace ContinuumControl.Domain.Nodes;

/// <summary>
/// Named directories a node offers to workloads. A node lists each as the capability "volume:&lt;name&gt;", beside the
/// host import modules it offers, so placement needs no second mechanism: a workload that mounts a volume requires
/// that capability, and a node without it is filtered out with the reason.
/// </summary>
public static partial class NodeVolumes
{
    public const string CapabilityPrefix = "volume:";

    public static string Capability(string volume) => CapabilityPrefix + volume;

    /// <summary>The volume a capability names, or null for a host import module.</summary>
    public static string? FromCapability(string capability) =>
        capability.StartsWith(CapabilityPrefix, StringComparison.Ordinal) ? capability[CapabilityPrefix.Length..] : null;

    /// <summary>1-63 lower-case letters, digits, '-', '_' or '.', starting with a letter or digit (a DNS-label-like name).</summary>
    public static bool IsValidName(string? name) => name is not null && NamePattern().IsMatch(name);

    /// <summary>An absolute guest path of at most 256 characters without empty, "." or ".." segments.</summary>
    public static bool IsValidGuestPath(string? path) =>
        path is { Length: > 1 and <= 256 } && path[0] == '/' && !path.Contains('\0')
        && path[1..].Split('/').All(segment => segment is not ("" or "." or ".."));

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,62}$")]
    private static partial Regex NamePattern();
}

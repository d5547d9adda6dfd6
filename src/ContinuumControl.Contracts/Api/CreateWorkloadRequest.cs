namespace ContinuumControl.Contracts.Api;

/// <summary>What a client asks to run.</summary>
/// <param name="ModuleHash">SHA-256 of an uploaded module (from POST /api/modules).</param>
/// <param name="Name">Display name; defaults to the module's name.</param>
/// <param name="Args">Arguments after argv[0].</param>
/// <param name="Env">Environment variables.</param>
/// <param name="MemoryLimitMiB">Linear memory limit in MiB; default 64.</param>
/// <param name="Class">Required node class: "Edge" or "Cloud"; absent means any.</param>
/// <param name="Labels">Labels the node must carry.</param>
/// <param name="Priority">"Low", "Normal" (default) or "High": higher classes run first on a node and preempt lower ones.</param>
/// <param name="OutputLimitMiB">Most stdout and stderr (together) the workload may write, in MiB; past it, it fails and what came before stays readable. Default: the server's Server:OutputLimitMiB (64).</param>
public sealed record CreateWorkloadRequest(
    string ModuleHash,
    string? Name = null,
    IReadOnlyList<string>? Args = null,
    IReadOnlyDictionary<string, string>? Env = null,
    int? MemoryLimitMiB = null,
    string? Class = null,
    IReadOnlyDictionary<string, string>? Labels = null,
    string? Priority = null,
    int? OutputLimitMiB = null);

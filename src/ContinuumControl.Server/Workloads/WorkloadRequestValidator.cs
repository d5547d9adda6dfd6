using ContinuumControl.Contracts.Api;
using ContinuumControl.Domain.Nodes;
using ContinuumControl.Domain.Workloads;
using ContinuumControl.Server.Api;

namespace ContinuumControl.Server.Workloads;

/// <summary>Checks a create request and collects every problem at once, each under the field it concerns.</summary>
public static class WorkloadRequestValidator
{
    public const int DefaultMemoryMiB = 64;
    public const int MaxMemoryMiB = 4096;
    public const int DefaultOutputLimitMiB = 64;
    public const int MaxOutputLimitMiB = 64 * 1024;

    public static (WorkloadRequest? Request, Dictionary<string, string[]> Errors) Validate(CreateWorkloadRequest? body, int defaultOutputLimitMiB = DefaultOutputLimitMiB)
    {
        var errors = new Dictionary<string, string[]>();
        if (body is null)
        {
            errors["body"] = ["Send a JSON body such as {\"moduleHash\": \"<sha256 from POST /api/modules>\"}."];
            return (null, errors);
        }
        if (string.IsNullOrWhiteSpace(body.ModuleHash) || body.ModuleHash.Length != 64 || !body.ModuleHash.All(char.IsAsciiHexDigit))
        {
            errors["moduleHash"] = ["Must be the 64-hex-digit SHA-256 returned by POST /api/modules."];
        }
        var memoryMiB = body.MemoryLimitMiB ?? DefaultMemoryMiB;
        if (memoryMiB is < 1 or > MaxMemoryMiB)
        {
            errors["memoryLimitMiB"] = [$"Must be between 1 and {MaxMemoryMiB} MiB; got {memoryMiB}."];
        }
        var outputMiB = body.OutputLimitMiB ?? defaultOutputLimitMiB;
        if (body.OutputLimitMiB is < 1 or > MaxOutputLimitMiB)
        {
            errors["outputLimitMiB"] = [$"Must be between 1 and {MaxOutputLimitMiB} MiB (stdout and stderr together); got {body.OutputLimitMiB}. Leave it out for the server's default of {defaultOutputLimitMiB} MiB."];
        }
        NodeClass? nodeClass = null;
        if (!string.IsNullOrWhiteSpace(body.Class))
        {
            if (EnumNames.TryParse<NodeClass>(body.Class, out var parsed))
            {
                nodeClass = parsed;
            }
            else
            {
                errors["class"] = [$"'{body.Class}' is not a node class; use Edge or Cloud, or leave it out for any."];
            }
        }
        var priority = WorkloadPriority.Normal;
        if (!string.IsNullOrWhiteSpace(body.Priority) && !EnumNames.TryParse(body.Priority, out priority))
        {
            errors["priority"] = [$"'{body.Priority}' is not a priority class; use Low, Normal or High, or leave it out for Normal."];
        }
        if (body.Name is { Length: > 200 })
        {
            errors["name"] = ["At most 200 characters."];
        }
        if (body.Args is { Count: > 256 } || body.Args?.Any(a => a is null) == true)
        {
            errors["args"] = ["At most 256 arguments, none null."];
        }
        if (body.Env?.Keys.Any(k => string.IsNullOrEmpty(k) || k.Contains('=')) == true)
        {
            errors["env"] = ["Variable names must be non-empty and contain no '='."];
        }
        var restart = ValidateRestart(body.Restart, errors);
        if (body.CheckpointIntervalSeconds is { } interval && interval is < 0 or > MaxCheckpointIntervalSeconds)
        {
            errors["checkpointIntervalSeconds"] = [$"Must be 0 (no periodic checkpoints) or 1..{MaxCheckpointIntervalSeconds} seconds; got {interval}. Leave it out for the cluster's interval."];
        }
        ValidateTimeLimit(body.CpuTimeLimitSeconds, "cpuTimeLimitSeconds", "CPU time", errors);
        ValidateTimeLimit(body.WallClockLimitSeconds, "wallClockLimitSeconds", "wall-clock time", errors);
        var volumes = ValidateVolumes(body.Volumes, errors);
        if (errors.Count > 0)
        {
            return (null, errors);
        }
        return (new WorkloadRequest(
            body.ModuleHash.ToLowerInvariant(),
            body.Name,
            body.Args ?? [],
            body.Env ?? new Dictionary<string, string>(),
            memoryMiB * 1024L * 1024L,
            nodeClass,
            body.Labels ?? new Dictionary<string, string>(),
            priority,
            outputMiB * 1024L * 1024L)
        {
            Restart = restart,
            CheckpointIntervalSeconds = body.CheckpointIntervalSeconds,
            CpuTimeLimitSeconds = body.CpuTimeLimitSeconds,
            WallClockLimitSeconds = body.WallClockLimitSeconds,
            Volumes = volumes,
        }, errors);
    }

    public const int MaxVolumes = 16;

    /// <summary>Guest path -> volume name; each guest path once.</summary>
    private static Dictionary<string, string> ValidateVolumes(IReadOnlyList<VolumeMountDto>? volumes, Dictionary<string, string[]> errors)
    {
        var mounts = new Dictionary<string, string>(StringComparer.Ordinal);
        if (volumes is null)
        {
            return mounts;
        }
        var problems = new List<string>();
        if (volumes.Count > MaxVolumes)
        {
            problems.Add($"At most {MaxVolumes} volumes; got {volumes.Count}.");
        }
        foreach (var (mount, i) in volumes.Select((m, i) => (m, i)))
        {
            if (mount is null)
            {
                problems.Add($"Entry {i} is null; send {{\"volume\": \"data\", \"guestPath\": \"/data\"}}.");
                continue;
            }
            if (!NodeVolumes.IsValidName(mount.Volume))
            {
                problems.Add($"Entry {i}: volume '{mount.Volume}' is not a volume name; use 1-63 lower-case letters, digits, '-', '_' or '.', starting with a letter or digit, as the agents' Agent:Volumes name them.");
            }
            if (!NodeVolumes.IsValidGuestPath(mount.GuestPath))
            {
                problems.Add($"Entry {i}: guest path '{mount.GuestPath}' must be absolute, such as \"/data\", at most 256 characters, without empty, '.' or '..' segments.");
            }
            else if (!mounts.TryAdd(mount.GuestPath, mount.Volume))
            {
                problems.Add($"Entry {i}: guest path '{mount.GuestPath}' is mounted twice; give each volume its own path.");
            }
        }
        if (problems.Count > 0)
        {
            errors["volumes"] = [.. problems];
        }
        return mounts;
    }

    /// <summary>30 days: longer limits are better expressed as none.</summary>
    public const double MaxTimeLimitSeconds = 30 * 86400;

    private static void ValidateTimeLimit(double? seconds, string field, string what, Dictionary<string, string[]> errors)
    {
        if (seconds is { } s && (!double.IsFinite(s) || s < 0.001 || s > MaxTimeLimitSeconds))
        {
            errors[field] = [$"Must be between 0.001 and {MaxTimeLimitSeconds:0} seconds of {what}; got {s}. Leave it out for no limit."];
        }
    }

    public const int MaxCheckpointIntervalSeconds = 86400;
    public const int MaxRestarts = 100;
    public const int MaxBackoffSeconds = 3600;

    private static RestartSettings ValidateRestart(RestartPolicyRequest? body, Dictionary<string, string[]> errors)
    {
        var policy = RestartPolicy.OnNodeLoss;
        if (!string.IsNullOrWhiteSpace(body?.Policy) && !EnumNames.TryParse(body.Policy, out policy))
        {
            errors["restart.policy"] = [$"'{body.Policy}' is not a restart policy; use Never, OnNodeLoss or OnFailure, or leave it out for OnNodeLoss."];
        }
        var max = body?.MaxRestarts ?? Workload.DefaultMaxRestarts;
        if (max is < 0 or > MaxRestarts)
        {
            errors["restart.maxRestarts"] = [$"Must be between 0 and {MaxRestarts}; got {max}. Leave it out for {Workload.DefaultMaxRestarts}."];
        }
        var backoff = body?.BackoffSeconds ?? Workload.DefaultBackoffSeconds;
        if (backoff is < 0 or > MaxBackoffSeconds)
        {
            errors["restart.backoffSeconds"] = [$"Must be between 0 and {MaxBackoffSeconds} seconds; got {backoff}. Leave it out for {Workload.DefaultBackoffSeconds}."];
        }
        return new RestartSettings(policy, max, backoff);
    }
}

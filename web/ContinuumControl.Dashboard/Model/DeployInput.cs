using System.Text;
using ContinuumControl.Contracts.Api;

namespace ContinuumControl.Dashboard.Model;

/// <summary>The deploy form as typed; <see cref="TryCreateRequest"/> turns it into a request or says every thing that is wrong.</summary>
public sealed class DeployInput
{
    public const int DefaultMemoryLimitMiB = 64;

    public string? ModuleHash { get; set; }

    public string? Name { get; set; }

    /// <summary>Arguments separated by spaces; "double quotes" keep spaces inside one argument.</summary>
    public string? Args { get; set; }

    /// <summary>One KEY=VALUE per line.</summary>
    public string? Env { get; set; }

    public int MemoryLimitMiB { get; set; } = DefaultMemoryLimitMiB;

    /// <summary>Null for any class.</summary>
    public NodeClass? Class { get; set; }

    /// <summary>k=v pairs separated by commas, spaces or lines.</summary>
    public string? Labels { get; set; }

    /// <summary>Node volumes to preopen: volume=/guest/path pairs separated by commas, spaces or lines.</summary>
    public string? Volumes { get; set; }

    public WorkloadPriority Priority { get; set; } = WorkloadPriority.Normal;

    public bool TryCreateRequest(out CreateWorkloadRequest request, out IReadOnlyList<string> errors)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(ModuleHash))
        {
            problems.Add("Pick a module (upload one with POST /api/modules first).");
        }

        if (MemoryLimitMiB < 1)
        {
            problems.Add("Memory limit must be at least 1 MiB.");
        }

        var env = ParsePairs(Env, ['\n'], "Environment", problems);
        var labels = ParsePairs(Labels, [',', ' ', '\n', '\t'], "Labels", problems);
        // The control plane checks names and paths and says what is wrong with each; the form only splits the pairs.
        var volumes = ParsePairs(Volumes, [',', ' ', '\n', '\t'], "Volumes", problems).Select(v => new VolumeMountDto(v.Key, v.Value)).ToList();
        request = new CreateWorkloadRequest(
            ModuleHash?.Trim() ?? "",
            string.IsNullOrWhiteSpace(Name) ? null : Name.Trim(),
            SplitArgs(Args),
            env,
            MemoryLimitMiB,
            Class?.ToString(),
            labels,
            Priority.ToString(),
            Volumes: volumes.Count == 0 ? null : volumes);
        errors = problems;
        return problems.Count == 0;
    }

    /// <summary>Splits on whitespace; a double-quoted part is one argument.</summary>
    public static IReadOnlyList<string> SplitArgs(string? text)
    {
        var args = new List<string>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return args;
        }

        var current = new StringBuilder();
        var quoted = false;
        var started = false;
        foreach (var c in text)
        {
            if (c == '"')
            {
                quoted = !quoted;
                started = true;
            }
            else if (char.IsWhiteSpace(c) && !quoted)
            {
                if (started)
                {
                    args.Add(current.ToString());
                    current.Clear();
                    started = false;
                }
            }
            else
            {
                current.Append(c);
                started = true;
            }
        }

        if (started)
        {
            args.Add(current.ToString());
        }

        return args;
    }

    private static Dictionary<string, string> ParsePairs(string? text, char[] separators, string field, List<string> problems)
    {
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(text))
        {
            return pairs;
        }

        foreach (var raw in text.Split(separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = raw.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                problems.Add($"{field}: \"{raw}\" is not KEY=VALUE.");
                continue;
            }

            var key = raw[..equals].Trim();
            if (!pairs.TryAdd(key, raw[(equals + 1)..].Trim()))
            {
                problems.Add($"{field}: \"{key}\" is given twice.");
            }
        }

        return pairs;
    }
}

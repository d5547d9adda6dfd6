namespace ContinuumControl.Server.Tests.Architecture;

/// <summary>
/// The Server's folders (top-level namespaces under ContinuumControl.Server; a subfolder counts as its folder) depend
/// on each other without cycles, judged from what the compiled types really refer to.
/// </summary>
public sealed class FolderDependencyTests
{
    private const string Root = "ContinuumControl.Server.";

    private static readonly Lazy<HashSet<(string From, string To)>> References =
        new(() => TypeReferences.Read(typeof(Program).Assembly.Location));

    [Fact]
    public void ServerFolders_HaveNoDependencyCycles()
    {
        var graph = FolderGraph(References.Value);
        var cycles = Cycles(graph);
        Assert.True(cycles.Count == 0, "Server folders depend on each other in cycles:\n" + string.Join("\n", cycles.Select(c => Describe(c, References.Value))));
    }

    [Fact]
    public void TheReader_SeesReferencesInSignaturesAndInMethodBodies()
    {
        // A constructor parameter (signature) and a static call (only in IL), so an empty or signature-only reading fails here.
        Assert.Contains(("ContinuumControl.Server.Migrations.MigrationSteps", "ContinuumControl.Server.Agents.AgentCommands"), References.Value);
        Assert.Contains(("ContinuumControl.Server.Orchestration.PlanCommitter", "ContinuumControl.Server.Recovery.OutputRewind"), References.Value);
        Assert.Contains(("Migrations", "Agents"), FolderGraph(References.Value).SelectMany(e => e.Value.Select(to => (e.Key, to))));
    }

    [Fact]
    public void TheCycleCheck_FindsACycle()
    {
        var graph = new Dictionary<string, HashSet<string>> { ["A"] = ["B"], ["B"] = ["C"], ["C"] = ["A"], ["D"] = ["A"] };
        Assert.Equal([["A", "B", "C"]], Cycles(graph).Select(c => c.Order().ToList()));
    }

    private static string? Folder(string type) =>
        type.StartsWith(Root, StringComparison.Ordinal) && type[Root.Length..].Contains('.') ? type[Root.Length..].Split('.')[0] : null;

    private static Dictionary<string, HashSet<string>> FolderGraph(IEnumerable<(string From, string To)> references)
    {
        var graph = new Dictionary<string, HashSet<string>>();
        foreach (var (from, to) in references)
        {
            if (Folder(from) is { } a && Folder(to) is { } b && a != b)
            {
                (graph.TryGetValue(a, out var targets) ? targets : graph[a] = []).Add(b);
            }
        }
        return graph;
    }

    /// <summary>The strongly connected components with more than one folder (Tarjan).</summary>
    private static List<List<string>> Cycles(Dictionary<string, HashSet<string>> graph)
    {
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var cycles = new List<List<string>>();
        void Visit(string v)
        {
            index[v] = low[v] = index.Count;
            stack.Push(v);
            foreach (var w in graph.GetValueOrDefault(v) ?? [])
            {
                if (!index.ContainsKey(w))
                {
                    Visit(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
                else if (stack.Contains(w) && index.TryGetValue(w, out var seen))
                {
                    low[v] = Math.Min(low[v], seen);
                }
            }
            if (low[v] == index[v])
            {
                var component = new List<string>();
                string w;
                do
                {
                    w = stack.Pop();
                    component.Add(w);
                }
                while (w != v);
                if (component.Count > 1)
                {
                    cycles.Add(component);
                }
            }
        }
        foreach (var v in graph.Keys.Order())
        {
            if (!index.ContainsKey(v))
            {
                Visit(v);
            }
        }
        return cycles;
    }

    /// <summary>A cycle's folders and, for each reference between two of them, which type refers to which.</summary>
    private static string Describe(List<string> cycle, IEnumerable<(string From, string To)> references) =>
        $"{string.Join(" <-> ", cycle.Order())}: " + string.Join(", ", references
            .Where(r => Folder(r.From) is { } a && Folder(r.To) is { } b && a != b && cycle.Contains(a) && cycle.Contains(b))
            .Select(r => $"{r.From[Root.Length..]} -> {r.To[Root.Length..]}")
            .Order());
}

using ContinuumControl.Contracts.Agents;
using ContinuumControl.Domain.Nodes;
using Microsoft.AspNetCore.SignalR;

namespace ContinuumControl.Server.Agents;

/// <summary>Refuses a registration that would put nonsense into the pool, naming every problem.</summary>
public static class NodeDescriptorValidator
{
    public static NodeClass Validate(NodeDescriptor node)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(node.Name) || node.Name.Length > 200)
        {
            problems.Add("Name must be 1-200 characters");
        }
        var classOk = Api.EnumNames.TryParse<NodeClass>(node.Class, out var nodeClass);
        if (!classOk)
        {
            problems.Add($"Class '{node.Class}' must be Edge or Cloud");
        }
        if (node.Cores < 1)
        {
            problems.Add("Cores must be at least 1");
        }
        if (node.MemoryBytes < 1024 * 1024)
        {
            problems.Add("MemoryBytes must be at least 1 MiB");
        }
        if (string.IsNullOrWhiteSpace(node.Architecture))
        {
            problems.Add("Architecture is required");
        }
        if (problems.Count > 0)
        {
            throw new HubException($"Registration refused: {string.Join("; ", problems)}.");
        }
        return nodeClass;
    }
}

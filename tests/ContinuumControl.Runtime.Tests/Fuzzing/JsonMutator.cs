using System.Text;
using System.Text.Json.Nodes;

namespace ContinuumControl.Runtime.Tests.Fuzzing;

/// <summary>
/// Mutates JSON documents: mostly structurally (a value replaced by an edge value, null, another type, removed or
/// duplicated), sometimes as bytes, so the input reaches the checks behind the JSON parser as well as the parser.
/// </summary>
internal sealed class JsonMutator(int seed)
{
    private static readonly Func<Random, JsonNode?>[] EdgeValues =
    [
        _ => null,
        _ => JsonValue.Create(0),
        _ => JsonValue.Create(-1),
        _ => JsonValue.Create(long.MaxValue),
        _ => JsonValue.Create(long.MinValue),
        _ => JsonValue.Create(int.MaxValue),
        _ => JsonValue.Create(1e308),
        _ => JsonValue.Create(0.5),
        _ => JsonValue.Create(""),
        _ => JsonValue.Create("00:00:00"),
        _ => JsonValue.Create("-10675199.02:48:05.4775808"),
        _ => JsonValue.Create("9999-12-31T23:59:59Z"),
        r => JsonValue.Create(new string('f', r.Next(2) == 0 ? 64 : 32)),
        _ => JsonValue.Create(true),
        _ => new JsonArray(),
        _ => new JsonArray((JsonNode?)null),
        _ => new JsonObject(),
        _ => JsonNode.Parse("""{"index":0,"chunk":"x"}"""),
    ];

    private readonly Random _random = new(seed);
    private readonly ByteMutator _bytes = new(seed);

    public byte[] Mutate(byte[] input)
    {
        if (_random.Next(5) == 0)
        {
            return _bytes.Mutate(input);
        }
        var root = JsonNode.Parse(input);
        for (var rounds = 1 + _random.Next(3); rounds > 0 && root is not null; rounds--)
        {
            root = MutateSomewhere(root);
        }
        return Encoding.UTF8.GetBytes(root?.ToJsonString() ?? "null");
    }

    private JsonNode? MutateSomewhere(JsonNode root)
    {
        var nodes = new List<JsonNode>();
        Collect(root, nodes);
        var target = nodes[_random.Next(nodes.Count)];
        var replacement = EdgeValues[_random.Next(EdgeValues.Length)](_random);
        if (target.Parent is null)
        {
            return replacement;
        }
        switch (target.Parent)
        {
            case JsonObject obj:
                var name = target.GetPropertyName();
                if (_random.Next(4) == 0)
                {
                    obj.Remove(name);
                }
                else
                {
                    obj[name] = replacement;
                }
                break;
            case JsonArray array:
                var index = target.GetElementIndex();
                switch (_random.Next(3))
                {
                    case 0:
                        array.RemoveAt(index);
                        break;
                    case 1:
                        array.Add(target.DeepClone());
                        break;
                    default:
                        array[index] = replacement;
                        break;
                }
                break;
        }
        return root;
    }

    private static void Collect(JsonNode? node, List<JsonNode> nodes)
    {
        if (node is null)
        {
            return;
        }
        nodes.Add(node);
        switch (node)
        {
            case JsonObject obj:
                foreach (var (_, child) in obj)
                {
                    Collect(child, nodes);
                }
                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    Collect(child, nodes);
                }
                break;
        }
    }
}

namespace ContinuumControl.Server.Api;

/// <summary>
/// Reads an enum value from text the way every entry point accepts one: one of its names, in any case. Numbers
/// ("1"), combinations ("Edge, Cloud") and undefined values are refused, so a typo never becomes another value.
/// </summary>
public static class EnumNames
{
    public static bool TryParse<T>(string? text, out T value)
        where T : struct, Enum
    {
        value = default;
        var name = text is null ? null : Enum.GetNames<T>().FirstOrDefault(n => string.Equals(n, text.Trim(), StringComparison.OrdinalIgnoreCase));
        return name is not null && Enum.TryParse(name, out value);
    }

    /// <summary>The names to suggest in an error: "Edge, Cloud".</summary>
    public static string List<T>()
        where T : struct, Enum => string.Join(", ", Enum.GetNames<T>());
}

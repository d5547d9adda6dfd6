using System.Globalization;
using System.Text.RegularExpressions;

namespace ContinuumControl.Bench.Plots;

/// <summary>
/// One pipe table from a harness's <c>--markdown</c> output, found by the text of its first header cell.
/// The harnesses print numbers with thousands separators, ranges ("0.21-0.37") and several figures per cell
/// ("11.4 / 26.4 / 26.4"); <see cref="Number"/> picks the n-th figure of a cell.
/// </summary>
internal sealed partial class MarkdownTable
{
    private readonly string[] _header;

    private MarkdownTable(string[] header, List<string[]> rows)
    {
        _header = header;
        Rows = rows;
    }

    public IReadOnlyList<string[]> Rows { get; }

    /// <summary>The <paramref name="occurrence"/>-th table (from 0) whose first header cell is <paramref name="firstHeaderCell"/>.</summary>
    public static MarkdownTable Read(string path, string firstHeaderCell, int occurrence = 0)
    {
        var lines = File.ReadAllLines(path);
        var starts = lines.Select((l, i) => (l, i))
            .Where(x => x.l.StartsWith('|') && Cells(x.l)[0] == firstHeaderCell && x.i + 1 < lines.Length && lines[x.i + 1].StartsWith("|-", StringComparison.Ordinal))
            .Select(x => x.i).ToList();
        if (occurrence >= starts.Count)
        {
            throw new InvalidDataException($"{path} has no table #{occurrence} whose first column is \"{firstHeaderCell}\"");
        }
        var start = starts[occurrence];
        var rows = lines.Skip(start + 2).TakeWhile(l => l.StartsWith('|')).Select(Cells).ToList();
        return new MarkdownTable(Cells(lines[start]), rows);
    }

    public int Column(string header)
    {
        var index = Array.IndexOf(_header, header);
        return index >= 0 ? index : throw new InvalidDataException($"no column \"{header}\" in [{string.Join(" | ", _header)}]");
    }

    /// <summary>The <paramref name="index"/>-th number in a cell ("1,234.5", "-0.1", "1.03x" and "22%" count).</summary>
    public static double Number(string cell, int index = 0)
    {
        var matches = NumberPattern().Matches(cell);
        if (index >= matches.Count)
        {
            throw new InvalidDataException($"cell \"{cell}\" has no number #{index}");
        }
        return double.Parse(matches[index].Value.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
    }

    private static string[] Cells(string line) =>
        line.Trim().Trim('|').Split('|').Select(c => c.Trim().Replace("**", "", StringComparison.Ordinal)).ToArray();

    // A minus right after a figure joins a range ("0.21-0.37" is 0.21 and 0.37), so it counts as a sign only
    // where no digit precedes it.
    [GeneratedRegex(@"(?<![\d.])-?\d[\d,]*(\.\d+)?")]
    private static partial Regex NumberPattern();
}

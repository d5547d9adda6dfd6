using System.Globalization;

namespace ContinuumControl.Dashboard.Model;

/// <summary>How sizes, times and percentages read on the dashboard.</summary>
public static class DisplayFormat
{
    private static readonly string[] Units = ["B", "KiB", "MiB", "GiB", "TiB"];

    public static string Bytes(long bytes)
    {
        double value = bytes;
        var unit = 0;
        while (Math.Abs(value) >= 1024 && unit < Units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes} B")
            : string.Create(CultureInfo.InvariantCulture, $"{value:0.#} {Units[unit]}");
    }

    /// <summary>"4 s ago", "3 min ago", ... relative to <paramref name="now"/>.</summary>
    public static string Ago(DateTimeOffset at, DateTimeOffset now)
    {
        var elapsed = now - at;
        if (elapsed < TimeSpan.FromSeconds(1))
        {
            return "just now";
        }

        if (elapsed < TimeSpan.FromMinutes(1))
        {
            return string.Create(CultureInfo.InvariantCulture, $"{(int)elapsed.TotalSeconds} s ago");
        }

        if (elapsed < TimeSpan.FromHours(1))
        {
            return string.Create(CultureInfo.InvariantCulture, $"{(int)elapsed.TotalMinutes} min ago");
        }

        if (elapsed < TimeSpan.FromDays(1))
        {
            return string.Create(CultureInfo.InvariantCulture, $"{(int)elapsed.TotalHours} h ago");
        }

        return at.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
    }

    public static string Time(DateTimeOffset? at) =>
        at?.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "—";

    public static string Percent(double value) => string.Create(CultureInfo.InvariantCulture, $"{value:0.#} %");

    /// <summary>Share of <paramref name="part"/> in <paramref name="whole"/> as 0..100.</summary>
    public static double Share(long part, long whole) => whole <= 0 ? 0 : Math.Clamp(100.0 * part / whole, 0, 100);

    /// <summary>"14 ms", "1.25 s", or "—" when not known yet.</summary>
    public static string Milliseconds(double? ms) => ms switch
    {
        null => "—",
        < 1 => string.Create(CultureInfo.InvariantCulture, $"{ms.Value:0.##} ms"),
        < 1000 => string.Create(CultureInfo.InvariantCulture, $"{ms.Value:0.#} ms"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{ms.Value / 1000:0.##} s"),
    };

    /// <summary>"45 s", "12 min", "3.5 h", or "—" when not known.</summary>
    public static string Duration(double? seconds) => seconds switch
    {
        null => "—",
        < 60 => string.Create(CultureInfo.InvariantCulture, $"{seconds.Value:0} s"),
        < 3600 => string.Create(CultureInfo.InvariantCulture, $"{seconds.Value / 60:0} min"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{seconds.Value / 3600:0.#} h"),
    };

    /// <summary>"3.2 W".</summary>
    public static string Watts(double watts) => string.Create(CultureInfo.InvariantCulture, $"{watts:0.#} W");

    public static string ShortHash(string hash) => hash.Length <= 12 ? hash : hash[..12];
}

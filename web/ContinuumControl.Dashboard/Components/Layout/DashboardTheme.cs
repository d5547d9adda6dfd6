using MudBlazor;

namespace ContinuumControl.Dashboard.Components.Layout;

/// <summary>The dashboard's one theme: quiet colours, dense type, as an operations console should be.</summary>
public static class DashboardTheme
{
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#3b4f81",
            // Secondary doubles as the muted text colour of captions and hints.
            Secondary = "#5f6b7a",
            AppbarBackground = "#2d3b61",
            Background = "#f4f5f8",
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "6px" },
    };
}

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
            Secondary = "#5c6bc0",
            AppbarBackground = "#2d3b61",
            Background = "#f4f5f8",
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "6px" },
    };
}

using ContinuumControl.Dashboard.Model;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace ContinuumControl.Dashboard.Components.Controls;

/// <summary>Plots the last <see cref="MaxPoints"/> migrations whose downtime is known, labelled with their table number.</summary>
public sealed partial class DowntimeChart
{
    public const int MaxPoints = 50;

    private readonly BarChartOptions _downtimeOptions = new() { YAxisTitle = "ms", XAxisTitle = "migration #", ShowValues = true, YAxisFormat = "0.#" };
    private readonly LineChartOptions _totalOptions = new() { YAxisTitle = "ms", XAxisTitle = "migration #", ShowDataMarkers = true, YAxisFormat = "0" };
    private string[] _labels = [];
    private List<ChartSeries<double>> _downtime = [];
    private List<ChartSeries<double>> _total = [];

    /// <summary>Migrations oldest first.</summary>
    [Parameter, EditorRequired]
    public IReadOnlyList<MigrationRow> Rows { get; set; } = [];

    protected override void OnParametersSet()
    {
        var measured = Rows.Where(r => r.Migration.DowntimeMs is not null).TakeLast(MaxPoints).ToList();
        _labels = [.. measured.Select(r => $"#{r.Number}")];
        _downtime = [new ChartSeries<double> { Name = "Downtime (ms)", Data = new ChartData<double>([.. measured.Select(r => r.Migration.DowntimeMs ?? 0)]) }];
        _total = [new ChartSeries<double> { Name = "Total (ms)", Data = new ChartData<double>([.. measured.Select(r => r.Migration.TotalMs ?? 0)]) }];
    }
}

using ContinuumControl.Contracts.Api;
using ContinuumControl.Dashboard.Model;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace ContinuumControl.Dashboard.Components.Controls;

/// <summary>
/// Policy-driven migrations (<see cref="MigrationTriggerExtensions.PolicyDriven"/>): a time series of downtime, one series per trigger,
/// and the newest <see cref="MaxEntries"/> as a timeline that says how each ended. Operator and API moves are left out.
/// </summary>
public sealed partial class PolicyMigrationTimeline
{
    public const int MaxEntries = 30;

    private readonly TimeSeriesChartOptions _options = new()
    {
        YAxisTitle = "downtime (ms)",
        ShowDataMarkers = true,
        LineStrokeWidth = 1,
        YAxisFormat = "0.#",
        TimeLabelFormat = "HH:mm",
        TooltipTimeLabelFormat = "HH:mm:ss",
    };

    private List<MigrationDto> _migrations = [];
    private List<ChartSeries<double>> _series = [];

    /// <summary>Migrations of any trigger, in any order.</summary>
    [Parameter, EditorRequired]
    public IEnumerable<MigrationDto> Migrations { get; set; } = [];

    protected override void OnParametersSet()
    {
        _migrations = [.. Migrations.Where(m => m.Trigger.IsPolicyDriven).OrderByDescending(m => m.RequestedAt).ThenByDescending(m => m.Id)];
        var measured = _migrations.Where(m => m.DowntimeMs is not null).ToList();
        _series = [.. MigrationTriggerExtensions.PolicyDriven
            .Select(trigger => (Trigger: trigger, Points: measured.Where(m => m.Trigger == trigger).OrderBy(m => m.RequestedAt).ToList()))
            .Where(s => s.Points.Count > 0)
            .Select(s => new ChartSeries<double>
            {
                Name = s.Trigger.ToString(),
                Data = new ChartData<double>([.. s.Points.Select(m => (m.RequestedAt.LocalDateTime, m.DowntimeMs ?? 0))]),
            })];
        if (measured.Count > 0)
        {
            var span = measured.Max(m => m.RequestedAt) - measured.Min(m => m.RequestedAt);
            _options.TimeLabelSpacing = LabelSpacing(span);
        }
    }

    // About six labels along the axis, on whole minutes.
    private static TimeSpan LabelSpacing(TimeSpan span) =>
        TimeSpan.FromMinutes(Math.Max(1, Math.Ceiling(span.TotalMinutes / 6)));
}

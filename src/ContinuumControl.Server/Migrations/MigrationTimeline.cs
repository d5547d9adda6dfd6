using ContinuumControl.Contracts.Agents;
using ContinuumControl.Domain.Migrations;

namespace ContinuumControl.Server.Migrations;

/// <summary>
/// What one migration's run noted for its telemetry as it went: the moments of the pause (the agents' and the control
/// plane's, see <see cref="MigrationStepNames"/>), the pre-copy round and the bytes moved in each phase.
/// </summary>
public sealed class MigrationTimeline
{
    private readonly Dictionary<string, DateTimeOffset> _moments = new(StringComparer.Ordinal);
    private readonly Dictionary<MigrationPhase, long> _bytes = [];
    private readonly Lock _lock = new();

    /// <summary>The pre-copy round (source checkpoint while running, target prefetch), when there was one.</summary>
    public (DateTimeOffset Start, DateTimeOffset End)? PreCopy { get; private set; }

    public void Moments(IReadOnlyDictionary<string, DateTimeOffset>? moments)
    {
        lock (_lock)
        {
            foreach (var (step, at) in moments ?? new Dictionary<string, DateTimeOffset>())
            {
                _moments[step] = at;
            }
        }
    }

    public void Moment(string step, DateTimeOffset at)
    {
        lock (_lock)
        {
            _moments[step] = at;
        }
    }

    public void PreCopied(DateTimeOffset start, DateTimeOffset end) => PreCopy = (start, end);

    public void Moved(MigrationPhase phase, long bytes)
    {
        lock (_lock)
        {
            _bytes[phase] = _bytes.GetValueOrDefault(phase) + bytes;
        }
    }

    public long BytesIn(MigrationPhase phase)
    {
        lock (_lock)
        {
            return _bytes.GetValueOrDefault(phase);
        }
    }

    /// <summary>
    /// The pause step by step: each moment present, in <see cref="MigrationStepNames.InOrder"/>, after the first
    /// lasts from the moment before it. A step the agents' clocks make negative counts as zero.
    /// </summary>
    public IReadOnlyList<(string Step, TimeSpan Duration)> Breakdown()
    {
        lock (_lock)
        {
            var steps = new List<(string, TimeSpan)>();
            DateTimeOffset? previous = null;
            foreach (var step in MigrationStepNames.InOrder)
            {
                if (!_moments.TryGetValue(step, out var at))
                {
                    continue;
                }
                if (previous is { } p)
                {
                    steps.Add((step, at > p ? at - p : TimeSpan.Zero));
                }
                previous = at;
            }
            return steps;
        }
    }
}

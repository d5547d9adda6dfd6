namespace ContinuumControl.Scheduling.Configuration;

/// <summary>The scheduler settings are wrong; <see cref="Problems"/> lists each, naming its key.</summary>
public sealed class SchedulerConfigurationException(IReadOnlyList<string> problems)
    : Exception(string.Join(Environment.NewLine, problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}

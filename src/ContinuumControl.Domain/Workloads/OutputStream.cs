namespace ContinuumControl.Domain.Workloads;

/// <summary>Which of a workload's standard streams a piece of output belongs to.</summary>
public enum OutputStream
{
    Stdout,
    Stderr,
}

namespace ContinuumControl.Runtime.Admission;

/// <summary>A module the platform will not run, with the reason in words a user can act on.</summary>
public class ModuleRejectedException(string reason) : Exception(reason)
{
    public string Reason { get; } = reason;
}

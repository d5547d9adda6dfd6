namespace ContinuumControl.Runtime.Execution;

/// <summary>A host directory the guest sees at <paramref name="GuestPath"/>. The volume name travels in checkpoints; each node maps it to its own host path.</summary>
public sealed record PreopenedDirectory(string Volume, string HostPath, string GuestPath);

namespace ContinuumControl.Runtime.Execution;

/// <summary>Where the time of one restore went, from <c>RestoreAsync</c> until the workload runs guest code again.</summary>
/// <param name="Verify">Fetching, decompressing and hash-checking the chunks, straight into linear memory (with a staged instance only the changed pages).</param>
/// <param name="Compile">Compiling the module, or loading it from the precompiled cache (zero with a staged instance).</param>
/// <param name="Instantiate">Creating the store, WASI context and instance (zero with a staged instance).</param>
/// <param name="ApplyState">Writing globals and the call-stack buffer's position.</param>
/// <param name="Rewind">Rewinding the saved call stack until the guest continues after its safe point.</param>
public sealed record RestoreTiming(TimeSpan Verify, TimeSpan Compile, TimeSpan Instantiate, TimeSpan ApplyState, TimeSpan Rewind)
{
    /// <summary>Restore request until guest code runs again (the target side of migration downtime).</summary>
    public TimeSpan Total => Verify + Compile + Instantiate + ApplyState + Rewind;

    /// <summary>True when a <see cref="StagedRestore"/> was taken over: no compile or instantiation, and only changed pages were written.</summary>
    public bool Staged { get; init; }
}

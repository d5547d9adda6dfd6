namespace ContinuumControl.Domain.Migrations;

/// <summary>Where a migration is: Requested -> Preparing -> Checkpointing -> Transferring -> Restoring -> Completed, or Aborted / Failed.</summary>
public enum MigrationPhase
{
    Requested,

    /// <summary>The target fetches and compiles the module (and, with pre-copy, the memory copied while the workload runs).</summary>
    Preparing,

    /// <summary>The source pauses at its next safe point and captures its state into the chunk store.</summary>
    Checkpointing,

    /// <summary>The target fetches the chunks it lacks.</summary>
    Transferring,

    /// <summary>The target restores the state and starts running.</summary>
    Restoring,
    Completed,

    /// <summary>Given up before the commit: the source resumed, nothing was lost.</summary>
    Aborted,

    /// <summary>Given up and the source could not resume either (e.g. it was lost too).</summary>
    Failed,
}

/// <summary>Who asked for a migration.</summary>
public enum MigrationTrigger
{
    Operator,
    Api,
    Drain,
    Policy,
    Rebalance,
    Offload,
    EnergyLow,
}

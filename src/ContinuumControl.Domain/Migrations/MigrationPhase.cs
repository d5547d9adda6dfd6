namespace ContinuumControl.Domain.Migrations;

/// <summary>Where a migration is: Requested -> Preparing -> Checkpointing -> Transferring -> Restoring -> Completed, or Aborted / Failed / Superseded.</summary>
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

    /// <summary>
    /// Given up and the source could not resume (it was lost, or its agent restarted): the workload is recovered like a
    /// lost node's, from its last checkpoint or from the beginning, on the node the scheduler picks.
    /// </summary>
    Failed,

    /// <summary>Nothing left to move: the workload finished (completed, failed or was stopped) before it could move.</summary>
    Superseded,
}

/// <summary>What a <see cref="MigrationPhase"/> means: the one definition of a finished migration.</summary>
public static class MigrationPhaseExtensions
{
    extension(MigrationPhase phase)
    {
        /// <summary>Completed, Aborted, Failed or Superseded: the migration will not change any more.</summary>
        public bool IsFinished => phase >= MigrationPhase.Completed;
    }
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

/// <summary>What a <see cref="MigrationTrigger"/> means.</summary>
public static class MigrationTriggerExtensions
{
    /// <summary>The triggers of migrations the control plane started on its own (a drain or a policy), in display order.</summary>
    public static IReadOnlyList<MigrationTrigger> PolicyDriven { get; } =
        [MigrationTrigger.Drain, MigrationTrigger.Policy, MigrationTrigger.Rebalance, MigrationTrigger.Offload, MigrationTrigger.EnergyLow];

    extension(MigrationTrigger trigger)
    {
        /// <summary>True for a migration no person asked for directly (not a dashboard drop or an API call).</summary>
        public bool IsPolicyDriven => trigger is not (MigrationTrigger.Operator or MigrationTrigger.Api);
    }
}

namespace ContinuumControl.Agent.Scheduling;

/// <summary>What the local scheduler wants done to one workload; the adapter carries it out in order.</summary>
/// <param name="Key">The scheduler's key of the workload (one per placement generation the node holds).</param>
public abstract record SchedulerDecision(Guid Key);

/// <summary>It waits for a slot or memory: report it Queued with <paramref name="Reason"/>.</summary>
public sealed record QueueDecision(Guid Key, string Reason) : SchedulerDecision(Key);

/// <summary>Run a queued workload for the first time.</summary>
public sealed record StartDecision(Guid Key) : SchedulerDecision(Key);

/// <summary>Pause a running workload at its next safe point and keep it in memory.</summary>
public sealed record SuspendDecision(Guid Key, string Reason) : SchedulerDecision(Key);

/// <summary>Let a suspended workload continue.</summary>
public sealed record ResumeDecision(Guid Key) : SchedulerDecision(Key);

/// <summary>A queued workload waited longer than the offload delay: ask the control plane to place it elsewhere.</summary>
public sealed record OffloadDecision(Guid Key, string Reason);

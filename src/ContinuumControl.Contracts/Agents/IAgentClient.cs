namespace ContinuumControl.Contracts.Agents;

/// <summary>Commands the server pushes to an agent.</summary>
public interface IAgentClient
{
    Task StartWorkload(StartWorkloadCommand command);

    Task StopWorkload(StopWorkloadCommand command);

    Task PrepareMigration(PrepareMigrationCommand command);

    Task CheckpointWorkload(CheckpointWorkloadCommand command);

    Task PrefetchChunks(PrefetchChunksCommand command);

    Task RestoreWorkload(RestoreWorkloadCommand command);

    Task ResumeWorkload(WorkloadRef workload);

    Task DiscardWorkload(WorkloadRef workload);

    Task RecoverWorkload(RecoverWorkloadCommand command);

    /// <summary>
    /// The node's credential is being rotated: the agent keeps <see cref="RotateCredentialCommand.NodeCredential"/> and
    /// answers true once it is saved; only then does the control plane replace the old one (a client result).
    /// </summary>
    Task<bool> RotateCredential(RotateCredentialCommand command);
}

/// <summary>A node's new credential, sent over its live connection.</summary>
public sealed record RotateCredentialCommand(string NodeCredential);

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
}

namespace ContinuumControl.Contracts.Agents;

/// <summary>Calls an agent makes on the server's agent hub.</summary>
public interface IAgentHub
{
    Task<RegisterResult> Register(RegisterRequest request);

    Task<HeartbeatAck> Heartbeat(Heartbeat heartbeat);

    Task ReportStatus(WorkloadStatusReport report);

    Task AppendOutput(OutputAppend output);

    Task ReportMigration(MigrationReport report);

    Task<CheckpointAck> ReportCheckpoint(CheckpointReport report);

    Task RequestOffload(OffloadRequest request);

    Task ReportOutboxDropped(OutboxDropReport report);
}

namespace ContinuumControl.Contracts.Agents;

/// <summary>Commands the server pushes to an agent.</summary>
public interface IAgentClient
{
    Task StartWorkload(StartWorkloadCommand command);

    Task StopWorkload(StopWorkloadCommand command);
}

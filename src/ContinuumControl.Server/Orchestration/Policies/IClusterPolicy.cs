namespace ContinuumControl.Server.Orchestration.Policies;

/// <summary>A cluster policy: looks at the cluster and creates evaluations that may migrate work. Runs as a Hangfire recurring job.</summary>
public interface IClusterPolicy
{
    /// <summary>Rebalance, Drain, Offload, EnergyLow or NodeDown: the key under Orchestration:Policies and in the API.</summary>
    string Name { get; }

    string Description { get; }

    /// <summary>Does one round; returns what it did, in words for the operator.</summary>
    Task<string> RunAsync(CancellationToken cancellationToken);
}

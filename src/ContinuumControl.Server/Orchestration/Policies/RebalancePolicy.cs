using ContinuumControl.Scheduling;
using ContinuumControl.Domain.Orchestration;

namespace ContinuumControl.Server.Orchestration.Policies;

/// <summary>Spreads load when nodes drift apart by more than the threshold; hysteresis and caps live in the scheduler's Rebalance options.</summary>
public sealed class RebalancePolicy(EvaluationBroker broker) : IClusterPolicy
{
    public string Name => "Rebalance";

    public string Description => "Moves work from the most to the least loaded nodes when their load differs by more than the threshold, without ping-pong (hysteresis, cooldown) and with caps on concurrent migrations.";

    public async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        var record = await broker.EvaluateAsync(EvaluationSummary.New(EvaluationTrigger.Rebalance, "periodic rebalance"), cancellationToken);
        return EvaluationSummary.Of([record], "balanced");
    }
}

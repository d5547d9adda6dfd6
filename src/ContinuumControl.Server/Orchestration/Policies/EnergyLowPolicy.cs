using ContinuumControl.Scheduling;
using ContinuumControl.Domain.Orchestration;

namespace ContinuumControl.Server.Orchestration.Policies;

/// <summary>Moves work off energy-harvesting nodes whose store runs low, before they must suspend it.</summary>
public sealed class EnergyLowPolicy(EvaluationBroker broker) : IClusterPolicy
{
    public string Name => "EnergyLow";

    public string Description => "Migrates workloads away from energy-harvesting nodes whose stored energy or time left falls under the EnergyFloor, instead of letting the node suspend them.";

    public async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        var record = await broker.EvaluateAsync(EvaluationSummary.New(EvaluationTrigger.EnergyLow, "energy check of harvesting nodes"), cancellationToken);
        return EvaluationSummary.Of([record], "no node low on energy");
    }
}

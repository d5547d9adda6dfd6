using ContinuumControl.Scheduling;
using ContinuumControl.Scheduling.Configuration;
using ContinuumControl.Server.Configuration;
using ContinuumControl.Server.Orchestration.Policies;

namespace ContinuumControl.Server.Orchestration;

/// <summary>Reads and validates the orchestration settings at start-up and registers the scheduler, the broker and the policies.</summary>
public static class OrchestrationSetup
{
    /// <summary>Binds "Orchestration"; every problem (an unknown filter or scorer, a bad schedule) stops the start with its key named.</summary>
    public static (OrchestrationOptions Orchestration, SchedulerOptions Scheduler, SchedulerConfiguration Configuration) Read(IConfiguration configuration)
    {
        var orchestration = configuration.GetSection(OrchestrationOptions.Section).Get<OrchestrationOptions>() ?? new OrchestrationOptions();
        var scheduler = configuration.GetSection(SchedulerOptions.Section).Get<SchedulerOptions>() ?? new SchedulerOptions();
        var problems = orchestration.Validate().ToList();
        SchedulerConfiguration? built = null;
        try
        {
            built = SchedulerConfiguration.Build(scheduler);
        }
        catch (SchedulerConfigurationException ex)
        {
            problems.Add(ex.Message);
        }
        if (problems.Count > 0)
        {
            throw new InvalidOperationException($"The orchestration settings are not valid:{Environment.NewLine} - {string.Join($"{Environment.NewLine} - ", problems)}");
        }
        return (orchestration, scheduler, built!);
    }

    public static IServiceCollection AddOrchestration(this IServiceCollection services, OrchestrationOptions orchestration, SchedulerOptions schedulerOptions, SchedulerConfiguration configuration)
    {
        services.AddSingleton(orchestration);
        services.AddSingleton(schedulerOptions);
        services.AddSingleton(configuration);
        services.AddSingleton<Scheduler>();
        services.AddSingleton<SnapshotReader>();
        services.AddSingleton<OrchestrationTelemetry>();
        services.AddSingleton<PlanCommitter>();
        services.AddSingleton<EvaluationBroker>();
        services.AddSingleton<OffloadRequests>();
        services.AddSingleton<OperatorMoves>();
        services.AddSingleton<IClusterPolicy, RebalancePolicy>();
        services.AddSingleton<IClusterPolicy, DrainPolicy>();
        services.AddSingleton<IClusterPolicy, OffloadPolicy>();
        services.AddSingleton<IClusterPolicy, EnergyLowPolicy>();
        services.AddSingleton<IClusterPolicy, NodeDownPolicy>();
        services.AddSingleton<PolicyRunner>();
        return services;
    }

    /// <summary>Policies that react to events run at once instead of waiting for their next tick.</summary>
    public static void WireTriggers(IServiceProvider services)
    {
        var runner = services.GetRequiredService<PolicyRunner>();
        services.GetRequiredService<OffloadRequests>().Arrived += () => runner.TriggerNow("Offload");
    }
}

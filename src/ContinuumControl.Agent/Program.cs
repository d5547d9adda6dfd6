using ContinuumControl.Agent.Connection;
using ContinuumControl.Agent.Scheduling;
using ContinuumControl.Agent.Workloads;
using ContinuumControl.Runtime;
using ContinuumControl.Runtime.Execution;
using ContinuumControl.Runtime.Checkpoints;
using ContinuumControl.Agent.Checkpoints;

namespace ContinuumControl.Agent;

/// <summary>The node agent process. (Not top-level statements: the server references this assembly and has its own Program.)</summary>
public static class AgentProgram
{
    public static async Task<int> Main(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddEnvironmentVariables("CONTINUUM_");
        builder.Configuration.AddCommandLine(args);
        var options = builder.Configuration.GetSection(AgentOptions.Section).Get<AgentOptions>() ?? new AgentOptions();
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            await Console.Error.WriteLineAsync($"The agent cannot start:{Environment.NewLine}  - {string.Join($"{Environment.NewLine}  - ", problems)}");
            return 2;
        }

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<NodeCredentialFile>();
        builder.Services.AddHttpClient();
        // Created now, not on first use: its warm-up (RuntimeWarmUp) then runs while the agent connects, so the first
        // checkpoint or restore does not pay for compiling their code.
        var engine = RuntimeEngine.Create(epochBackstop: options.EngineBackstopSeconds > 0);
        builder.Services.AddSingleton(_ => engine);
        var data = Path.GetFullPath(options.DataDirectory);
        var time = TimeProvider.System;
        builder.Services.AddSingleton(time);
        AgentTelemetry.Add(builder.Services, builder.Configuration, options);
        builder.Services.AddSingleton(new WorkloadOptions
        {
            Time = time,
            PrecompiledCache = new PrecompiledModuleCache(Path.Combine(data, "precompiled")),
            Volumes = options.VolumeDirectories,
            EngineBackstop = options.EngineBackstopSeconds > 0 ? TimeSpan.FromSeconds(options.EngineBackstopSeconds) : null,
        });
        builder.Services.AddSingleton<ControlPlaneChunkStore>();
        builder.Services.AddSingleton(sp => new CachingChunkStore(new FileChunkStore(Path.Combine(data, "chunks")), sp.GetRequiredService<ControlPlaneChunkStore>()));
        builder.Services.AddSingleton<LocalSchedulerAdapter>();
        builder.Services.AddSingleton<PeriodicCheckpoints>();
        builder.Services.AddSingleton<CheckpointRestorer>();
        builder.Services.AddSingleton<WorkloadRecovery>();
        builder.Services.AddSingleton<MigrationParticipant>();
        builder.Services.AddSingleton<ModuleCache>();
        builder.Services.AddSingleton<Outbox>();
        builder.Services.AddSingleton<WorkloadHost>();
        builder.Services.AddHostedService<AgentConnection>();
        await builder.Build().RunAsync();
        return 0;
    }
}

using ContinuumControl.Agent.Connection;
using ContinuumControl.Agent.Workloads;
using ContinuumControl.Runtime;
using ContinuumControl.Runtime.Execution;

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
        builder.Services.AddHttpClient();
        builder.Services.AddSingleton(_ => RuntimeEngine.Create());
        builder.Services.AddSingleton<WorkloadRunner>();
        builder.Services.AddSingleton<ModuleCache>();
        builder.Services.AddSingleton<Outbox>();
        builder.Services.AddSingleton<WorkloadHost>();
        builder.Services.AddHostedService<AgentConnection>();
        await builder.Build().RunAsync();
        return 0;
    }
}

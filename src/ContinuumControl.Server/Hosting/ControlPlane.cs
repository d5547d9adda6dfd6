using ContinuumControl.Contracts;
using ContinuumControl.Dashboard.ServiceClient;
using ContinuumControl.Persistence.Modules;
using ContinuumControl.Runtime;
using ContinuumControl.Runtime.Admission;
using ContinuumControl.Scheduling;
using ContinuumControl.Server.AgentSessions;
using ContinuumControl.Server.Agents;
using ContinuumControl.Server.Api;
using ContinuumControl.Server.Checkpoints;
using ContinuumControl.Server.Configuration;
using ContinuumControl.Server.Jobs;
using ContinuumControl.Server.Live;
using ContinuumControl.Server.Migrations;
using ContinuumControl.Runtime.Instrumentation;
using ContinuumControl.Runtime.Checkpoints;
using ContinuumControl.Server.Modules;
using ContinuumControl.Server.Nodes;
using ContinuumControl.Server.Orchestration;
using ContinuumControl.Server.Persistence;
using ContinuumControl.Server.Recovery;
using ContinuumControl.Server.Security;
using ContinuumControl.Server.Telemetry;
using ContinuumControl.Server.Workloads;
using Scalar.AspNetCore;

namespace ContinuumControl.Server.Hosting;

/// <summary>Composes the control plane: services, middleware and endpoints.</summary>
public static class ControlPlane
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = Directory.GetCurrentDirectory() });
        // Defaults ship beside the binary (the repository's appsettings.json), so the server runs from any folder.
        builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Json.JsonConfigurationSource
        {
            FileProvider = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(AppContext.BaseDirectory),
            Path = "appsettings.json",
            Optional = true,
            ReloadOnChange = false,
        });
        builder.Configuration.AddEnvironmentVariables("CONTINUUM_");
        builder.WebHost.UseStaticWebAssets();
        var server = builder.Configuration.GetSection(ServerOptions.Section).Get<ServerOptions>() ?? new ServerOptions();
        var database = builder.Configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var urls = builder.Configuration["urls"] ?? builder.Configuration["ASPNETCORE_URLS"] ?? "";
        if (string.IsNullOrEmpty(urls))
        {
            urls = builder.Configuration["Server:Urls"] ?? "http://127.0.0.1:5080";
            builder.WebHost.UseUrls(urls);
        }
        var (https, proxy) = TransportSecurity.Configure(builder, urls);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = server.MaxModuleBytes + (1024 * 1024));
        var (orchestration, schedulerOptions, schedulerConfiguration) = OrchestrationSetup.Read(builder.Configuration);

        var services = builder.Services;
        services.AddSingleton(server);
        services.AddSingleton(database);
        services.AddSingleton(TimeProvider.System);
        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemMapping>();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddOpenApi(o => o.AddSchemaTransformer<EnumSchemaTransformer>());
        // Cookies are Secure on HTTPS requests, and always once the server has a certificate (no cookie leaks over HTTP).
        var secureCookies = https.Enabled ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
        services.AddAntiforgery(o => o.Cookie.SecurePolicy = secureCookies);
        services.AddControlPlaneDatabase(database, server);
        services.AddControlPlaneAuth(secureCookies);
        services.AddControlPlaneRateLimits(server.RateLimits);
        services.AddControlPlaneJobs(database);
        services.AddControlPlaneTelemetry(builder.Configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions());
        // Agents send checkpoint manifests through the hub: at the largest memory a workload may have (4 GiB, 65,536
        // pages of about 150 bytes of JSON each, escaped inside the message) plus a migration's inline chunks (1 MiB as
        // base64) that is about 11.5 MB.
        services.AddSignalR(o => o.MaximumReceiveMessageSize = 16 * 1024 * 1024);

        // Admission only compiles modules: no checkpoints or restores here, so no warm-up of their code paths.
        services.AddSingleton(_ => RuntimeEngine.Create(warmUp: false));
        services.AddSingleton<ModuleInspector>();
        var runtime = builder.Configuration.GetSection("Runtime");
        services.AddSingleton(new ModuleInstrumenter(new InstrumentationOptions
        {
            WasmOptPath = runtime["WasmOptPath"] ?? Environment.GetEnvironmentVariable("CONTINUUM_WASM_OPT") ?? "wasm-opt",
            CacheDirectory = runtime["InstrumentationCacheDirectory"] ?? Path.Combine(server.FullDataDirectory, "instrumented"),
        }));
        services.AddSingleton(sp => new WriteBehindChunkStore(new FileChunkStore(Path.Combine(server.FullDataDirectory, "chunks")),
            sp.GetRequiredService<ILogger<WriteBehindChunkStore>>()));
        services.AddSingleton<IChunkStore>(sp => sp.GetRequiredService<WriteBehindChunkStore>());
        services.AddHostedService(sp => sp.GetRequiredService<WriteBehindChunkStore>());
        services.AddSingleton(builder.Configuration.GetSection(MigrationOptions.Section).Get<MigrationOptions>() ?? new MigrationOptions());
        services.AddSingleton<MigrationTelemetry>();
        services.AddSingleton<MigrationSteps>();
        services.AddSingleton<MigrationCoordinator>();
        services.AddSingleton<NodeDrain>();
        services.AddSingleton<IModuleStore>(new FileModuleStore(Path.Combine(server.FullDataDirectory, "modules")));
        services.AddSingleton<InstrumentationQueue>();
        services.AddSingleton<ModuleAdmission>();
        services.AddOrchestration(orchestration, schedulerOptions, schedulerConfiguration);
        services.AddSingleton<ClusterEvents>();
        services.AddSingleton<AgentConnections>();
        services.AddSingleton<NodeTelemetry>();
        services.AddSingleton<NodeFetchGrants>();
        services.AddSingleton<NodeCredentials>();
        services.AddSingleton<IAgentClients, HubAgentClients>();
        services.AddSingleton<NodeAdmission>();
        services.AddSingleton<Reconciliation>();
        services.AddSingleton<NodeRegistration>();
        services.AddSingleton<CurrentCopies>();
        services.AddSingleton<WorkloadReports>();
        services.AddSingleton<AgentCommands>();
        services.AddSingleton<HeartbeatAbsorber>();
        services.AddSingleton<HeartbeatFlushService>();
        services.AddHostedService(sp => sp.GetRequiredService<HeartbeatFlushService>());
        services.AddHostedService<NodeLivenessSweeper>();
        services.AddHostedService<LocalAgentLauncher>();
        services.AddSingleton<WorkloadTelemetry>();
        services.AddSingleton<OutputLog>();
        services.AddSingleton<WorkloadLifecycle>();
        services.AddSingleton<RunRecovery>();
        services.AddHostedService<RestartSweeper>();
        services.AddScoped<IControlPlaneClient, ControlPlaneClient>();
        services.AddScoped<INodeCredentialsClient, NodeCredentialsClient>();
        DashboardHosting.AddServices(services);

        var app = builder.Build();
        TransportSecurity.Use(app, https, proxy);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthFailureGate();
        app.UseAuthentication();
        app.UseAuthorization();
        // After authorization, so an upload without a valid token is a 401 and does not spend the client's budget.
        app.UseRateLimiter();
        app.UseAntiforgery();

        app.MapGet(Routes.Health, () => TypedResults.Ok(new { status = "ok" })).AllowAnonymous().ExcludeFromDescription();
        app.MapOpenApi().AllowAnonymous();
        app.MapScalarApiReference(o => o.WithTitle("ContinuumControl API")).AllowAnonymous();
        app.MapNodesApi();
        app.MapNodeCredentialsApi();
        app.MapModulesApi();
        app.MapWorkloadsApi();
        app.MapTokensApi();
        app.MapChunksApi();
        app.MapMigrationsApi();
        app.MapMovesApi();
        app.MapOrchestrationApi();
        app.MapMetrics();
        app.MapLoginApi();
        app.MapHub<AgentHub>(Routes.AgentHub);
        DashboardHosting.Map(app);
        return app;
    }

    /// <summary>Migrates the database, ensures a sign-in token, registers samples and schedules jobs before serving.</summary>
    public static async Task PrepareAsync(WebApplication app)
    {
        await app.Services.MigrateDatabaseAsync();
        await app.Services.GetRequiredService<MigrationCoordinator>().AbortInterruptedAsync(CancellationToken.None);
        var server = app.Services.GetRequiredService<ServerOptions>();
        var signIn = await BootstrapToken.EnsureAsync(app.Services, app.Services.GetRequiredService<TimeProvider>());
        if (server.RegisterSamples)
        {
            await SampleModules.RegisterAsync(app.Services, app.Logger);
        }
        app.UseControlPlaneJobs();
        OrchestrationSetup.WireTriggers(app.Services);
        StartupBanner.PrintWhenStarted(app, signIn);
    }
}

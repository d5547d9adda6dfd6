using ContinuumControl.Server.Configuration;
using Hangfire;
using Hangfire.Dashboard;
using Hangfire.PostgreSql;

namespace ContinuumControl.Server.Jobs;

/// <summary>Hangfire for background and recurring jobs: in-memory storage by default, PostgreSQL with the Postgres provider.</summary>
public static class JobsSetup
{
    public static IServiceCollection AddControlPlaneJobs(this IServiceCollection services, DatabaseOptions database)
    {
        services.AddHangfire(config =>
        {
            config.SetDataCompatibilityLevel(CompatibilityLevel.Version_180).UseSimpleAssemblyNameTypeSerializer().UseRecommendedSerializerSettings();
            if (database.IsPostgres)
            {
                // Workers poll PostgreSQL for queued jobs every 15 s by default; policies run on second schedules.
                config.UsePostgreSqlStorage(o => o.UseNpgsqlConnection(database.ConnectionString), new PostgreSqlStorageOptions { QueuePollInterval = TimeSpan.FromSeconds(1) });
            }
            else
            {
                config.UseInMemoryStorage();
            }
        });
        // Policies run on second-granularity schedules ("*/10 * * * * *"); Hangfire polls for due jobs every 15 s unless told.
        services.AddHangfireServer(o =>
        {
            o.WorkerCount = 4;
            o.SchedulePollingInterval = TimeSpan.FromSeconds(1);
        });
        services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.Section).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<RetentionOptions>, ValidateRetentionOptions>();
        services.AddTransient<RetentionJob>();
        return services;
    }

    public static WebApplication UseControlPlaneJobs(this WebApplication app)
    {
        app.MapHangfireDashboard("/hangfire", new DashboardOptions { Authorization = [new SignedInFilter()], AppPath = "/" })
            .RequireAuthorization(Security.AuthSchemes.AdminPolicy);
        // Reading the options validates them: bad retention settings stop the start here, naming the key.
        var retention = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<RetentionOptions>>().Value;
        app.Services.GetRequiredService<IRecurringJobManager>()
            .AddOrUpdate<RetentionJob>(RetentionJob.Id, job => job.RunAsync(), retention.Schedule);
        app.Services.GetRequiredService<Orchestration.Policies.PolicyRunner>().Schedule(app.Services.GetRequiredService<IRecurringJobManager>());
        return app;
    }

    /// <summary>Hangfire's default filter admits local requests only; we admit whoever passed the endpoint's policy.</summary>
    private sealed class SignedInFilter : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) => context.GetHttpContext().User.Identity?.IsAuthenticated == true;
    }
}

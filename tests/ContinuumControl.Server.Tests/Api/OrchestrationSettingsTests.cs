using ContinuumControl.Server.Tests.Fixtures;
using Microsoft.AspNetCore.Hosting;

namespace ContinuumControl.Server.Tests.Api;

/// <summary>Wrong orchestration settings stop the control plane at start-up with every problem named by its key.</summary>
public sealed class OrchestrationSettingsTests
{
    private sealed class MisconfiguredFactory : SqliteControlPlaneFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Orchestration:Scheduler:Scorers:Cheapest", "1");
            builder.UseSetting("Orchestration:Scheduler:Filters:0", "Gpu");
            builder.UseSetting("Orchestration:Policies:Rebalance:Schedule", "every minute");
        }
    }

    [Fact]
    public async Task Start_WithUnknownNamesAndABadSchedule_FailsNamingEachKey()
    {
        await using var factory = new MisconfiguredFactory();

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        var message = error.ToString();
        Assert.Contains("Orchestration:Scheduler:Scorers:Cheapest is not a known scorer", message);
        Assert.Contains("Orchestration:Scheduler:Filters:0 'Gpu' is not a known filter", message);
        Assert.Contains("Orchestration:Policies:Rebalance:Schedule 'every minute' is not a cron expression", message);
    }
}

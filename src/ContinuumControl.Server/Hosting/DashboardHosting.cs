namespace ContinuumControl.Server.Hosting;

/// <summary>Hosts the Blazor dashboard (web/ContinuumControl.Dashboard) in the server.</summary>
public static class DashboardHosting
{
    public static void AddServices(IServiceCollection services)
    {
    }

    public static void Map(WebApplication app)
    {
    }
}

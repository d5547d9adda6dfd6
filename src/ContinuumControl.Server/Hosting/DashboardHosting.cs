using ContinuumControl.Dashboard;
using ContinuumControl.Dashboard.Components;

namespace ContinuumControl.Server.Hosting;

/// <summary>Hosts the Blazor dashboard (web/ContinuumControl.Dashboard) in the server, behind the cookie login.</summary>
public static class DashboardHosting
{
    public static void AddServices(IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddDashboard();
    }

    public static void Map(WebApplication app)
    {
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
    }
}

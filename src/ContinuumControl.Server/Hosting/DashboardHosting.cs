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
        // Circuits re-check their token periodically (a revoked token's open pages are signed out).
        services.AddScoped<Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider, Live.SessionRevalidation>();
    }

    public static void Map(WebApplication app)
    {
        // Stylesheets, scripts and the favicon are the same for everyone and the sign-in page needs them.
        app.MapStaticAssets().AllowAnonymous();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
    }
}

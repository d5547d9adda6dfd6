using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MudBlazor;
using MudBlazor.Services;

namespace ContinuumControl.Dashboard;

/// <summary>Registers what the dashboard's components need. The host adds Razor components, authentication and an <see cref="ServiceClient.IControlPlaneClient"/>.</summary>
public static class DashboardServiceCollectionExtensions
{
    /// <summary>Adds MudBlazor, the cascading authentication state and a <see cref="TimeProvider"/> (if none is registered).</summary>
    public static IServiceCollection AddDashboard(this IServiceCollection services)
    {
        services.AddMudServices(options =>
        {
            options.SnackbarConfiguration.PositionClass = Defaults.Classes.Position.BottomRight;
            options.SnackbarConfiguration.VisibleStateDuration = 6000;
            options.SnackbarConfiguration.PreventDuplicates = false;
        });
        services.AddCascadingAuthenticationState();
        services.AddAuthorizationCore();
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }
}

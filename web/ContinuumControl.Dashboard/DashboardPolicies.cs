using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;

namespace ContinuumControl.Dashboard;

/// <summary>
/// Authorization policies the dashboard asks about to hide what the signed-in user may not do. The host registers them
/// (ContinuumControl.Server maps <see cref="Change"/> to the API token's write scope) and enforces them again in its
/// <see cref="ServiceClient.IControlPlaneClient"/>: hiding is for the user's sake, not the protection.
/// </summary>
public static class DashboardPolicies
{
    /// <summary>Deploy, stop, delete, pin, migrate, cordon, drain, pause and run policies.</summary>
    public const string Change = "write";

    /// <summary>Whether the user may change the cluster; false when no authentication state is there to ask.</summary>
    public static async Task<bool> MayChangeAsync(Task<AuthenticationState>? state, IAuthorizationService authorization)
    {
        if (state is null)
        {
            return false;
        }
        var user = (await state).User;
        return (await authorization.AuthorizeAsync(user, null, Change)).Succeeded;
    }
}

using ContinuumControl.Server.Security;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace ContinuumControl.Server.Hosting;

/// <summary>Tells a new user where to go and how to sign in, once the server listens.</summary>
public static class StartupBanner
{
    public static void PrintWhenStarted(WebApplication app, BootstrapSignIn signIn)
    {
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "";
            var token = signIn.NewToken is { } created ? $"{created}{Environment.NewLine}                   ({signIn.Where})" : signIn.Where;
            Console.WriteLine($"""

                ContinuumControl control plane is running.
                  Dashboard:       {url}/
                  API reference:   {url}/scalar/v1   (OpenAPI: {url}/openapi/v1.json)
                  Sign in with:    {token}
                  Try it:          curl -H "Authorization: Bearer <token>" {url}/api/nodes

                """);
        });
    }
}

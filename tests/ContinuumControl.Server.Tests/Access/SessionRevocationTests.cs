using System.Net;
using System.Security.Claims;
using System.Text.RegularExpressions;
using ContinuumControl.Server.Security;
using ContinuumControl.Server.Tests.Fixtures;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace ContinuumControl.Server.Tests.Access;

/// <summary>Sessions re-check their token every second here (30 s by default), so revocation tests finish quickly.</summary>
public sealed class ShortSessionControlPlaneFactory : SqliteControlPlaneFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Server:SessionCheckSeconds", "1");
    }
}

/// <summary>Revoking a token ends its dashboard sessions: cookies on their next request, open pages (circuits) at their next check.</summary>
public sealed partial class SessionRevocationTests(ShortSessionControlPlaneFactory factory) : IClassFixture<ShortSessionControlPlaneFactory>
{
    /// <summary>Signs in through the real form (antiforgery token included) and returns a client holding the cookie.</summary>
    private async Task<HttpClient> SignInAsync(string token)
    {
        var browser = factory.CreateApiClient(token: null);
        var form = await browser.GetStringAsync("/login");
        var antiforgery = AntiforgeryField().Match(form).Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(antiforgery), "no antiforgery field in the sign-in form: " + form);
        var response = await browser.PostAsync("/auth/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["token"] = token,
            ["returnUrl"] = "/",
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(antiforgery),
        }));
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()} antiforgery={antiforgery}");
        Assert.Equal("/", response.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/")).StatusCode);
        return browser;
    }

    private static void AssertSentToLogin(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"expected a redirect to /login, got {(int)response.StatusCode}");
        Assert.StartsWith("/login", response.Headers.Location?.PathAndQuery ?? response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task RevokeThroughTheApi_SignedInBrowser_IsSentToLoginOnItsNextRequest()
    {
        var token = await TokenSeed.CreateAsync(factory, "revoke-api", Scopes.Read, Scopes.Write);
        var browser = await SignInAsync(token.Token);

        Assert.Equal(HttpStatusCode.NoContent, (await factory.CreateApiClient().DeleteAsync($"/api/tokens/{token.Id}")).StatusCode);

        AssertSentToLogin(await browser.GetAsync("/"));
    }

    [Fact]
    public async Task TokenDeletedElsewhere_SignedInBrowser_IsSentToLoginWithinTheCheckInterval()
    {
        var token = await TokenSeed.CreateAsync(factory, "revoke-elsewhere", Scopes.Read);
        var browser = await SignInAsync(token.Token);

        await TokenSeed.DeleteRowAsync(factory, token.Id);

        // This process never heard of the deletion: the session notices at its next check (every 1 s here).
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var response = await browser.GetAsync("/");
        while (response.StatusCode != HttpStatusCode.Redirect && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(100);
            response = await browser.GetAsync("/");
        }
        AssertSentToLogin(response);
    }

    [Fact]
    public async Task ValidToken_SessionOutlivesManyChecks()
    {
        var token = await TokenSeed.CreateAsync(factory, "keeps-going", Scopes.Read);
        var browser = await SignInAsync(token.Token);

        await Task.Delay(TimeSpan.FromSeconds(1.5));

        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/workloads")).StatusCode);
    }

    [Fact]
    public async Task TokenDeleted_OpenCircuit_BecomesAnonymousWithinTheCheckInterval()
    {
        var token = await TokenSeed.CreateAsync(factory, "revoke-circuit", Scopes.Read);
        await using var scope = factory.Services.CreateAsyncScope();
        var provider = scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>();
        var signedOut = new TaskCompletionSource<ClaimsPrincipal>(TaskCreationOptions.RunContinuationsAsynchronously);
        provider.AuthenticationStateChanged += async state =>
        {
            if ((await state).User is { Identity.IsAuthenticated: false } anonymous)
            {
                signedOut.TrySetResult(anonymous);
            }
        };
        ((IHostEnvironmentAuthenticationStateProvider)provider).SetAuthenticationState(Task.FromResult(new AuthenticationState(
            ApiTokenAuthenticationHandler.Principal(new TokenIdentity(token.Id, token.Name, token.Scopes), AuthSchemes.Cookie))));

        await TokenSeed.DeleteRowAsync(factory, token.Id);

        var user = await signedOut.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(user.Identity?.IsAuthenticated);
    }

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}

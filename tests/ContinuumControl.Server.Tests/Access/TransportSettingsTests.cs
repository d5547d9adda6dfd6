using ContinuumControl.Server.Tests.Fixtures;
using Microsoft.AspNetCore.Hosting;

namespace ContinuumControl.Server.Tests.Access;

/// <summary>Bad HTTPS or proxy settings stop the start with a message naming the key, instead of serving unprotected.</summary>
public sealed class TransportSettingsTests
{
    private sealed class SettingsFactory(params (string Key, string Value)[] settings) : SqliteControlPlaneFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        }
    }

    [Theory]
    [InlineData("Server:ForwardedHeaders:KnownProxies:0", "proxy.example", "KnownProxies has 'proxy.example'")]
    [InlineData("Server:ForwardedHeaders:KnownNetworks:0", "10.0.0.0/99", "KnownNetworks has '10.0.0.0/99'")]
    public async Task BadProxySetting_StopsTheStartNamingTheKey(string key, string value, string expected)
    {
        await using var factory = new SettingsFactory(("Server:ForwardedHeaders:Enabled", "true"), (key, value));

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateApiClient());

        Assert.Contains(expected, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingCertificateFile_StopsTheStartNamingTheKey()
    {
        await using var factory = new SettingsFactory(("Server:Https:CertificatePath", "/nonexistent/tls.pfx"));

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateApiClient());

        Assert.Contains("Server:Https:CertificatePath names /nonexistent/tls.pfx", error.ToString(), StringComparison.Ordinal);
    }
}

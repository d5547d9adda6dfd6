using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ContinuumControl.EndToEnd.Tests.Deployment;

/// <summary>
/// HTTPS from a certificate in configuration, HSTS, Secure cookies, and the same behind a TLS-terminating proxy that
/// sends X-Forwarded-Proto. Requests name the host continuum.test: HSTS is never sent for localhost addresses.
/// </summary>
public sealed class TransportSecurityEndToEndTests : IDisposable
{
    private const string Token = "cc_e2e-tls-admin-token";
    private const string PublicHost = "continuum.test";
    private readonly string _data = Path.Combine(Path.GetTempPath(), "cc-e2e-tls", Guid.NewGuid().ToString("N"));

    public TransportSecurityEndToEndTests() => Directory.CreateDirectory(_data);

    [Fact]
    public async Task CertificateFromConfiguration_ServesHttpsWithHstsAndSecureCookies()
    {
        using var certificate = SelfSigned();
        var pfx = Path.Combine(_data, "tls.pfx");
        await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pfx, "e2e-password"));
        using var server = await ServerProcess.StartAsync(_data, "https", $"--Server:BootstrapToken={Token}",
            $"--Server:Https:CertificatePath={pfx}", "--Server:Https:CertificatePassword=e2e-password");
        X509Certificate2? presented = null;
        using var client = new HttpClient(new SocketsHttpHandler
        {
            UseCookies = false,
            AllowAutoRedirect = false,
            SslOptions = { RemoteCertificateValidationCallback = (_, cert, _, _) =>
            {
                presented = cert is null ? null : new X509Certificate2(cert);
                return presented?.Thumbprint == certificate.Thumbprint;
            } },
        }) { BaseAddress = server.Address };

        var login = await client.SendAsync(Login());

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Equal(certificate.Thumbprint, presented?.Thumbprint);
        Assert.True(login.Headers.TryGetValues("Strict-Transport-Security", out var hsts), "no HSTS header");
        Assert.Contains("max-age=31536000", hsts.Single(), StringComparison.Ordinal);
        AssertEveryCookieSecure(login);

        var signIn = await SignInAsync(client, login);
        var auth = Assert.Single(signIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("continuum.auth=", StringComparison.Ordinal));
        Assert.Contains("secure", auth, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", auth, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", auth, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task HttpsAddressWithoutCertificate_RefusesToStartNamingTheKey()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ServerProcess.StartAsync(_data, "https", $"--Server:BootstrapToken={Token}"));

        Assert.Contains("Server:Https:CertificatePath is empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BehindAKnownProxy_ForwardedProtoHttps_GetsHstsAndSecureCookies_PlainRequestDoesNot()
    {
        using var server = await ServerProcess.StartAsync(_data, "http", $"--Server:BootstrapToken={Token}",
            "--Server:ForwardedHeaders:Enabled=true", "--Server:ForwardedHeaders:KnownProxies:0=127.0.0.1");
        using var client = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = server.Address };

        var viaProxy = await client.SendAsync(Login(forwardedProto: "https"));
        Assert.True(viaProxy.Headers.Contains("Strict-Transport-Security"), "no HSTS on a request the proxy received over HTTPS");
        AssertEveryCookieSecure(viaProxy);

        var plain = await client.SendAsync(Login());
        Assert.False(plain.Headers.Contains("Strict-Transport-Security"));
        Assert.All(plain.Headers.GetValues("Set-Cookie"), c => Assert.DoesNotContain("secure", c, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task WithoutForwardedHeaders_ForwardedProtoIsIgnored()
    {
        using var server = await ServerProcess.StartAsync(_data, "http", $"--Server:BootstrapToken={Token}");
        using var client = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = server.Address };

        var spoofed = await client.SendAsync(Login(forwardedProto: "https"));

        Assert.False(spoofed.Headers.Contains("Strict-Transport-Security"));
        Assert.All(spoofed.Headers.GetValues("Set-Cookie"), c => Assert.DoesNotContain("secure", c, StringComparison.OrdinalIgnoreCase));
    }

    private static HttpRequestMessage Login(string? forwardedProto = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/login") { Headers = { Host = PublicHost } };
        if (forwardedProto is not null)
        {
            request.Headers.Add("X-Forwarded-Proto", forwardedProto);
        }
        return request;
    }

    private static void AssertEveryCookieSecure(HttpResponseMessage response)
    {
        var cookies = response.Headers.GetValues("Set-Cookie").ToList();
        Assert.NotEmpty(cookies);
        Assert.All(cookies, c => Assert.Contains("secure", c, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Posts the sign-in form with the antiforgery cookie and field the sign-in page gave.</summary>
    private static async Task<HttpResponseMessage> SignInAsync(HttpClient client, HttpResponseMessage loginPage)
    {
        var html = await loginPage.Content.ReadAsStringAsync();
        var field = System.Text.RegularExpressions.Regex.Match(html, "<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"").Groups[1].Value;
        var cookie = string.Join("; ", loginPage.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        var post = new HttpRequestMessage(HttpMethod.Post, "/auth/login")
        {
            Headers = { Host = PublicHost },
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["token"] = Token,
                ["returnUrl"] = "/",
                ["__RequestVerificationToken"] = WebUtility.HtmlDecode(field),
            }),
        };
        post.Headers.Add("Cookie", cookie);
        var response = await client.SendAsync(post);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"sign-in answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return response;
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={PublicHost}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(PublicHost);
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddDays(-1), now.AddDays(1));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

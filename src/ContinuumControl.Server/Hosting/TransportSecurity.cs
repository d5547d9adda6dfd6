using System.Net;
using System.Security.Cryptography.X509Certificates;
using ContinuumControl.Server.Configuration;
using Microsoft.AspNetCore.HttpOverrides;

namespace ContinuumControl.Server.Hosting;

/// <summary>HTTPS from a configured certificate, forwarded headers from known proxies, HSTS: tokens never need to travel in clear text.</summary>
public static class TransportSecurity
{
    public static (HttpsOptions Https, ProxyOptions Proxy) Configure(WebApplicationBuilder builder, string urls)
    {
        var https = builder.Configuration.GetSection(HttpsOptions.Section).Get<HttpsOptions>() ?? new HttpsOptions();
        var proxy = builder.Configuration.GetSection(ProxyOptions.Section).Get<ProxyOptions>() ?? new ProxyOptions();
        if (urls.Contains("https://", StringComparison.OrdinalIgnoreCase) && !https.Enabled)
        {
            throw new InvalidOperationException(
                $"The server is to listen on {urls}, but {HttpsOptions.Section}:CertificatePath is empty: set it to a .pfx (with CertificatePassword) or a PEM certificate (with CertificateKeyPath).");
        }
        if (https.Enabled)
        {
            var certificate = Load(https);
            builder.WebHost.ConfigureKestrel(k => k.ConfigureHttpsDefaults(o => o.ServerCertificate = certificate));
            builder.Services.AddHsts(o => o.MaxAge = TimeSpan.FromDays(https.HstsMaxAgeDays));
        }
        if (proxy.Enabled)
        {
            // Parsed here, not when the options are first read, so a bad value stops the start naming its key.
            var proxies = proxy.KnownProxies.Select(address => IPAddress.TryParse(address, out var ip) ? ip
                : throw new InvalidOperationException($"{ProxyOptions.Section}:KnownProxies has '{address}', which is not an IP address.")).ToList();
            var networks = proxy.KnownNetworks.Select(network => System.Net.IPNetwork.TryParse(network, out var parsed) ? parsed
                : throw new InvalidOperationException($"{ProxyOptions.Section}:KnownNetworks has '{network}', which is not a CIDR network such as 10.0.0.0/8.")).ToList();
            builder.Services.Configure<ForwardedHeadersOptions>(o =>
            {
                o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
                proxies.ForEach(o.KnownProxies.Add);
                networks.ForEach(o.KnownIPNetworks.Add);
            });
            if (!https.Enabled)
            {
                builder.Services.AddHsts(o => o.MaxAge = TimeSpan.FromDays(https.HstsMaxAgeDays));
            }
        }
        return (https, proxy);
    }

    /// <summary>First in the pipeline: everything after sees the scheme and client address the proxy saw.</summary>
    public static void Use(WebApplication app, HttpsOptions https, ProxyOptions proxy)
    {
        if (proxy.Enabled)
        {
            app.UseForwardedHeaders();
        }
        // HSTS only goes out on HTTPS answers (and never for localhost, so a developer's browser is not pinned).
        if (https.Enabled || proxy.Enabled)
        {
            app.UseHsts();
        }
    }

    private static X509Certificate2 Load(HttpsOptions https)
    {
        if (!File.Exists(https.CertificatePath))
        {
            throw new InvalidOperationException($"{HttpsOptions.Section}:CertificatePath names {https.CertificatePath}, which does not exist.");
        }
        try
        {
            return string.IsNullOrWhiteSpace(https.CertificateKeyPath)
                ? X509CertificateLoader.LoadPkcs12FromFile(https.CertificatePath, string.IsNullOrEmpty(https.CertificatePassword) ? null : https.CertificatePassword)
                : X509Certificate2.CreateFromPemFile(https.CertificatePath, https.CertificateKeyPath);
        }
        catch (System.Security.Cryptography.CryptographicException ex)
        {
            throw new InvalidOperationException(
                $"Could not load the certificate {https.CertificatePath} ({HttpsOptions.Section}:CertificatePath): {ex.Message}. Check CertificatePassword, or CertificateKeyPath for PEM.", ex);
        }
    }
}

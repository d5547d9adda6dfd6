namespace ContinuumControl.Server.Configuration;

/// <summary>
/// TLS for the control plane (section "Server:Https"). With a certificate every https address in Server:Urls (or --urls)
/// serves it; HSTS is sent on HTTPS answers and the sign-in cookie is always marked Secure.
/// </summary>
public sealed class HttpsOptions
{
    public const string Section = "Server:Https";

    /// <summary>A PKCS#12 file (.pfx/.p12), or a PEM certificate when <see cref="CertificateKeyPath"/> is set.</summary>
    public string CertificatePath { get; set; } = "";

    /// <summary>Password of the PKCS#12 file; empty when it has none.</summary>
    public string CertificatePassword { get; set; } = "";

    /// <summary>The PEM private key beside a PEM certificate.</summary>
    public string CertificateKeyPath { get; set; } = "";

    /// <summary>How long browsers keep to HTTPS after an HSTS answer (Strict-Transport-Security max-age).</summary>
    public int HstsMaxAgeDays { get; set; } = 365;

    public bool Enabled => !string.IsNullOrWhiteSpace(CertificatePath);
}

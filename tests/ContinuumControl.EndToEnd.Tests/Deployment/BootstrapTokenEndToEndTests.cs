using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace ContinuumControl.EndToEnd.Tests.Deployment;

/// <summary>The generated bootstrap token appears in the output once, at its creation; later starts say where it is saved.</summary>
public sealed partial class BootstrapTokenEndToEndTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "cc-e2e-bootstrap", Guid.NewGuid().ToString("N"));

    public BootstrapTokenEndToEndTests() => Directory.CreateDirectory(_data);

    [Fact]
    public async Task StartTwice_TokenPrintedOnlyTheFirstTime_SecondSaysWhereItIsSaved()
    {
        string token;
        using (var first = await ServerProcess.StartAsync(_data, "http"))
        {
            token = GeneratedToken().Match(first.Log).Value;
            Assert.False(string.IsNullOrEmpty(token), "no token in the first start's output: " + first.Log);
            Assert.Contains("shown only this once", first.Log, StringComparison.Ordinal);
            Assert.Equal(token, File.ReadAllText(Path.Combine(_data, "bootstrap-token")).Trim());
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(first.Address, token));
        }

        using var second = await ServerProcess.StartAsync(_data, "http");

        Assert.DoesNotContain(token, second.Log, StringComparison.Ordinal);
        Assert.DoesNotMatch(GeneratedToken(), second.Log);
        Assert.Contains($"saved in {Path.Combine(_data, "bootstrap-token")}", second.Log, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(second.Address, token));
    }

    [Fact]
    public async Task ConfiguredToken_IsNeverPrinted()
    {
        const string configured = "cc_configured-e2e-secret";

        using var server = await ServerProcess.StartAsync(_data, "http", $"--Server:BootstrapToken={configured}");

        Assert.DoesNotContain(configured, server.Log, StringComparison.Ordinal);
        Assert.Contains("Server:BootstrapToken", server.Log, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(server.Address, configured));
    }

    private static async Task<HttpStatusCode> StatusAsync(Uri address, string token)
    {
        using var client = new HttpClient { BaseAddress = address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return (await client.GetAsync("/api/nodes")).StatusCode;
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

    [GeneratedRegex(@"cc_[A-Za-z0-9_\-]{20,}")]
    private static partial Regex GeneratedToken();
}

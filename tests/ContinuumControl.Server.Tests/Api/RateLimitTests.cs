using System.Net;
using ContinuumControl.Server.Tests.Fixtures;

namespace ContinuumControl.Server.Tests.Api;

public sealed class RateLimitTests(LimitedControlPlaneFactory factory) : IClassFixture<LimitedControlPlaneFactory>
{
    [Fact]
    public async Task Login_PastTheLimit_Returns429WithRetryAfter()
    {
        var client = factory.CreateClientAt("10.0.0.1", token: null);
        for (var i = 0; i < 3; i++)
        {
            var allowed = await client.PostAsync("/auth/login", Form("cc_wrong"));
            Assert.NotEqual(HttpStatusCode.TooManyRequests, allowed.StatusCode);
        }
        var refused = await client.PostAsync("/auth/login", Form("cc_wrong"));
        await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.TooManyRequests, "sign-in", "Retry-After", "LoginPerMinute");
        AssertRetryAfter(refused);

        var otherClient = factory.CreateClientAt("10.0.0.2", token: null);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, (await otherClient.PostAsync("/auth/login", Form("cc_wrong"))).StatusCode);
    }

    [Fact]
    public async Task BadBearerTokens_PastTheLimit_Return429BeforeAnyLookup()
    {
        var guesser = factory.CreateClientAt("10.0.1.1", token: "cc_guess");
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await guesser.GetAsync("/api/nodes")).StatusCode);
        }
        var refused = await guesser.GetAsync("/api/nodes");
        await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.TooManyRequests, "not valid", "AuthFailuresPerMinute");
        AssertRetryAfter(refused);
        // The gate closes for every bearer request from that client, so a right guess next does not get through.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await factory.CreateClientAt("10.0.1.1").GetAsync("/api/nodes")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await factory.CreateClientAt("10.0.1.2").GetAsync("/api/nodes")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await factory.CreateClientAt("10.0.1.1", token: null).GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task ValidTokens_AreNotCountedAsFailures()
    {
        var client = factory.CreateClientAt("10.0.2.1");
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/nodes")).StatusCode);
        }
    }

    [Fact]
    public async Task AgentRequests_WithTheJoinToken_DoNotSpendTheFailureBudget()
    {
        var agent = factory.CreateClientAt("10.0.4.1", token: ControlPlaneFactory.JoinToken);
        for (var i = 0; i < 10; i++)
        {
            // The join token only registers (fetches need a node credential): refused, but never counted as a bad token.
            Assert.Equal(HttpStatusCode.Forbidden, (await agent.GetAsync($"/api/agent/modules/{new string('a', 64)}")).StatusCode);
        }
        // A hub connection over long polling: every poll carries the join token.
        await using var joined = await TestAgent.JoinAsync(factory, $"limits-{Guid.NewGuid():N}"[..16]);
        for (var i = 0; i < 5; i++)
        {
            Assert.True((await joined.HeartbeatAsync()).Known);
        }
    }

    [Fact]
    public async Task Uploads_PastTheLimit_Return429WithRetryAfter()
    {
        var client = factory.CreateClientAt("10.0.3.1");
        for (var i = 0; i < 2; i++)
        {
            var allowed = await client.PostAsync("/api/modules?name=unknown", WasmBytes.Content(WasmBytes.ImportsUnknownModule));
            Assert.NotEqual(HttpStatusCode.TooManyRequests, allowed.StatusCode);
        }
        var refused = await client.PostAsync("/api/modules?name=unknown", WasmBytes.Content(WasmBytes.ImportsUnknownModule));
        await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.TooManyRequests, "module uploads", "UploadsPerMinute");
        AssertRetryAfter(refused);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/modules")).StatusCode);
    }

    private static FormUrlEncodedContent Form(string token) => new(new Dictionary<string, string> { ["token"] = token });

    private static void AssertRetryAfter(HttpResponseMessage response)
    {
        var delta = response.Headers.RetryAfter?.Delta;
        Assert.True(delta is { TotalSeconds: >= 1 and <= 60 }, $"Retry-After was '{response.Headers.RetryAfter}'");
    }
}

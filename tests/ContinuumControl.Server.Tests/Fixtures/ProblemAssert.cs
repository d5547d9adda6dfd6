using System.Net;
using System.Text.Json;

namespace ContinuumControl.Server.Tests.Fixtures;

/// <summary>Asserts that an error answer is ProblemDetails with the expected status and words.</summary>
public static class ProblemAssert
{
    public static async Task<JsonElement> IsProblemAsync(HttpResponseMessage response, HttpStatusCode status, params string[] detailContains)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var json = JsonDocument.Parse(body).RootElement;
        Assert.Equal((int)status, json.GetProperty("status").GetInt32());
        foreach (var words in detailContains)
        {
            Assert.True(body.Contains(words, StringComparison.OrdinalIgnoreCase), $"expected '{words}' in: {body}");
        }
        return json;
    }
}

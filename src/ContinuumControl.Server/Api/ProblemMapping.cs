using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace ContinuumControl.Server.Api;

/// <summary>Turns refusals and malformed requests into ProblemDetails that say what was wrong and what to do.</summary>
public sealed class ProblemMapping(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail, extensions) = exception switch
        {
            RefusalException r => (r.Status, r.Title, r.Message, r.Extensions),
            BadHttpRequestException b => (b.StatusCode, b.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Request body too large" : "Malformed request", Describe(b), null),
            JsonException j => (StatusCodes.Status400BadRequest, "Malformed JSON", $"The body is not valid JSON for this endpoint: {j.Message}", null),
            _ => (0, "", "", null),
        };
        if (status == 0)
        {
            return false;
        }
        httpContext.Response.StatusCode = status;
        if (exception is RefusalException { RetryAfter: { } retryAfter })
        {
            httpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        var context = new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        };
        foreach (var (key, value) in extensions ?? new Dictionary<string, object?>())
        {
            context.ProblemDetails.Extensions[key] = value;
        }
        return await problems.TryWriteAsync(context);
    }

    private static string Describe(BadHttpRequestException ex)
    {
        var inner = ex.InnerException is JsonException json ? $" {json.Message}" : "";
        return $"{ex.Message}{inner} Check the body against the OpenAPI document at /openapi/v1.json.";
    }
}

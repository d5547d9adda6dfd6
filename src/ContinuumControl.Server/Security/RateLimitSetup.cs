using System.Globalization;
using System.Threading.RateLimiting;
using ContinuumControl.Server.Configuration;
using Microsoft.AspNetCore.RateLimiting;

namespace ContinuumControl.Server.Security;

/// <summary>
/// ASP.NET Core rate limiting on the doors an attacker knocks on: sign-in, uploads, and (through
/// <see cref="AuthFailureLimiter"/>) bearer tokens that are not valid. Every limit is per client IP address and
/// answered 429 with Retry-After and a ProblemDetails body that says when to try again.
/// </summary>
public static class RateLimitSetup
{
    public const string LoginPolicy = "login";
    public const string UploadPolicy = "upload";

    public static IServiceCollection AddControlPlaneRateLimits(this IServiceCollection services, RateLimitOptions limits)
    {
        services.AddSingleton(new AuthFailureLimiter(limits.AuthFailuresPerMinute));
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(LoginPolicy, ctx => PerMinute(ctx, limits.LoginPerMinute));
            o.AddPolicy(UploadPolicy, ctx => PerMinute(ctx, limits.UploadsPerMinute));
            o.OnRejected = (ctx, _) =>
            {
                var retryAfter = ctx.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
                var what = ctx.HttpContext.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName == LoginPolicy
                    ? $"sign-in attempts (Server:RateLimits:LoginPerMinute = {limits.LoginPerMinute})"
                    : $"module uploads (Server:RateLimits:UploadsPerMinute = {limits.UploadsPerMinute})";
                return new ValueTask(WriteTooManyAsync(ctx.HttpContext, retryAfter, $"This client made too many {what} in the last minute."));
            };
        });
        return services;
    }

    /// <summary>
    /// Before authentication: a client that sent too many tokens that were not valid gets 429 for any request that
    /// carries one, so its guesses reach neither the token cache nor the database.
    /// </summary>
    public static IApplicationBuilder UseAuthFailureGate(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var limiter = context.RequestServices.GetRequiredService<AuthFailureLimiter>();
        if (BearerToken.From(context.Request, allowQuery: true) is not null && !limiter.MayTry(ClientKey(context), out var retryAfter))
        {
            await WriteTooManyAsync(context, retryAfter,
                $"This client sent too many tokens that are not valid (Server:RateLimits:AuthFailuresPerMinute = {limiter.FailuresPerMinute}).");
            return;
        }
        await next(context);
    });

    /// <summary>The client as the server sees it (after forwarded headers, when configured).</summary>
    public static string ClientKey(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    /// <summary>Answers 429 with Retry-After (whole seconds, at least 1) and a ProblemDetails body.</summary>
    public static Task WriteTooManyAsync(HttpContext context, TimeSpan retryAfter, string why)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return AuthProblems.WriteAsync(context, StatusCodes.Status429TooManyRequests, "Too many requests",
            $"{why} Wait {seconds} s (the Retry-After header) and try again; an operator can raise the limit in Server:RateLimits.");
    }

    private static RateLimitPartition<string> PerMinute(HttpContext context, int permits) =>
        RateLimitPartition.GetFixedWindowLimiter(ClientKey(context), _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = Math.Max(1, permits),
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        });
}

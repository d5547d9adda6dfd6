using System.Diagnostics;

namespace ContinuumControl.EndToEnd.Tests.Cluster;

/// <summary>
/// A request the server does not answer in time fails naming itself, how long it waited and what the cluster's
/// processes said last, instead of HttpClient's bare "the configured timeout elapsed".
/// </summary>
public sealed class NamedTimeouts(Func<string> diagnostics) : DelegatingHandler(new HttpClientHandler())
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            return await base.SendAsync(request, cancellationToken);
        }
        catch (OperationCanceledException ex) when (cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{request.Method} {request.RequestUri?.PathAndQuery} had no answer after {clock.Elapsed.TotalSeconds:0.0} s{diagnostics()}", ex);
        }
    }
}

using System.Diagnostics;
using System.Net.Http.Headers;

namespace ContinuumControl.Bench.Heartbeats;

/// <summary>
/// Issues GET /api/nodes with the bearer token at a fixed pace on a dedicated thread with synchronous I/O, so the
/// load generator's busy thread pool does not delay when a response is seen. Latency = request sent to body read.
/// A request that overruns its slot delays the next one (no catch-up bursts).
/// </summary>
public sealed class NodesReader : IDisposable
{
    private readonly HttpClient _http;
    private readonly Uri _url;
    private readonly TimeSpan _period;
    private readonly Thread _thread;
    private volatile bool _stopping;
    private volatile List<double>? _sink;
    private long _failures;
    private long _lastBodyBytes;

    public NodesReader(Uri baseUrl, string apiToken, int readsPerSecond)
    {
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = Timeout.InfiniteTimeSpan }) { Timeout = TimeSpan.FromSeconds(30) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiToken);
        _url = new Uri(baseUrl, "/api/nodes");
        _period = TimeSpan.FromSeconds(1.0 / readsPerSecond);
        _thread = new Thread(Loop) { IsBackground = true, Name = "nodes-reader" };
    }

    public long Failures => Interlocked.Read(ref _failures);

    public long LastBodyBytes => Interlocked.Read(ref _lastBodyBytes);

    public void Start() => _thread.Start();

    /// <summary>Starts collecting latencies into a fresh list; returns the previous list (null at first).</summary>
    public List<double>? Collect(bool on)
    {
        var previous = _sink;
        _sink = on ? [] : null;
        if (previous is not null)
        {
            lock (previous)
            {
                return [.. previous];
            }
        }
        return null;
    }

    private void Loop()
    {
        var next = Stopwatch.GetTimestamp();
        while (!_stopping)
        {
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), next);
            if (wait > TimeSpan.Zero)
            {
                Thread.Sleep(wait);
            }
            var sink = _sink;
            var started = Stopwatch.GetTimestamp();
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, _url);
                using var response = _http.Send(request, HttpCompletionOption.ResponseHeadersRead);
                using var body = response.Content.ReadAsStream();
                var bytes = Drain(body);
                var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref _failures);
                }
                else if (sink is not null)
                {
                    lock (sink)
                    {
                        sink.Add(elapsed);
                    }
                }
                Interlocked.Exchange(ref _lastBodyBytes, bytes);
            }
            catch (Exception) when (!_stopping)
            {
                Interlocked.Increment(ref _failures);
            }
            next = Math.Max(next + (long)(_period.TotalSeconds * Stopwatch.Frequency), Stopwatch.GetTimestamp());
        }
    }

    private static long Drain(Stream body)
    {
        var buffer = new byte[64 * 1024];
        long total = 0;
        int n;
        while ((n = body.Read(buffer)) > 0)
        {
            total += n;
        }
        return total;
    }

    public void Dispose()
    {
        _stopping = true;
        _thread.Join(TimeSpan.FromSeconds(35));
        _http.Dispose();
    }
}

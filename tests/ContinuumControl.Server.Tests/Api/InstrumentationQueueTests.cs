using System.Net;
using ContinuumControl.Server.Tests.Fixtures;

namespace ContinuumControl.Server.Tests.Api;

/// <summary>
/// Uploads wait for one of a bounded number of instrumentation slots; the wasm-opt here is a script that records its
/// process id and sleeps, so a test holds a slot for as long as it likes.
/// </summary>
public sealed class InstrumentationQueueTests(InstrumentationQueueTests.Factory factory) : IClassFixture<InstrumentationQueueTests.Factory>
{
    public sealed class Factory : LimitedControlPlaneFactory
    {
        public string Directory { get; } = Path.Combine(Path.GetTempPath(), $"cc-slow-wasm-opt-{Guid.NewGuid():N}");

        public string PidFile => Path.Combine(Directory, "pids");

        public Factory()
        {
            System.IO.Directory.CreateDirectory(Directory);
            var script = Path.Combine(Directory, "wasm-opt");
            File.WriteAllText(script, $"#!/bin/sh\necho $$ >> '{PidFile}'\nexec sleep 120\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        protected override IReadOnlyDictionary<string, string> Limits => new Dictionary<string, string>
        {
            ["Server:RateLimits:ConcurrentInstrumentations"] = "1",
            ["Server:RateLimits:InstrumentationQueue"] = "0",
            ["Runtime:WasmOptPath"] = Path.Combine(Directory, "wasm-opt"),
        };
    }

    [Fact]
    public async Task Upload_WhileEverySlotIsBusy_Returns503WithRetryAfter()
    {
        using var holder = new CancellationTokenSource();
        var client = factory.CreateClientAt("10.1.0.1");
        var first = client.PostAsync("/api/modules?name=hello", WasmBytes.Content(WasmBytes.Sample("hello.wasm")), holder.Token);
        var pid = await WaitForWasmOptAsync(count: PidCount() + 1);

        var refused = await client.PostAsync("/api/modules?name=counter", WasmBytes.Content(WasmBytes.Sample("counter.wasm")));
        await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.ServiceUnavailable, "being instrumented", "ConcurrentInstrumentations");
        Assert.True(refused.Headers.RetryAfter?.Delta is { TotalSeconds: >= 1 }, $"Retry-After was '{refused.Headers.RetryAfter}'");

        await holder.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        await WaitForExitAsync(pid);
    }

    [Fact]
    public async Task Upload_ClientGoesAway_KillsWasmOptAndFreesTheSlot()
    {
        using var abandon = new CancellationTokenSource();
        var client = factory.CreateClientAt("10.1.0.2");
        var upload = client.PostAsync("/api/modules?name=hello", WasmBytes.Content(WasmBytes.Sample("hello.wasm")), abandon.Token);
        var pid = await WaitForWasmOptAsync(count: PidCount() + 1);

        await abandon.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => upload);
        await WaitForExitAsync(pid);

        // The slot is free again: the next upload reaches wasm-opt instead of a 503.
        using var second = new CancellationTokenSource();
        var next = client.PostAsync("/api/modules?name=counter", WasmBytes.Content(WasmBytes.Sample("counter.wasm")), second.Token);
        var nextPid = await WaitForWasmOptAsync(count: PidCount() + 1);
        await second.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next);
        await WaitForExitAsync(nextPid);
    }

    private int PidCount() => File.Exists(factory.PidFile) ? File.ReadAllLines(factory.PidFile).Length : 0;

    private async Task<int> WaitForWasmOptAsync(int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (PidCount() < count)
        {
            Assert.True(DateTime.UtcNow < deadline, "wasm-opt was not started within 30 s");
            await Task.Delay(50);
        }
        return int.Parse(File.ReadAllLines(factory.PidFile)[count - 1], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task WaitForExitAsync(int pid)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (System.IO.Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, $"wasm-opt (pid {pid}) still runs 10 s after its upload was abandoned");
            await Task.Delay(50);
        }
    }
}

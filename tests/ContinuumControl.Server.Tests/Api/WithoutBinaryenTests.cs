using System.Net;
using System.Net.Http.Json;
using ContinuumControl.Contracts.Api;
using ContinuumControl.Server.Tests.Fixtures;
using Microsoft.AspNetCore.Hosting;

namespace ContinuumControl.Server.Tests.Api;

/// <summary>A control plane on a machine without Binaryen: the bundled samples are still offered; other uploads say how to get it.</summary>
public sealed class WithoutBinaryenTests(WithoutBinaryenTests.Factory factory) : IClassFixture<WithoutBinaryenTests.Factory>
{
    public sealed class Factory : ControlPlaneFactory
    {
        private readonly string _file = Path.Combine(Path.GetTempPath(), $"cc-test-{Guid.NewGuid():N}.db");

        protected override string Provider => "Sqlite";

        protected override string ConnectionString => $"Data Source={_file}";

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Server:RegisterSamples", "true");
            builder.UseSetting("Runtime:WasmOptPath", "/nonexistent/wasm-opt");
            builder.UseSetting("Runtime:InstrumentationCacheDirectory", Path.Combine(Path.GetTempPath(), $"cc-test-instr-{Guid.NewGuid():N}"));
        }
    }

    [Fact]
    public async Task BundledSamples_AreRegistered_Instrumented()
    {
        var modules = await factory.CreateApiClient().GetFromJsonAsync<List<ModuleDto>>("/api/modules");
        var hello = Assert.Single(modules!, m => m.Name == "hello");
        Assert.Equal("Cooperative", hello.SafePoints);
        Assert.Equal("Automatic", Assert.Single(modules!, m => m.Name == "never-yields").SafePoints);
        // Every bundled sample, rust-files too: it is deployed with a volume mounted at /data.
        var bundled = Directory.GetFiles(Path.GetDirectoryName(WasmBytes.SamplePath("hello.wasm"))!, "*.wasm")
            .Select(f => Path.GetFileNameWithoutExtension(f)!).Order().ToList();
        Assert.Equal(bundled, modules!.Select(m => m.Name).Order().ToList());
    }

    [Fact]
    public async Task Upload_PlainModule_Returns400SayingHowToInstallBinaryen()
    {
        var response = await factory.CreateApiClient().PostAsync("/api/modules?name=plain", WasmBytes.Content(WasmBytes.Sample("hello.wasm")));
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "apt-get install binaryen", "Runtime:WasmOptPath");
    }
}

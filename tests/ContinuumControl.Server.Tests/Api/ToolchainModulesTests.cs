using System.Net;
using System.Net.Http.Json;
using ContinuumControl.Contracts.Api;
using ContinuumControl.Persistence.Modules;
using ContinuumControl.Runtime;
using ContinuumControl.Runtime.Execution;
using ContinuumControl.Server.Tests.Fixtures;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace ContinuumControl.Server.Tests.Api;

/// <summary>
/// Modules built in this test run by the real toolchains, exactly as their users build them (no strip, no extra
/// flags), uploaded through POST /api/modules and run from what admission stored: they are admitted, keep the original
/// as uploaded, and print what the same source prints natively.
/// </summary>
public sealed class ToolchainModulesTests(ToolchainModulesTests.Factory factory) : IClassFixture<ToolchainModulesTests.Factory>, IDisposable
{
    /// <summary>Rust debug builds carry ~7 MB of DWARF: allow the production default upload size.</summary>
    public sealed class Factory : SqliteControlPlaneFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Server:MaxModuleBytes", (32 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    private readonly HttpClient _api = factory.CreateApiClient();
    private readonly Toolchain _toolchain = new();

    public static TheoryData<string, string, string> CPrograms => new()
    {
        { "program", "sort-stats.c", "-O0" },
        { "program", "sort-stats.c", "-O2" },
        { "program", "sort-stats.c", "-O0 -g" },
        { "program", "sort-stats.c", "-O2 -g" },
        { "sample", "never-yields.c", "-O2" },
        { "sample", "never-yields.c", "-O0 -g" },
        { "sample", "matmul.c", "-O2 -g" },
        { "program", "inventory.cpp", "-O2" },
        { "program", "inventory.cpp", "-O0 -g" },
    };

    public static TheoryData<string, string, bool> RustPrograms => new()
    {
        { "program", "word-freq.rs", false },
        { "program", "word-freq.rs", true },
        { "sample", "rust-collections.rs", false },
        { "sample", "rust-collections.rs", true },
        { "sample", "rust-recursion.rs", false },
        { "sample", "rust-recursion.rs", true },
    };

    [Theory]
    [MemberData(nameof(CPrograms))]
    public async Task Upload_CBuiltWithClangAndWasiLibc_IsAdmittedAndPrintsNativeOutput(string kind, string file, string flags)
    {
        var program = _toolchain.C(Source(kind, file), flags, ArgsFor(file));

        await AssertAdmittedAndRunsAsync(program);
    }

    [Theory]
    [MemberData(nameof(RustPrograms))]
    public async Task Upload_RustBuiltWithDebianRustc_IsAdmittedAndPrintsNativeOutput(string kind, string file, bool release)
    {
        var program = _toolchain.Rust(Source(kind, file), release, ArgsFor(file));

        await AssertAdmittedAndRunsAsync(program);
    }

    [Theory]
    [InlineData("-O2")]
    [InlineData("-O0 -g")]
    public async Task Upload_CSampleUsingTheSdk_IsAdmittedAsCooperativeAndPrintsExpectedOutput(string flags)
    {
        // hello.c calls continuum_yield(), so it has no native build: the committed expected output stands in.
        var expected = File.ReadAllBytes(WasmBytes.SamplePath(Path.Combine("expected", "hello-3.stdout")));
        var program = new BuiltProgram($"hello.c {flags}", _toolchain.WasmOnly(Toolchain.Sample("hello.c"), flags), expected, ["3"]);

        var module = await AssertAdmittedAndRunsAsync(program);

        Assert.Equal("Cooperative", module.SafePoints);
    }

    [Theory]
    [InlineData("check-invariant.c", "-O0 -g")]
    [InlineData("check-invariant.rs", "-O")]
    public async Task Run_TrapInUploadedModule_MessageNamesTheGuestFunction(string file, string flags)
    {
        var bytes = _toolchain.WasmOnly(Toolchain.Program(file), flags);
        var module = await UploadAsync(file, bytes);

        var (outcome, _) = Run(module, []);

        Assert.False(outcome.Succeeded, "the program should have trapped");
        Assert.Contains("trapped", outcome.FailureReason);
        Assert.Contains("check_invariant", outcome.FailureReason);
    }

    public void Dispose() => _toolchain.Dispose();

    private static string Source(string kind, string file) => kind == "sample" ? Toolchain.Sample(file) : Toolchain.Program(file);

    /// <summary>Arguments that keep each run short (a debug build is many times slower).</summary>
    private static string[] ArgsFor(string file) => file switch
    {
        "sort-stats.c" => ["20000"],
        "never-yields.c" => ["1"],
        "matmul.c" => ["3"],
        "inventory.cpp" => ["3000"],
        "word-freq.rs" => ["2000"],
        "rust-collections.rs" => ["4", "3000"],
        "rust-recursion.rs" => ["2", "500"],
        _ => [],
    };

    private async Task<ModuleDto> AssertAdmittedAndRunsAsync(BuiltProgram program)
    {
        var module = await UploadAsync(program.Label, program.Wasm);
        var store = factory.Services.GetRequiredService<IModuleStore>();
        Assert.Equal(program.Wasm, Read(store, module.Hash));
        var instrumented = Read(store, module.InstrumentedHash);
        var sections = WasmCustomSections(instrumented);
        Assert.DoesNotContain(sections, s => s.StartsWith(".debug_", StringComparison.Ordinal));
        if (WasmCustomSections(program.Wasm).Contains("name"))
        {
            Assert.Contains("name", sections);
        }

        var (outcome, stdout) = Run(module, program.Args);

        Assert.True(outcome.Succeeded, $"{program.Label}: {outcome.FailureReason}");
        Assert.Equal(System.Text.Encoding.UTF8.GetString(program.NativeStdout), System.Text.Encoding.UTF8.GetString(stdout));
        return module;
    }

    private async Task<ModuleDto> UploadAsync(string label, byte[] bytes)
    {
        var response = await _api.PostAsync($"/api/modules?name={Uri.EscapeDataString(label)}", WasmBytes.Content(bytes));
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, $"{label} ({bytes.Length} bytes) was refused: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<ModuleDto>())!;
    }

    private (RunOutcome Outcome, byte[] Stdout) Run(ModuleDto module, string[] args)
    {
        var bytes = Read(factory.Services.GetRequiredService<IModuleStore>(), module.InstrumentedHash);
        using var engine = RuntimeEngine.Create(warmUp: false);
        var sink = new StdoutSink();
        using var instance = new WorkloadInstance(engine, new WorkloadSpec(module.Name, bytes, args, new Dictionary<string, string>(), 512L * 1024 * 1024), sink);
        return (instance.Run(), sink.Stdout);
    }

    private static byte[] Read(IModuleStore store, string hash)
    {
        using var stream = store.OpenRead(hash) ?? throw new InvalidOperationException($"module {hash} is not stored");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>Names of the custom sections, read straight from the binary (id 0, then a name).</summary>
    private static List<string> WasmCustomSections(byte[] bytes)
    {
        var names = new List<string>();
        var position = 8;
        while (position < bytes.Length)
        {
            var id = bytes[position++];
            var size = (int)ReadU32(bytes, ref position);
            var end = position + size;
            if (id == 0)
            {
                var nameLength = (int)ReadU32(bytes, ref position);
                names.Add(System.Text.Encoding.UTF8.GetString(bytes, position, nameLength));
            }
            position = end;
        }
        return names;
    }

    private static uint ReadU32(byte[] bytes, ref int position)
    {
        uint result = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = bytes[position++];
            result |= (uint)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }
        }
    }

    /// <summary>Stdout assembled by byte offset, as the control plane stores it.</summary>
    private sealed class StdoutSink : IOutputSink
    {
        private readonly Lock _sync = new();
        private readonly MemoryStream _stdout = new();

        public byte[] Stdout
        {
            get
            {
                lock (_sync)
                {
                    return _stdout.ToArray();
                }
            }
        }

        public void Write(bool stderr, ReadOnlySpan<byte> data) => Write(stderr, _stdout.Length, data);

        public void Write(bool stderr, long offset, ReadOnlySpan<byte> data)
        {
            if (stderr)
            {
                return;
            }
            lock (_sync)
            {
                _stdout.Position = offset;
                _stdout.Write(data);
            }
        }
    }
}

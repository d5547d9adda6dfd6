using System.Net;
using System.Net.Http.Json;
using ContinuumControl.Contracts.Api;
using ContinuumControl.Server.Tests.Fixtures;

namespace ContinuumControl.Server.Tests.Api;

public abstract class ModulesApiTests<TFactory>(TFactory factory) where TFactory : ControlPlaneFactory
{
    private readonly HttpClient _api = factory.CreateApiClient();

    [Fact]
    public async Task Upload_ValidModule_Returns201WithHashAndImports()
    {
        var response = await _api.PostAsync("/api/modules?name=hello.wasm", WasmBytes.Content(WasmBytes.Sample("hello.wasm")));
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK);
        var module = await response.Content.ReadFromJsonAsync<ModuleDto>();
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(WasmBytes.Sample("hello.wasm"))), module!.Hash);
        Assert.Equal("hello", module.Name);
        Assert.Contains(module.Imports, i => i.StartsWith("wasi_snapshot_preview1.", StringComparison.Ordinal));
        Assert.Contains("continuum.yield", module.Imports);
        Assert.Equal("Cooperative", module.SafePoints);
        Assert.NotEqual(module.Hash, module.InstrumentedHash);
        Assert.Equal(64, module.InstrumentedHash.Length);
    }

    [Fact]
    public async Task Upload_SameModuleTwice_IsContentAddressed()
    {
        var bytes = WasmBytes.Sample("counter.wasm");
        var first = await _api.PostAsync("/api/modules", WasmBytes.Content(bytes));
        var second = await _api.PostAsync("/api/modules", WasmBytes.Content(bytes));
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal((await first.Content.ReadFromJsonAsync<ModuleDto>())!.Hash, (await second.Content.ReadFromJsonAsync<ModuleDto>())!.Hash);
    }

    [Fact]
    public async Task Upload_AsMultipartForm_Works()
    {
        using var form = new MultipartFormDataContent { { WasmBytes.Content(WasmBytes.Sample("deep-recursion.wasm")), "file", "deep-recursion.wasm" } };
        var response = await _api.PostAsync("/api/modules", form);
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        Assert.Equal("deep-recursion", (await response.Content.ReadFromJsonAsync<ModuleDto>())!.Name);
    }

    [Fact]
    public async Task Upload_TextInsteadOfWasm_Returns400NamingMagicAndStoresNothing()
    {
        var response = await _api.PostAsync("/api/modules?name=notwasm", WasmBytes.Content("(module)"u8.ToArray()));
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "magic");
        await AssertNotListedAsync("notwasm");
    }

    [Fact]
    public async Task Upload_TruncatedModule_Returns400SayingItIsMalformed()
    {
        var response = await _api.PostAsync("/api/modules?name=truncated", WasmBytes.Content(WasmBytes.Truncated));
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "malformed", "upload the complete .wasm");
        await AssertNotListedAsync("truncated");
    }

    [Fact]
    public async Task Upload_UnknownImportModule_Returns400NamingIt()
    {
        var response = await _api.PostAsync("/api/modules?name=foo-importer", WasmBytes.Content(WasmBytes.ImportsUnknownModule));
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "'foo'");
        await AssertNotListedAsync("foo-importer");
    }

    [Fact]
    public async Task Upload_TooLarge_Returns413AndStoresNothing()
    {
        var bytes = new byte[ControlPlaneFactory.MaxModuleBytes + 1];
        WasmBytes.Sample("hello.wasm").CopyTo(bytes, 0);
        var response = await _api.PostAsync("/api/modules?name=huge", WasmBytes.Content(bytes));
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "limit");
        await AssertNotListedAsync("huge");
    }

    [Fact]
    public async Task Upload_EmptyBody_Returns400()
    {
        var response = await _api.PostAsync("/api/modules", WasmBytes.Content([]));
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "empty");
    }

    [Theory]
    [InlineData("memory64", """(module (memory i64 1) (func (export "_start")))""", "64-bit memory", "build for wasm32")]
    [InlineData("tail-calls", """(module (memory 1) (func $f (result i32) (return_call $f)) (func (export "_start")))""", "tail calls", "drop -mtail-call")]
    [InlineData("extended-const", """(module (memory 1) (global i32 (i32.add (i32.const 1) (i32.const 2))) (func (export "_start")))""", "extended constant expressions", "build without -mextended-const")]
    public async Task Upload_FeatureAdmissionCannotTake_Returns400WhoseDetailNamesFeatureAndRemedy(string name, string wat, string feature, string remedy)
    {
        var response = await _api.PostAsync($"/api/modules?name={name}", WasmBytes.Content(Wasmtime.Module.ConvertText(wat)));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.StartsWith($"'{name}' was refused: ", detail);
        Assert.Contains(feature, detail);
        Assert.Contains(remedy, detail);
        // A tool's own message may follow, never lead: the words a user acts on come first.
        Assert.True(!detail.Contains("wasm-opt said", StringComparison.Ordinal) || detail.IndexOf(remedy, StringComparison.Ordinal) < detail.IndexOf("wasm-opt said", StringComparison.Ordinal), detail);
        await AssertNotListedAsync(name);
    }

    [Fact]
    public async Task Get_UnknownHash_Returns404Problem()
    {
        var response = await _api.GetAsync($"/api/modules/{new string('0', 64)}");
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, "GET /api/modules");
    }

    private async Task AssertNotListedAsync(string name)
    {
        var modules = await _api.GetFromJsonAsync<List<ModuleDto>>("/api/modules");
        Assert.DoesNotContain(modules!, m => m.Name == name);
    }
}

public sealed class SqliteModulesApiTests(SqliteControlPlaneFactory factory) : ModulesApiTests<SqliteControlPlaneFactory>(factory), IClassFixture<SqliteControlPlaneFactory>;

public sealed class PostgresModulesApiTests(PostgresControlPlaneFactory factory) : ModulesApiTests<PostgresControlPlaneFactory>(factory), IClassFixture<PostgresControlPlaneFactory>;

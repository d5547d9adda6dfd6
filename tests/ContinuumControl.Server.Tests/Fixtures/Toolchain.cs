using System.Diagnostics;

namespace ContinuumControl.Server.Tests.Fixtures;

/// <summary>A program built in the test run: its .wasm, and what the same source prints when built natively.</summary>
public sealed record BuiltProgram(string Label, byte[] Wasm, byte[] NativeStdout, string[] Args);

/// <summary>
/// Builds programs the ordinary way with the real toolchains test.sh installs: C with clang-14 and Debian's wasi-libc
/// (no strip, no extra flags: DWARF, producers and, at -O0 -g, a name section), C++ with clang++-14 and libc++ for
/// wasm32, Rust with Debian's /usr/bin/rustc and its wasm32-wasi std (debug or -O). The same source is also built for
/// this machine and run, so a test can compare the Wasm run with native output.
/// </summary>
public sealed class Toolchain : IDisposable
{
    /// <summary>Debian's rustc: a rustup rustc earlier on PATH usually has no wasm32-wasi std.</summary>
    public const string Rustc = "/usr/bin/rustc";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "cc-toolchain-tests", Guid.NewGuid().ToString("N"));

    public Toolchain() => Directory.CreateDirectory(_directory);

    /// <summary>Sources of ordinary programs under tests/.../Fixtures/Programs.</summary>
    public static string Program(string file) => Path.Combine(RepositoryRoot(), "tests", "ContinuumControl.Server.Tests", "Fixtures", "Programs", file);

    /// <summary>Sources of the sample workloads.</summary>
    public static string Sample(string file) => WasmBytes.SamplePath(file);

    public BuiltProgram C(string source, string flags, params string[] args)
    {
        var isCxx = source.EndsWith(".cpp", StringComparison.Ordinal);
        var compiler = isCxx ? "clang++-14" : "clang-14";
        string[] language = isCxx ? ["-std=c++17", "-fno-exceptions"] : [];
        var label = $"{Path.GetFileName(source)} {flags}";
        var wasm = Output(label, ".wasm");
        Run(compiler, [.. language, "--target=wasm32-wasi", "--sysroot=/usr", .. Split(flags), source, "-lm", "-o", wasm]);
        var native = Output(label, ".native");
        Run(compiler, [.. language, .. Split(flags), source, "-lm", "-o", native]);
        return new BuiltProgram(label, File.ReadAllBytes(wasm), Run(native, args), args);
    }

    public BuiltProgram Rust(string source, bool release, params string[] args)
    {
        var label = $"{Path.GetFileName(source)} {(release ? "-O" : "debug")}";
        string[] mode = release ? ["-O"] : [];
        var wasm = Output(label, ".wasm");
        Run(Rustc, ["--edition", "2021", "--target", "wasm32-wasi", .. mode, source, "-o", wasm]);
        var native = Output(label, ".native");
        Run(Rustc, ["--edition", "2021", .. mode, source, "-o", native]);
        return new BuiltProgram(label, File.ReadAllBytes(wasm), Run(native, args), args);
    }

    /// <summary>Builds for WASI only (a program whose native run is not the point, e.g. one that traps).</summary>
    public byte[] WasmOnly(string source, string flags)
    {
        var wasm = Output(Path.GetFileName(source) + flags, ".wasm");
        if (source.EndsWith(".rs", StringComparison.Ordinal))
        {
            Run(Rustc, ["--edition", "2021", "--target", "wasm32-wasi", .. Split(flags), source, "-o", wasm]);
        }
        else
        {
            Run("clang-14", ["--target=wasm32-wasi", "--sysroot=/usr", .. Split(flags), source, "-o", wasm]);
        }
        return File.ReadAllBytes(wasm);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private string Output(string label, string extension) =>
        Path.Combine(_directory, new string(label.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray()) + extension);

    private static string[] Split(string flags) => flags.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static byte[] Run(string program, string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        using var stdout = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} took more than 3 minutes");
        }
        copy.Wait();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {stderr.Result} (test.sh installs the toolchains: clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32 libc++-14-dev-wasm32 libc++abi-14-dev-wasm32 rustc libstd-rust-dev-wasm32)");
        return stdout.ToArray();
    }

    private static string RepositoryRoot() => Path.GetFullPath(Path.Combine(WasmBytes.SamplePath(""), "..", ".."));
}

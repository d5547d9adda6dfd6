using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Wasmtime;

namespace ContinuumControl.Runtime.Execution;

/// <summary>
/// Compiled modules on disk, keyed by module hash + Wasmtime version + engine configuration + CPU, because a
/// precompiled artifact only loads into an identical engine on an identical CPU. Loading one takes milliseconds
/// instead of a full compile, which is what makes a restore fast.
/// A precompiled artifact is native code that Wasmtime loads without checking it, so the cache trusts only what it
/// wrote itself: the directory is private (0700), each file starts with an HMAC-SHA256 of the artifact under a key
/// this cache keeps in that directory (0600), and a file whose HMAC does not verify is ignored and recompiled over.
/// </summary>
public sealed class PrecompiledModuleCache(string directory)
{
    private const string KeyFile = "precompiled.key";
    private const int MacBytes = 32;
    private const UnixFileMode PrivateDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private static readonly Lazy<(string Wasmtime, string Cpu)> BuildAndCpu = new(() => (typeof(Engine).Assembly.GetName().Version?.ToString() ?? "unknown", CpuIdentity()));
    private readonly Lazy<byte[]> key = new(() => LoadOrCreateKey(directory));

    /// <summary>The directory holding <c>{key}.cwasm</c> files.</summary>
    public string Directory { get; } = directory;

    /// <summary>Cache hits since this object was created (for measurements).</summary>
    public int Hits => hits;

    /// <summary>Artifacts found on disk that this cache did not write (their HMAC did not verify), since it was created.</summary>
    public int Rejected => rejected;

    private int hits;
    private int rejected;

    /// <summary>The file name (without directory) a module with <paramref name="moduleHash"/> is cached under on this node.</summary>
    public static string KeyFor(string moduleHash) => KeyFor(moduleHash, RuntimeEngine.ConfigurationFingerprint);

    /// <summary>The file name for an engine of configuration <paramref name="configuration"/> (<see cref="RuntimeEngine.FingerprintOf"/>).</summary>
    public static string KeyFor(string moduleHash, string configuration) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{moduleHash}|wasmtime={BuildAndCpu.Value.Wasmtime}|config={configuration}|cpu={BuildAndCpu.Value.Cpu}")));

    /// <summary>Loads the compiled module for <paramref name="moduleHash"/>, compiling and storing it on a miss.</summary>
    public Module Load(Engine engine, string name, string moduleHash, byte[] bytes)
    {
        var secret = key.Value;
        var path = Path.Combine(Directory, KeyFor(moduleHash, RuntimeEngine.FingerprintOf(engine)) + ".cwasm");
        if (File.Exists(path))
        {
            // Read once, verified and loaded from the same bytes: nothing can swap the file in between.
            var stored = File.ReadAllBytes(path);
            if (Verified(stored))
            {
                try
                {
                    // Deserialized from the verified bytes in place: a copy of a multi-megabyte artifact would sit in a restore's path.
                    var cached = Module.Deserialize(engine, name, stored.AsSpan(MacBytes));
                    Interlocked.Increment(ref hits);
                    return cached;
                }
                catch (WasmtimeException)
                {
                    // Written by another Wasmtime build or engine configuration despite the key: recompile over it.
                }
            }
            else
            {
                Interlocked.Increment(ref rejected);
            }
            File.Delete(path);
        }
        var module = Module.FromBytes(engine, name, bytes);
        var serialized = module.Serialize();
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        using (var file = new FileStream(temporary, CreateOptions()))
        {
            file.Write(HMACSHA256.HashData(secret, serialized));
            file.Write(serialized);
        }
        File.Move(temporary, path, overwrite: true);
        return module;
    }

    /// <summary>True when <paramref name="stored"/> is an HMAC under this cache's key followed by the artifact it covers.</summary>
    private bool Verified(byte[] stored) =>
        stored.Length > MacBytes
        && CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(key.Value, stored.AsSpan(MacBytes)), stored.AsSpan(0, MacBytes));

    /// <summary>Creates the directory private (or makes an existing one private) and reads or creates the cache's key.</summary>
    private static byte[] LoadOrCreateKey(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(directory);
        }
        else
        {
            System.IO.Directory.CreateDirectory(directory, PrivateDirectory);
            File.SetUnixFileMode(directory, PrivateDirectory);
        }
        var path = Path.Combine(directory, KeyFile);
        try
        {
            var created = RandomNumberGenerator.GetBytes(MacBytes);
            using (var file = new FileStream(path, CreateOptions(FileMode.CreateNew)))
            {
                file.Write(created);
            }
            return created;
        }
        catch (IOException) when (File.Exists(path))
        {
            var existing = File.ReadAllBytes(path);
            if (existing.Length == MacBytes)
            {
                return existing;
            }
            // Cut short (a crash while writing it): a new key, which only costs recompiling what is cached.
            var replaced = RandomNumberGenerator.GetBytes(MacBytes);
            File.WriteAllBytes(path, replaced);
            return replaced;
        }
    }

    private static FileStreamOptions CreateOptions(FileMode mode = FileMode.CreateNew)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = PrivateFile;
        }
        return options;
    }

    private static string CpuIdentity()
    {
        var identity = new StringBuilder(RuntimeInformation.ProcessArchitecture.ToString());
        try
        {
            // Model and feature flags decide which instructions Cranelift used.
            foreach (var line in File.ReadLines("/proc/cpuinfo").Take(64))
            {
                if (line.StartsWith("model name", StringComparison.Ordinal) || line.StartsWith("flags", StringComparison.Ordinal) || line.StartsWith("Features", StringComparison.Ordinal))
                {
                    identity.Append('|').Append(line.Split(':', 2)[^1].Trim());
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity.ToString())))[..16];
    }
}

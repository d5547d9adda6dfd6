using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Wasmtime;

namespace ContinuumControl.Runtime.Execution;

/// <summary>
/// Compiled modules on disk, keyed by module hash + Wasmtime version + engine configuration + CPU, because a
/// precompiled artifact only loads into an identical engine on an identical CPU. Loading one takes milliseconds
/// instead of a full compile, which is what makes a restore fast.
/// </summary>
public sealed class PrecompiledModuleCache(string directory)
{
    private static readonly Lazy<string> EnvironmentKey = new(ComputeEnvironmentKey);

    /// <summary>The directory holding <c>{key}.cwasm</c> files.</summary>
    public string Directory { get; } = directory;

    /// <summary>Cache hits since this object was created (for measurements).</summary>
    public int Hits => hits;

    private int hits;

    /// <summary>The file name (without directory) a module with <paramref name="moduleHash"/> is cached under on this node.</summary>
    public static string KeyFor(string moduleHash) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{moduleHash}|{EnvironmentKey.Value}")));

    /// <summary>Loads the compiled module for <paramref name="moduleHash"/>, compiling and storing it on a miss.</summary>
    public Module Load(Engine engine, string name, string moduleHash, byte[] bytes)
    {
        var path = Path.Combine(Directory, KeyFor(moduleHash) + ".cwasm");
        if (File.Exists(path))
        {
            try
            {
                var cached = Module.DeserializeFile(engine, name, path);
                Interlocked.Increment(ref hits);
                return cached;
            }
            catch (WasmtimeException)
            {
                // Written by another Wasmtime build or engine configuration despite the key: recompile over it.
                File.Delete(path);
            }
        }
        var module = Module.FromBytes(engine, name, bytes);
        System.IO.Directory.CreateDirectory(Directory);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        File.WriteAllBytes(temporary, module.Serialize());
        File.Move(temporary, path, overwrite: true);
        return module;
    }

    private static string ComputeEnvironmentKey()
    {
        var wasmtime = typeof(Engine).Assembly.GetName().Version?.ToString() ?? "unknown";
        return $"wasmtime={wasmtime}|config={RuntimeEngine.ConfigurationFingerprint}|cpu={CpuIdentity()}";
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

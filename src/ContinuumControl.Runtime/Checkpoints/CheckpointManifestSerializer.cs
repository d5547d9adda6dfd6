using System.Text.Json;
using System.Text.Json.Serialization;

namespace ContinuumControl.Runtime.Checkpoints;

/// <summary>Reads and writes manifests as UTF-8 JSON (camelCase), refusing anything that is not a complete v1 manifest.</summary>
public static class CheckpointManifestSerializer
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = false,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
    };

    /// <summary>Pages of the largest memory a 32-bit module can have (4 GiB).</summary>
    public const long MaxMemoryPages = 65536;

    public static byte[] ToBytes(CheckpointManifest manifest) => JsonSerializer.SerializeToUtf8Bytes(manifest, Options);

    /// <summary>Parses <paramref name="json"/>; throws <see cref="CheckpointRejectedException"/> naming what is wrong.</summary>
    public static CheckpointManifest Parse(ReadOnlySpan<byte> json)
    {
        CheckpointManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<CheckpointManifest>(json, Options);
        }
        catch (JsonException ex)
        {
            throw new CheckpointRejectedException($"the checkpoint manifest is truncated or not valid JSON ({ex.Message}); fetch it again from the checkpoint store");
        }
        if (manifest is null)
        {
            throw new CheckpointRejectedException("the checkpoint manifest is empty");
        }
        // Nullable annotations are enforced on properties, not on the elements of lists and dictionaries.
        if (NullElement(manifest) is { } list)
        {
            throw new CheckpointRejectedException($"the checkpoint manifest is malformed: '{list}' holds a null element; fetch it again from the checkpoint store");
        }
        if (OutOfRange(manifest) is { } field)
        {
            throw new CheckpointRejectedException($"the checkpoint manifest is malformed: '{field}' is out of range; fetch it again from the checkpoint store");
        }
        if (manifest.FormatVersion != CheckpointManifest.CurrentFormatVersion)
        {
            throw new CheckpointRejectedException($"the checkpoint uses format version {manifest.FormatVersion}; this runtime reads version {CheckpointManifest.CurrentFormatVersion}");
        }
        return manifest;
    }

    /// <summary>Sizes and offsets that no workload has: a 32-bit memory has at most 65,536 pages, and nothing is negative.</summary>
    private static string? OutOfRange(CheckpointManifest manifest) =>
        manifest.MemoryPages is < 0 or > MaxMemoryPages ? "memoryPages"
        : manifest.Asyncify.BufferAddress < 0 || manifest.Asyncify.BufferSize < 0 || manifest.Asyncify.StackBytes < 0 ? "asyncify"
        : manifest.Wasi.StdoutOffset < 0 || manifest.Wasi.StderrOffset < 0 ? "wasi output offsets"
        : manifest.MemoryLimitBytes < 0 ? "memoryLimitBytes"
        : manifest.CpuTimeUsed < TimeSpan.Zero ? "cpuTimeUsed"
        : null;

    private static string? NullElement(CheckpointManifest manifest) =>
        manifest.Pages.Contains(null!) ? "pages"
        : manifest.Globals.Contains(null!) ? "globals"
        : manifest.Wasi.Args.Contains(null!) ? "wasi.args"
        : manifest.Wasi.Env.Values.Contains(null!) ? "wasi.env"
        : manifest.Wasi.Preopens.Contains(null!) ? "wasi.preopens"
        : null;
}

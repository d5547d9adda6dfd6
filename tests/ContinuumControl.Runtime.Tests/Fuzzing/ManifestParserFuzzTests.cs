using ContinuumControl.Runtime.Checkpoints;
using ContinuumControl.Runtime.Execution;

namespace ContinuumControl.Runtime.Tests.Fuzzing;

/// <summary>The checkpoint manifest parser and the checks a restore makes of a manifest before reading any chunk.</summary>
public class ManifestParserFuzzTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly Type[] Rejections = [typeof(CheckpointRejectedException)];

    /// <summary>What a restore does with manifest bytes before it touches a chunk or instantiates the module.</summary>
    internal static void Read(byte[] json)
    {
        var manifest = CheckpointManifestSerializer.Parse(json);
        CheckpointLoader.Check(manifest, manifest.ModuleHash);
        // What a restore relies on once the checks passed; a manifest that passes them and breaks these is a finding too.
        var memoryBytes = manifest.MemoryPages * CheckpointManifest.PageSize;
        if (manifest.MemoryPages is < 0 or > 65536 || manifest.Asyncify.BufferAddress < 0 || manifest.Asyncify.BufferSize < 0
            || manifest.Asyncify.BufferAddress > memoryBytes - manifest.Asyncify.BufferSize || manifest.Pages.Any(p => p.Index < 0 || p.Index >= manifest.MemoryPages))
        {
            throw new InvalidOperationException("the manifest passed the checks but lies outside its memory");
        }
        var asyncify = manifest.Asyncify;
        if (asyncify.Stack is { } stack ? stack.Length != asyncify.StackBytes || stack.Length > memoryBytes - 8 : asyncify.StackBytes > 0 && asyncify.StackBytes > asyncify.BufferSize - 8)
        {
            throw new InvalidOperationException("the manifest passed the checks but its call stack does not fit where the rewind puts it");
        }
        RestoreChecks.MemoryLimit(manifest, new RestoreOptions());
        _ = manifest.ChunkHashes().ToList();
        _ = RestoreChecks.Preopens(manifest, new RestoreOptions { Volumes = manifest.Wasi.Preopens.Select(p => p.Volume).Distinct(StringComparer.Ordinal).ToDictionary(v => v, _ => "/tmp", StringComparer.Ordinal) });
        _ = CheckpointManifestSerializer.ToBytes(manifest);
    }

    [Fact]
    public void Corpus_ParsesCleanly()
    {
        foreach (var manifest in FuzzRun.Files("Corpus/manifests"))
        {
            Read(manifest);
        }
    }

    [Fact]
    public void Parse_MutatedManifests_AcceptsOrRejectsWithAReason()
    {
        var corpus = FuzzRun.Files("Corpus/manifests").ToList();
        var mutator = new JsonMutator(FuzzRun.Seed(20261203));
        var runs = FuzzRun.Run("manifest", corpus, mutator.Mutate, Read, Rejections);
        output.WriteLine($"{runs} inputs in {FuzzRun.Budget.TotalSeconds} s");
        Assert.True(runs > 1000, $"only {runs} inputs in {FuzzRun.Budget.TotalSeconds} s");
    }

    public static TheoryData<string> Regressions() => [.. Directory.GetFiles(Path.Combine(FuzzRun.Root, "Regressions", "manifests")).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Regressions))]
    public void Parse_FoundByFuzzing_RejectsWithAReason(string file)
    {
        var input = File.ReadAllBytes(Path.Combine(FuzzRun.Root, "Regressions", "manifests", file));
        Assert.Null(FuzzRun.Check(Read, input, Rejections));
    }
}

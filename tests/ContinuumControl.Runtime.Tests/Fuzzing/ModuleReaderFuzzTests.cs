using ContinuumControl.Runtime.Admission;
using ContinuumControl.Runtime.Binary;
using ContinuumControl.Runtime.Instrumentation;

namespace ContinuumControl.Runtime.Tests.Fuzzing;

/// <summary>The hand-written Wasm binary reader on inputs no toolchain would write: it accepts or refuses, never crashes.</summary>
public class ModuleReaderFuzzTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly Type[] Rejections = [typeof(ModuleRejectedException)];

    /// <summary>Everything the admission pipeline reads before wasm-opt: sections, layout, compatibility, marker, every instruction.</summary>
    internal static void Read(byte[] bytes)
    {
        var file = WasmModuleFile.Parse(bytes);
        _ = file.Sections.Select(s => s.CustomName).ToList();
        var layout = ModuleLayout.Read(file);
        CompatibilityCheck.Check(file, layout);
        // What the rewriters rely on once the checks passed.
        if (layout.DefinedFunctionCount < 0 || layout.ImportedFunctionCount < 0 || layout.Imports.Any(i => i.Kind == 0 && i.TypeIndex >= layout.Types.Count))
        {
            throw new InvalidOperationException("the module passed the checks with an impossible layout");
        }
        InstrumentationMarker.Read(file);
        if (file.Find(WasmSection.Code) is { } code)
        {
            foreach (var body in CodeSection.Read(code.Payload))
            {
                var reader = new WasmReader(body.Code);
                while (!reader.AtEnd)
                {
                    InstructionDecoder.Next(ref reader);
                }
            }
        }
    }

    [Fact]
    public void Corpus_ParsesCleanly()
    {
        foreach (var module in FuzzRun.Files("Corpus/modules"))
        {
            Read(module);
        }
    }

    [Fact]
    public void Read_MutatedModules_AcceptsOrRejectsWithAReason()
    {
        var corpus = FuzzRun.Files("Corpus/modules").ToList();
        var mutator = new ByteMutator(FuzzRun.Seed(20261203));
        var runs = FuzzRun.Run("module", corpus, mutator.Mutate, Read, Rejections);
        output.WriteLine($"{runs} inputs in {FuzzRun.Budget.TotalSeconds} s");
        Assert.True(runs > 1000, $"only {runs} inputs in {FuzzRun.Budget.TotalSeconds} s");
    }

    public static TheoryData<string> Regressions() => [.. Directory.GetFiles(Path.Combine(FuzzRun.Root, "Regressions", "modules")).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Regressions))]
    public void Read_FoundByFuzzing_RejectsWithAReason(string file)
    {
        var input = File.ReadAllBytes(Path.Combine(FuzzRun.Root, "Regressions", "modules", file));
        Assert.Null(FuzzRun.Check(Read, input, Rejections));
    }
}

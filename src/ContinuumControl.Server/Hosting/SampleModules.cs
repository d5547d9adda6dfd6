using ContinuumControl.Runtime.Instrumentation;
using ContinuumControl.Server.Api;
using ContinuumControl.Server.Modules;

namespace ContinuumControl.Server.Hosting;

/// <summary>
/// Uploads the bundled sample modules at start, so a new user can deploy one from the dashboard right away. Without
/// Binaryen on this machine the copies already instrumented (samples/instrumented) are used, so the embedded default
/// needs nothing but the .NET SDK.
/// </summary>
public static class SampleModules
{
    public static async Task RegisterAsync(IServiceProvider services, ILogger logger)
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "samples");
        if (!Directory.Exists(dir))
        {
            return;
        }
        var admission = services.GetRequiredService<ModuleAdmission>();
        if (!services.GetRequiredService<ModuleInstrumenter>().CanInstrument && Directory.Exists(Path.Combine(dir, "instrumented")))
        {
            logger.LogWarning("wasm-opt (Binaryen) is not installed: registering the pre-instrumented samples. Uploading other modules needs `apt-get install binaryen` or Runtime:WasmOptPath.");
            dir = Path.Combine(dir, "instrumented");
        }
        foreach (var file in Directory.EnumerateFiles(dir, "*.wasm").Order(StringComparer.Ordinal))
        {
            try
            {
                await admission.AdmitAsync(ModuleAdmission.CleanName(file), await File.ReadAllBytesAsync(file), CancellationToken.None, bundled: true);
            }
            catch (RefusalException ex)
            {
                logger.LogWarning("Bundled sample {File} was refused: {Reason}", Path.GetFileName(file), ex.Message);
            }
        }
    }
}

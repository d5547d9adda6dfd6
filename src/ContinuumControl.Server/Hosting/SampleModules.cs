using ContinuumControl.Server.Api;
using ContinuumControl.Server.Modules;

namespace ContinuumControl.Server.Hosting;

/// <summary>Uploads the bundled sample modules at start, so a new user can deploy one from the dashboard right away.</summary>
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
        foreach (var file in Directory.EnumerateFiles(dir, "*.wasm").Order(StringComparer.Ordinal))
        {
            try
            {
                await admission.AdmitAsync(ModuleAdmission.CleanName(file), await File.ReadAllBytesAsync(file), CancellationToken.None);
            }
            catch (RefusalException ex)
            {
                logger.LogWarning("Bundled sample {File} was refused: {Reason}", Path.GetFileName(file), ex.Message);
            }
        }
    }
}

using ContinuumControl.Contracts.Api;
using ContinuumControl.Domain.Modules;
using ContinuumControl.Persistence;
using ContinuumControl.Persistence.Modules;
using ContinuumControl.Runtime.Admission;
using ContinuumControl.Runtime.Instrumentation;
using ContinuumControl.Server.Api;
using ContinuumControl.Server.Live;
using Microsoft.EntityFrameworkCore;

namespace ContinuumControl.Server.Modules;

/// <summary>Admits uploaded modules: validated first, then stored by hash; a refused module leaves nothing behind.</summary>
public sealed class ModuleAdmission(
    ModuleInspector inspector,
    ModuleInstrumenter instrumenter,
    IModuleStore store,
    IDbContextFactory<ControlPlaneDbContext> dbFactory,
    ClusterEvents events,
    InstrumentationQueue queue,
    TimeProvider time)
{
    /// <param name="bundled">
    /// True only for the samples shipped with the server: their instrumented copies are trusted as they are. An upload's
    /// instrumentation marker is never trusted (<see cref="ModuleInstrumenter.InstrumentUpload"/>).
    /// </param>
    public async Task<(ModuleDto Module, bool Created)> AdmitAsync(string name, byte[] bytes, CancellationToken cancellationToken, bool bundled = false)
    {
        // Content-addressed: a module admitted before is answered from the database, without validating and
        // instrumenting it again (every start re-offers the bundled samples).
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
        var existing = await db.Modules.AsNoTracking().FirstOrDefaultAsync(m => m.Hash == hash, cancellationToken);
        if (existing is not null)
        {
            return (existing.ToDto(), false);
        }
        ModuleInspection inspection;
        InstrumentedModule instrumented;
        // A turn of the bounded instrumentation queue (503 when it is full), given back once wasm-opt is done.
        using (await queue.EnterAsync(cancellationToken))
        {
            try
            {
                inspection = inspector.Inspect(bytes);
                // Instrumented once here, so every node runs the same bytes and checkpoints name the same module hash;
                // edge nodes need no Binaryen of their own. The request's token reaches wasm-opt: a client that goes away
                // stops it.
                instrumented = bundled ? instrumenter.Instrument(bytes, cancellationToken) : instrumenter.InstrumentUpload(bytes, cancellationToken);
            }
            catch (ModuleRejectedException ex)
            {
                throw new RefusalException(StatusCodes.Status400BadRequest, "Module refused", $"'{name}' was refused: {ex.Reason}");
            }
        }
        await store.PutAsync(inspection.Hash, bytes, cancellationToken);
        await store.PutAsync(instrumented.Hash, instrumented.Bytes, cancellationToken);
        var module = new Module
        {
            Hash = inspection.Hash,
            Name = name,
            SizeBytes = bytes.Length,
            InstrumentedHash = instrumented.Hash,
            SafePoints = instrumented.SafePoints.ToString(),
            Imports = [.. inspection.Imports],
            UploadedAt = time.GetUtcNow(),
        };
        db.Modules.Add(module);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The same module uploaded twice at once: the other upload stored it first.
            db.ChangeTracker.Clear();
            var raced = await db.Modules.AsNoTracking().FirstOrDefaultAsync(m => m.Hash == hash, cancellationToken);
            if (raced is null)
            {
                throw;
            }
            return (raced.ToDto(), false);
        }
        var dto = module.ToDto();
        events.Publish(new ClusterChange(ClusterChangeKind.ModuleAdded, Module: dto));
        return (dto, true);
    }

    public static string CleanName(string? name)
    {
        var n = Path.GetFileNameWithoutExtension(name ?? "").Trim();
        return string.IsNullOrEmpty(n) ? "module" : n.Length > 200 ? n[..200] : n;
    }
}

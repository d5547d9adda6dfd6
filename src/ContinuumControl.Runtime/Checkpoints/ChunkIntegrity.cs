using System.Buffers;

namespace ContinuumControl.Runtime.Checkpoints;

/// <summary>
/// The check a chunk passes where it enters a store from outside (the control plane's uploads): it decompresses to
/// exactly one page whose SHA-256 is its name. Stores that pass only checked chunks can be read by restores with the
/// cheaper fingerprint check (see <see cref="FileChunkStore"/>), and nobody can plant content under another page's name.
/// </summary>
public static class ChunkIntegrity
{
    /// <summary>Throws <see cref="CheckpointRejectedException"/> saying what is wrong unless the chunk is intact.</summary>
    public static void Check(string hash, ReadOnlySpan<byte> compressed)
    {
        var page = ArrayPool<byte>.Shared.Rent(CheckpointManifest.PageSize);
        try
        {
            CheckpointLoader.DecompressInto(PageCheck.ByName(hash), compressed, page.AsSpan(0, CheckpointManifest.PageSize));
        }
        catch (CheckpointRejectedException ex)
        {
            // Whoever stores a chunk has it in hand: a restore's advice to fetch the checkpoint again does not apply.
            throw new CheckpointRejectedException(ex.Reason.Replace(CheckpointLoader.FetchAgain, "", StringComparison.Ordinal));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(page);
        }
    }
}

using System.Security.Cryptography;

namespace ContinuumControl.Runtime.Checkpoints;

/// <summary>
/// How a restore checks one loaded page: against the manifest's <see cref="PageFingerprint"/> when the chunk came from
/// a <see cref="FileChunkStore"/> and the manifest has one, otherwise against the chunk's SHA-256 name. Either way a
/// page that does not match is refused naming the chunk, and the restore fails before any guest code runs.
/// </summary>
internal readonly record struct PageCheck(string Hash, UInt128? Fingerprint)
{
    /// <summary>The check for a chunk read from a file store: its fingerprint when the manifest has one, else its name.</summary>
    public static PageCheck FromFileStore(CheckpointPage page) =>
        new(page.Chunk, page.Fingerprint is { } text && PageFingerprint.TryParse(text, out var fingerprint) ? fingerprint : null);

    /// <summary>The check for a chunk read from any other store: its SHA-256 name.</summary>
    public static PageCheck ByName(string hash) => new(hash, null);

    public void Verify(ReadOnlySpan<byte> page)
    {
        if (Fingerprint is { } expected)
        {
            if (PageFingerprint.Of(page) != expected)
            {
                throw new CheckpointRejectedException(
                    $"chunk {Hash} is corrupt: its content does not match the page's fingerprint {PageFingerprint.Format(expected)} in the manifest{CheckpointLoader.FetchAgain}");
            }
            return;
        }
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(page, digest);
        var actual = Convert.ToHexStringLower(digest);
        if (actual != Hash)
        {
            throw new CheckpointRejectedException($"chunk {Hash} is corrupt: its content hashes to {actual}{CheckpointLoader.FetchAgain}");
        }
    }
}

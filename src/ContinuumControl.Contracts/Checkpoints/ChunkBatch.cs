using System.Buffers.Binary;
using System.Text;
using ContinuumControl.Contracts.Checkpoints;

namespace ContinuumControl.Contracts.Checkpoints;

/// <summary>
/// Many checkpoint chunks in one HTTP request, so a migration does not pay one round trip per 64 KiB chunk. Shared by
/// the agent (client) and the control plane's chunks API (server). A batch is a sequence of frames:
/// 64 ASCII lower-case hex digits (the chunk's name), a little-endian int32 length, then that many compressed bytes.
/// A fetch request is the wanted names, 64 ASCII characters each, back to back.
/// </summary>
public static class ChunkBatch
{
    /// <summary>POST a batch of chunks (join token).</summary>
    public const string UploadRoute = "/api/agent/chunk-batches";

    /// <summary>POST the names of chunks; the answer is a batch holding all of them, or 404 naming a missing one.</summary>
    public const string FetchRoute = "/api/agent/chunk-batches/fetch";

    public const string ContentType = "application/vnd.continuum.chunks";

    public const int HashLength = 64;

    /// <summary>Largest compressed chunk accepted (a 64 KiB page never compresses to more than this).</summary>
    public const int MaxChunkBytes = 1024 * 1024;

    /// <summary>Most chunks in one batch, either way.</summary>
    public const int MaxChunks = 256;

    /// <summary>What a sender puts in one batch at most (well under Kestrel's 30 MB default body limit).</summary>
    public const int TargetBatchBytes = 4 * 1024 * 1024;

    /// <summary>
    /// Largest batch that travels inside a hub message (a migration's final delta). Base64 in JSON makes it 4/3 as
    /// large, well under the control plane's 4 MiB hub message limit.
    /// </summary>
    public const int InlineMaxBytes = 1024 * 1024;

    public static byte[] Write(IReadOnlyCollection<(string Hash, byte[] Bytes)> chunks)
    {
        var size = chunks.Sum(c => HashLength + 4 + c.Bytes.Length);
        var buffer = new byte[size];
        var at = 0;
        foreach (var (hash, bytes) in chunks)
        {
            Encoding.ASCII.GetBytes(hash, buffer.AsSpan(at, HashLength));
            BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(at + HashLength, 4), bytes.Length);
            bytes.CopyTo(buffer.AsSpan(at + HashLength + 4));
            at += HashLength + 4 + bytes.Length;
        }
        return buffer;
    }

    /// <summary>Parses a batch; throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static List<(string Hash, byte[] Bytes)> Read(ReadOnlySpan<byte> batch)
    {
        var chunks = new List<(string, byte[])>();
        while (batch.Length > 0)
        {
            if (chunks.Count >= MaxChunks)
            {
                throw new FormatException($"a batch holds at most {MaxChunks} chunks");
            }
            if (batch.Length < HashLength + 4)
            {
                throw new FormatException("the batch ends inside a chunk header");
            }
            var hash = ParseHash(batch[..HashLength]);
            var length = BinaryPrimitives.ReadInt32LittleEndian(batch.Slice(HashLength, 4));
            if (length is <= 0 or > MaxChunkBytes)
            {
                throw new FormatException($"chunk {hash} claims {length} bytes; a chunk is 1 byte to {MaxChunkBytes} bytes of zstd-compressed page data");
            }
            if (batch.Length < HashLength + 4 + length)
            {
                throw new FormatException($"the batch ends inside chunk {hash}");
            }
            chunks.Add((hash, batch.Slice(HashLength + 4, length).ToArray()));
            batch = batch[(HashLength + 4 + length)..];
        }
        return chunks;
    }

    public static byte[] WriteNames(IReadOnlyCollection<string> hashes) => Encoding.ASCII.GetBytes(string.Concat(hashes));

    public static List<string> ReadNames(ReadOnlySpan<byte> body)
    {
        if (body.Length % HashLength != 0 || body.Length / HashLength > MaxChunks)
        {
            throw new FormatException($"a fetch request is 1 to {MaxChunks} chunk names of {HashLength} hex digits each, back to back");
        }
        var names = new List<string>(body.Length / HashLength);
        for (var at = 0; at < body.Length; at += HashLength)
        {
            names.Add(ParseHash(body.Slice(at, HashLength)));
        }
        return names;
    }

    private static string ParseHash(ReadOnlySpan<byte> ascii)
    {
        foreach (var b in ascii)
        {
            if (!char.IsAsciiHexDigitLower((char)b))
            {
                throw new FormatException("a chunk name is 64 lower-case hex digits (SHA-256 of the page)");
            }
        }
        return Encoding.ASCII.GetString(ascii);
    }
}

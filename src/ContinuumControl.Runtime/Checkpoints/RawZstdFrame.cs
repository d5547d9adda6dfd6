using System.Buffers.Binary;

namespace ContinuumControl.Runtime.Checkpoints;

/// <summary>
/// Recognises the zstd frame a page that did not compress becomes (RFC 8878): magic, frame header, then a single
/// block that is the last, of type Raw and exactly one page long, then an optional 4-byte checksum. Its content can
/// be read in place. Anything else (compressed or RLE blocks, several blocks, dictionaries, a size that does not add
/// up) is left to the decompressor, which checks it fully.
/// </summary>
internal static class RawZstdFrame
{
    /// <summary>Bytes that always hold the frame header and the block header.</summary>
    public const int HeaderLimit = 4 + 1 + 1 + 4 + 8 + 3;

    private const uint Magic = 0xFD2FB528;

    /// <summary>Frame header of <see cref="Wrap"/>: single segment, 4-byte content size, no checksum, no dictionary.</summary>
    private const byte StoredDescriptor = (2 << 6) | 0x20;

    /// <summary>
    /// The page as a zstd frame of one raw block, without running the compressor: what a migration's final
    /// checkpoint writes while the workload is frozen. The page's bytes are the frame's content (any zstd decoder
    /// reads it; <see cref="ContentOffset"/> finds them in place) and the chunk keeps its name, the page's SHA-256.
    /// </summary>
    public static byte[] Wrap(ReadOnlySpan<byte> page)
    {
        var frame = GC.AllocateUninitializedArray<byte>(12 + page.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(frame, Magic);
        frame[4] = StoredDescriptor;
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(5), (uint)page.Length);
        var block = 1 | (page.Length << 3); // last block, type Raw (0), size
        frame[9] = (byte)block;
        frame[10] = (byte)(block >> 8);
        frame[11] = (byte)(block >> 16);
        page.CopyTo(frame.AsSpan(12));
        return frame;
    }

    /// <summary>Where the page's bytes start in a file of <paramref name="fileLength"/> bytes, or null when it is not such a frame.</summary>
    public static long? ContentOffset(ReadOnlySpan<byte> head, long fileLength, int pageSize)
    {
        if (head.Length < 6 || BinaryPrimitives.ReadUInt32LittleEndian(head) != Magic)
        {
            return null;
        }
        var descriptor = head[4];
        var contentSizeFlag = descriptor >> 6;
        var singleSegment = (descriptor & 0x20) != 0;
        var checksum = (descriptor & 0x04) != 0;
        if ((descriptor & 0x08) != 0 || (descriptor & 0x03) != 0)
        {
            return null; // reserved bit set, or a dictionary
        }
        var contentSizeBytes = contentSizeFlag switch { 0 => singleSegment ? 1 : 0, 1 => 2, 2 => 4, _ => 8 };
        var blockAt = 5 + (singleSegment ? 0 : 1) + contentSizeBytes;
        if (head.Length < blockAt + 3)
        {
            return null;
        }
        var block = head[blockAt] | (head[blockAt + 1] << 8) | (head[blockAt + 2] << 16);
        var last = (block & 1) != 0;
        var type = (block >> 1) & 3;
        var size = block >> 3;
        var content = blockAt + 3;
        return last && type == 0 && size == pageSize && fileLength == content + size + (checksum ? 4 : 0) ? content : null;
    }
}

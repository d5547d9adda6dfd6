using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace ContinuumControl.Server.Api;

/// <summary>
/// Where the next page of a newest-first list starts: after the first <see cref="Skip"/> rows created at
/// <see cref="CreatedAtMillis"/> (rows created in the same millisecond are ordered by id). Opaque on the wire: base64url of
/// a version byte, the position, and a checksum over the position and the list's filters, so a garbled token, or one
/// sent with other filters than the page it came from, is refused instead of silently listing the wrong rows.
/// </summary>
public readonly record struct ContinueToken(long CreatedAtMillis, int Skip)
{
    private const byte Version = 1;
    private const int Length = 1 + 8 + 4 + 8;

    public string Encode(string filterKey)
    {
        Span<byte> bytes = stackalloc byte[Length];
        bytes[0] = Version;
        BinaryPrimitives.WriteInt64BigEndian(bytes[1..], CreatedAtMillis);
        BinaryPrimitives.WriteInt32BigEndian(bytes[9..], Skip);
        Checksum(bytes[..13], filterKey).CopyTo(bytes[13..]);
        return Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public static bool TryDecode(string? text, string filterKey, out ContinueToken token)
    {
        token = default;
        if (string.IsNullOrEmpty(text) || text.Length > 64)
        {
            return false;
        }
        var base64 = text.Replace('-', '+').Replace('_', '/');
        base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
        Span<byte> bytes = stackalloc byte[48];
        if (!Convert.TryFromBase64String(base64, bytes, out var written) || written != Length || bytes[0] != Version)
        {
            return false;
        }
        if (!Checksum(bytes[..13], filterKey).AsSpan().SequenceEqual(bytes[13..Length]))
        {
            return false;
        }
        var skip = BinaryPrimitives.ReadInt32BigEndian(bytes[9..]);
        if (skip < 0)
        {
            return false;
        }
        token = new ContinueToken(BinaryPrimitives.ReadInt64BigEndian(bytes[1..]), skip);
        return true;
    }

    // Integrity against garbage and reuse with other filters, not a secret: a client that forges a position only pages
    // differently through rows it may read anyway.
    private static byte[] Checksum(ReadOnlySpan<byte> position, string filterKey)
    {
        var key = Encoding.UTF8.GetBytes(filterKey);
        var input = new byte[position.Length + key.Length];
        position.CopyTo(input);
        key.CopyTo(input, position.Length);
        return SHA256.HashData(input)[..8];
    }
}

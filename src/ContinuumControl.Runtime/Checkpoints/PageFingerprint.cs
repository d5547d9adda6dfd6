using System.Globalization;
using System.IO.Hashing;

namespace ContinuumControl.Runtime.Checkpoints;

/// <summary>
/// A page's XXH128 (32 lower-case hex digits), recorded in the manifest next to its chunk's SHA-256 name. A restore
/// from a <see cref="FileChunkStore"/> checks pages against it: it catches any damage a chunk file suffers at rest
/// at about a tenth of SHA-256's cost (see <see cref="FileChunkStore"/> for why that store's names need no re-hashing).
/// </summary>
public static class PageFingerprint
{
    public const int HexLength = 32;

    public static UInt128 Of(ReadOnlySpan<byte> page) => XxHash128.HashToUInt128(page);

    public static string Format(UInt128 fingerprint) => fingerprint.ToString("x32", CultureInfo.InvariantCulture);

    /// <summary>Reads a fingerprint written by <see cref="Format"/>; false for anything else.</summary>
    public static bool TryParse(string text, out UInt128 fingerprint)
    {
        fingerprint = default;
        return text.Length == HexLength && text.All(char.IsAsciiHexDigitLower)
            && UInt128.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out fingerprint);
    }
}

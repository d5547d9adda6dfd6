namespace ContinuumControl.Runtime.Tests.Fuzzing;

/// <summary>
/// A small deterministic mutator for binary inputs (what AFL's havoc stage does, in miniature): bit flips, interesting
/// bytes, inserts, deletes, duplicated ranges, truncation, and LEB128 edge values written over or into the input,
/// because every count and size in a Wasm binary is one.
/// </summary>
internal sealed class ByteMutator(int seed)
{
    /// <summary>LEB128 encodings a reader must survive: zero, boundaries, u32/i32/u64 extremes, overlong and unterminated.</summary>
    private static readonly byte[][] LebEdges =
    [
        [0x00], [0x7F], [0x80, 0x01], [0xFF, 0x7F], [0x80, 0x80, 0x80, 0x80, 0x08],
        [0xFF, 0xFF, 0xFF, 0xFF, 0x07], [0xFF, 0xFF, 0xFF, 0xFF, 0x0F], [0x80, 0x80, 0x80, 0x80, 0x10],
        [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00],
        [0x80], [0xFF, 0xFF], [0x40], [0xC0, 0x00], [0x81, 0x80, 0x80, 0x80, 0x00],
    ];

    private static readonly byte[] InterestingBytes = [0x00, 0x01, 0x7F, 0x80, 0xFF, 0x40, 0x0B, 0x60, 0x70, 0x7B, 0xFC, 0xFD, 0x02, 0x03, 0x0A];

    private readonly Random _random = new(seed);

    public byte[] Mutate(byte[] input)
    {
        var bytes = new List<byte>(input);
        var rounds = 1 + _random.Next(_random.Next(2) == 0 ? 2 : 8);
        for (var i = 0; i < rounds; i++)
        {
            MutateOnce(bytes);
        }
        return [.. bytes];
    }

    private void MutateOnce(List<byte> bytes)
    {
        var at = bytes.Count == 0 ? 0 : _random.Next(bytes.Count);
        switch (_random.Next(9))
        {
            case 0 when bytes.Count > 0:
                bytes[at] ^= (byte)(1 << _random.Next(8));
                break;
            case 1 when bytes.Count > 0:
                bytes[at] = InterestingBytes[_random.Next(InterestingBytes.Length)];
                break;
            case 2:
                bytes.InsertRange(at, Enumerable.Range(0, 1 + _random.Next(4)).Select(_ => (byte)_random.Next(256)));
                break;
            case 3 when bytes.Count > 0:
                bytes.RemoveRange(at, Math.Min(bytes.Count - at, 1 + _random.Next(16)));
                break;
            case 4 when bytes.Count > 0:
                var length = Math.Min(bytes.Count - at, 1 + _random.Next(32));
                bytes.InsertRange(_random.Next(bytes.Count), bytes.GetRange(at, length));
                break;
            case 5 when bytes.Count > 0:
                bytes.RemoveRange(at, bytes.Count - at);
                break;
            case 6:
                var edge = LebEdges[_random.Next(LebEdges.Length)];
                for (var i = 0; i < edge.Length; i++)
                {
                    if (at + i < bytes.Count)
                    {
                        bytes[at + i] = edge[i];
                    }
                    else
                    {
                        bytes.Add(edge[i]);
                    }
                }
                break;
            case 7:
                bytes.InsertRange(at, LebEdges[_random.Next(LebEdges.Length)]);
                break;
            default:
                if (bytes.Count > 0)
                {
                    bytes[at] = (byte)(bytes[at] + _random.Next(-4, 5));
                }
                break;
        }
    }
}

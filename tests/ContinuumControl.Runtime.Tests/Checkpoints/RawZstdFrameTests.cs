using System.Security.Cryptography;
using ContinuumControl.Runtime.Checkpoints;
using ZstdSharp;

namespace ContinuumControl.Runtime.Tests.Checkpoints;

/// <summary>A page that did not compress is read straight from its chunk file; everything else goes through zstd.</summary>
public class RawZstdFrameTests
{
    private const int Page = CheckpointManifest.PageSize;

    private static byte[] Compress(byte[] page) => new Compressor(1).Wrap(page).ToArray();

    [Fact]
    public void RandomPage_IsOneRawBlock_WhoseContentIsThePage()
    {
        var page = RandomNumberGenerator.GetBytes(Page);
        var chunk = Compress(page);

        var offset = RawZstdFrame.ContentOffset(chunk.AsSpan(0, RawZstdFrame.HeaderLimit), chunk.Length, Page);

        Assert.NotNull(offset);
        Assert.Equal(page, chunk.AsSpan((int)offset.Value, Page).ToArray());
    }

    [Fact]
    public void CompressiblePage_IsNotRaw()
    {
        var page = new byte[Page];
        page.AsSpan().Fill(7);
        var chunk = Compress(page);

        Assert.Null(RawZstdFrame.ContentOffset(chunk.AsSpan(0, Math.Min(chunk.Length, RawZstdFrame.HeaderLimit)), chunk.Length, Page));
    }

    [Fact]
    public void TruncatedOrLongerFile_OrWrongMagic_IsNotTakenAsRaw()
    {
        var chunk = Compress(RandomNumberGenerator.GetBytes(Page));
        var head = chunk.AsSpan(0, RawZstdFrame.HeaderLimit).ToArray();

        Assert.Null(RawZstdFrame.ContentOffset(head, chunk.Length - 1, Page));
        Assert.Null(RawZstdFrame.ContentOffset(head, chunk.Length + 1, Page));
        head[0] ^= 0xFF;
        Assert.Null(RawZstdFrame.ContentOffset(head, chunk.Length, Page));
    }
}

/// <summary>The Linux fast path reads a raw chunk file into its page in one vectored read, and declines anything else.</summary>
public class RawPageReaderTests : IDisposable
{
    private const int Page = CheckpointManifest.PageSize;
    private readonly string _directory = Directory.CreateTempSubdirectory("cc-rawpage-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private (string Path, byte[] Page) RawChunk(Func<byte[], byte[]>? change = null)
    {
        var page = RandomNumberGenerator.GetBytes(Page);
        var chunk = new Compressor(1).Wrap(page).ToArray();
        RawPageReader.Learn(RawZstdFrame.ContentOffset(chunk.AsSpan(0, RawZstdFrame.HeaderLimit), chunk.Length, Page)!.Value);
        var path = Path.Combine(_directory, Guid.NewGuid().ToString("N"));
        File.WriteAllBytes(path, change is null ? chunk : change(chunk));
        return (path, page);
    }

    [Fact]
    public void RawChunk_IsReadIntoThePage()
    {
        var (path, expected) = RawChunk();
        var page = new byte[Page];

        Assert.Equal(RawPageReader.Outcome.Read, RawPageReader.TryRead(path, page));
        Assert.Equal(expected, page);
    }

    [Fact]
    public void LongerOrShorterFile_IsLeftToThePortablePath()
    {
        var (longer, _) = RawChunk(c => [.. c, 0]);
        var (shorter, _) = RawChunk(c => c[..^1]);

        Assert.Equal(RawPageReader.Outcome.NotRaw, RawPageReader.TryRead(longer, new byte[Page]));
        Assert.Equal(RawPageReader.Outcome.NotRaw, RawPageReader.TryRead(shorter, new byte[Page]));
    }

    [Fact]
    public void MissingFile_IsMissing()
    {
        RawChunk();

        Assert.Equal(RawPageReader.Outcome.Missing, RawPageReader.TryRead(Path.Combine(_directory, "absent"), new byte[Page]));
    }
}

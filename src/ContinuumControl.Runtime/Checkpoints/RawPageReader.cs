using System.Runtime.InteropServices;

namespace ContinuumControl.Runtime.Checkpoints;

/// <summary>
/// Reads a chunk file that holds one raw zstd block straight into its page with three system calls on Linux (open,
/// one vectored read of header, page and tail, close). .NET's file API spends eight per file here (two fstat, and two
/// flock calls that emulate FileShare), about a tenth of a 64 MiB restore. The frame's header length is learnt from
/// the first chunk read the portable way (<see cref="Learn"/>); a file of another shape, or any other platform,
/// answers <see cref="Outcome.NotRaw"/> and the caller reads it the portable way.
/// </summary>
internal static unsafe partial class RawPageReader
{
    public enum Outcome { Read, NotRaw, Missing }

    private const int ReadOnlyCloseOnExec = 0x80000, NoSuchFile = 2, NotADirectory = 20, TailBytes = 8;
    private static int contentOffset;
    private static bool unavailable = !OperatingSystem.IsLinux();

    /// <summary>Records where page content starts in a raw frame the portable path recognised.</summary>
    public static void Learn(long offset) => Volatile.Write(ref contentOffset, (int)offset);

    /// <summary>Fills <paramref name="page"/> with the raw block's content (not yet verified), or says why not.</summary>
    public static Outcome TryRead(string path, Span<byte> page)
    {
        var offset = Volatile.Read(ref contentOffset);
        if (offset == 0 || unavailable)
        {
            return Outcome.NotRaw;
        }
        int fd;
        try
        {
            fd = Open(path, ReadOnlyCloseOnExec);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            unavailable = true;
            return Outcome.NotRaw;
        }
        if (fd < 0)
        {
            return Marshal.GetLastPInvokeError() is NoSuchFile or NotADirectory ? Outcome.Missing : Outcome.NotRaw;
        }
        try
        {
            var head = stackalloc byte[offset];
            var tail = stackalloc byte[TailBytes];
            fixed (byte* content = page)
            {
                var vectors = stackalloc IoVector[3];
                vectors[0] = new IoVector(head, offset);
                vectors[1] = new IoVector(content, page.Length);
                vectors[2] = new IoVector(tail, TailBytes);
                var read = PreadV(fd, vectors, 3, 0);
                // Fewer bytes than asked means the file ended within the tail: `read` is its length, which the frame
                // check compares with what a raw frame of this header must measure.
                var endedInTail = read >= offset + page.Length && read < offset + page.Length + TailBytes;
                return endedInTail && RawZstdFrame.ContentOffset(new ReadOnlySpan<byte>(head, offset), read, page.Length) == offset
                    ? Outcome.Read
                    : Outcome.NotRaw;
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private readonly struct IoVector(byte* start, nint length)
    {
        public readonly byte* Start = start;
        public readonly nint Length = length;
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "preadv", SetLastError = true)]
    private static partial nint PreadV(int fd, IoVector* vectors, int count, long offset);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}

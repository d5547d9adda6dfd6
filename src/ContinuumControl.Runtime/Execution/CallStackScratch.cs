using Wasmtime;

namespace ContinuumControl.Runtime.Execution;

/// <summary>
/// Where Asyncify writes the call stack it unwinds and reads it back from when it rewinds: the top of the guest's own
/// linear memory, borrowed for exactly that moment and handed back byte for byte. The stack itself travels beside the
/// memory (<see cref="Checkpoints.AsyncifyState.Stack"/>), so a checkpoint's memory is exactly the guest's.
/// <para>
/// Why borrow instead of owning a buffer: the runtime used to grow memory for one at the first checkpoint, and a guest
/// cannot tell that growth from its own. wasi-libc's malloc takes everything from <c>__heap_base</c> up to
/// <c>memory.size</c> as its first heap, so a checkpoint before the first allocation handed the buffer to the
/// allocator, and the next unwind wrote the call stack over live heap (rust-collections' B-trees broke in about one
/// run in four that was paused early). Nothing here grows memory: the guest never sees a byte it did not write.
/// </para>
/// </summary>
internal sealed class CallStackScratch(int capacity)
{
    /// <summary>Asyncify's header: the current stack position and the buffer's end, two i32 addresses.</summary>
    public const int HeaderBytes = 8;

    private byte[] saved = [];
    private long address;
    private int borrowed;

    /// <summary>Before <c>asyncify_start_unwind</c>: borrows up to the capacity at the top of memory and writes an empty header.</summary>
    /// <returns>The header's address, for <c>asyncify_start_unwind</c>.</returns>
    public int BeginUnwind(Memory memory)
    {
        var length = memory.GetLength();
        var size = (int)Math.Min(capacity, length) & ~7;
        if (size <= HeaderBytes)
        {
            throw new InvalidOperationException($"linear memory ({length} bytes) is too small to hold a checkpoint's call stack; give the module at least one page of memory");
        }
        Borrow(memory, length - size, size);
        memory.WriteInt32(address, checked((int)(address + HeaderBytes)));
        memory.WriteInt32(address + 4, checked((int)(address + size)));
        return checked((int)address);
    }

    /// <summary>After <c>asyncify_stop_unwind</c>: takes the unwound stack out of memory and gives the borrowed bytes back.</summary>
    public byte[] EndUnwind(Memory memory)
    {
        var position = memory.ReadInt32(address);
        var stackBytes = position - (address + HeaderBytes);
        if (stackBytes < 0 || stackBytes > borrowed - HeaderBytes)
        {
            throw new InvalidOperationException($"Asyncify left its stack position at {position}, outside the {borrowed}-byte buffer at {address}");
        }
        var stack = memory.GetSpan(address + HeaderBytes, (int)stackBytes).ToArray();
        // Asyncify writes nothing past its stack position: the header and the stack are all that changed.
        GiveBack(memory, HeaderBytes + (int)stackBytes);
        return stack;
    }

    /// <summary>Before <c>asyncify_start_rewind</c>: puts <paramref name="stack"/> at the top of memory, as the unwind left it.</summary>
    /// <returns>The header's address, for <c>asyncify_start_rewind</c>.</returns>
    public int BeginRewind(Memory memory, byte[] stack)
    {
        var length = memory.GetLength();
        var size = (HeaderBytes + stack.Length + 7) & ~7;
        if (size > length)
        {
            throw new InvalidOperationException($"the saved call stack ({stack.Length} bytes) does not fit in linear memory ({length} bytes)");
        }
        Borrow(memory, length - size, size);
        // Rewinding reads the frames back from the end: the position is where the unwind stopped writing.
        memory.WriteInt32(address, checked((int)(address + HeaderBytes + stack.Length)));
        memory.WriteInt32(address + 4, checked((int)(address + size)));
        stack.CopyTo(memory.GetSpan(address + HeaderBytes, stack.Length));
        return checked((int)address);
    }

    /// <summary>Once the rewind is back at the safe point: gives the borrowed bytes back before any guest code runs.</summary>
    public void EndRewind(Memory memory) => GiveBack(memory, borrowed);

    /// <summary>The bytes borrowed now, for a trap's explanation; 0 when memory is the guest's alone.</summary>
    public int Borrowed => borrowed;

    private void Borrow(Memory memory, long at, int size)
    {
        if (saved.Length < size)
        {
            saved = GC.AllocateUninitializedArray<byte>(size);
        }
        address = at;
        borrowed = size;
        memory.GetSpan(at, size).CopyTo(saved);
    }

    private void GiveBack(Memory memory, int bytes)
    {
        saved.AsSpan(0, bytes).CopyTo(memory.GetSpan(address, bytes));
        borrowed = 0;
    }
}

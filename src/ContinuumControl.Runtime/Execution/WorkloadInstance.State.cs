using ContinuumControl.Runtime.Checkpoints;
using ContinuumControl.Runtime.Instrumentation;
using Wasmtime;

namespace ContinuumControl.Runtime.Execution;

/// <summary>Moving state between a live instance and checkpoint form: the Asyncify buffer, capture and restore.</summary>
public sealed partial class WorkloadInstance
{
    private const int PageSize = CheckpointManifest.PageSize;
    private CallStackScratch? scratch;
    private byte[] stack = [];
    private byte[] captureBuffer = [];

    private CallStackScratch Scratch => scratch ??= new CallStackScratch(options.AsyncifyBufferBytes);

    /// <summary>Starts the Asyncify unwind into the top of linear memory, borrowed until <see cref="TakeUnwoundStack"/>.</summary>
    private void BeginUnwind() => startUnwind!(Scratch.BeginUnwind(memory!));

    /// <summary>After the unwind: the call stack leaves memory, which is the guest's alone again.</summary>
    private void TakeUnwoundStack() => stack = Scratch.EndUnwind(memory!);

    /// <summary>Starts rewinding the saved call stack, put back at the top of memory until <see cref="EndRewind"/>.</summary>
    private void BeginRewind() => startRewind!(Scratch.BeginRewind(memory!, stack));

    /// <summary>The rewind is back at the safe point: the borrowed bytes go back before the guest runs on.</summary>
    private void EndRewind() => Scratch.EndRewind(memory!);

    private List<CheckpointGlobal> CaptureGlobals()
    {
        // A loop for the reason given in ApplyRestore: LINQ over the tuples is compiled on first use, inside a pause.
        var values = new List<CheckpointGlobal>(globals.Count);
        foreach (var (name, global) in globals)
        {
            values.Add(ReadGlobal(name, global));
        }
        return values;
    }

    private WasiState CaptureWasi()
    {
        // At a safe point nothing is being written: once drained, the offsets count every byte the guest wrote.
        output.Drain();
        return new(args, env, preopens.Select(p => new CheckpointPreopen(p.Volume, p.GuestPath)).ToList(), output.StdoutOffset, output.StderrOffset);
    }

    private CapturedState Capture(CheckpointRequest request)
    {
        var mem = memory!;
        var totalPages = mem.GetSize();
        var indices = PageCapture.NonZeroPages(mem.GetPointer(), totalPages);
        // A paused instance's memory cannot change, so the writer reads it in place; only a checkpoint that lets
        // the workload continue at once needs a copy.
        byte[]? copy = null;
        if (request.Mode == CheckpointMode.Continue)
        {
            if (captureBuffer.Length < indices.Length * PageSize)
            {
                captureBuffer = GC.AllocateUninitializedArray<byte>(indices.Length * PageSize);
            }
            PageCapture.Copy(mem.GetPointer(), indices, captureBuffer);
            copy = captureBuffer;
        }
        var globalValues = CaptureGlobals();
        var wasi = CaptureWasi();
        var asyncify = new AsyncifyState(0, 0, stack.Length, stack);
        var cpuUsed = CpuUsed();
        var number = ++sequence;
        var createdAt = options.Time.GetUtcNow();
        return new CapturedState
        {
            PageCopy = copy,
            MemoryBase = copy is null ? mem.GetPointer() : 0,
            PageIndices = indices,
            BuildManifest = pages => new CheckpointManifest
            {
                ModuleHash = Module.Hash,
                InstrumentationVersion = InstrumentationMarker.Version,
                WorkloadName = Name,
                Sequence = number,
                CreatedAt = createdAt,
                MemoryPages = totalPages,
                Pages = pages,
                Globals = globalValues,
                Asyncify = asyncify,
                Wasi = wasi,
                CpuTimeUsed = cpuUsed,
                MemoryLimitBytes = memoryLimit,
                CpuTimeLimit = cpuLimit,
            },
        };
    }

    /// <summary>Memory is in place already (loaded during RestoreAsync): sets the globals and where the saved call stack lies.</summary>
    private void ApplyRestore(CheckpointManifest manifest)
    {
        // A loop, not ToDictionary over the tuples: that generic instantiation was compiled during a process's first
        // restore (0.9 ms of it).
        var byName = new Dictionary<string, Global>(globals.Count, StringComparer.Ordinal);
        foreach (var (name, global) in globals)
        {
            byName[name] = global;
        }
        foreach (var saved in manifest.Globals)
        {
            if (!byName.TryGetValue(saved.Name, out var global))
            {
                throw new CheckpointRejectedException($"the checkpoint sets global '{saved.Name}', which the module does not export; it does not belong to this module");
            }
            WriteGlobal(global, saved);
        }
        stack = manifest.Asyncify.Stack ?? TakeStackFromMemory(manifest.Asyncify);
    }

    /// <summary>
    /// A checkpoint written before the stack travelled beside the memory keeps it in a buffer inside the memory: it is
    /// taken out and the buffer cleared, as that runtime did after its rewind.
    /// </summary>
    private byte[] TakeStackFromMemory(AsyncifyState asyncify)
    {
        var bytes = memory!.GetSpan(asyncify.BufferAddress + CallStackScratch.HeaderBytes, checked((int)asyncify.StackBytes)).ToArray();
        memory.GetSpan(asyncify.BufferAddress, checked((int)(CallStackScratch.HeaderBytes + asyncify.StackBytes))).Clear();
        return bytes;
    }

    private static CheckpointGlobal ReadGlobal(string name, Global global) => global.Kind switch
    {
        ValueKind.Int32 => new CheckpointGlobal(name, "i32", (int)global.GetValue()!),
        ValueKind.Int64 => new CheckpointGlobal(name, "i64", (long)global.GetValue()!),
        ValueKind.Float32 => new CheckpointGlobal(name, "f32", BitConverter.SingleToInt32Bits((float)global.GetValue()!)),
        ValueKind.Float64 => new CheckpointGlobal(name, "f64", BitConverter.DoubleToInt64Bits((double)global.GetValue()!)),
        _ => throw new InvalidOperationException($"global '{name}' has type {global.Kind}, which a checkpoint cannot hold"),
    };

    private static void WriteGlobal(Global global, CheckpointGlobal saved)
    {
        object value = saved.Type switch
        {
            "i32" => (int)saved.Bits,
            "i64" => saved.Bits,
            "f32" => BitConverter.Int32BitsToSingle((int)saved.Bits),
            "f64" => BitConverter.Int64BitsToDouble(saved.Bits),
            _ => throw new CheckpointRejectedException($"global '{saved.Name}' has unknown type '{saved.Type}' in the checkpoint"),
        };
        global.SetValue(value);
    }
}

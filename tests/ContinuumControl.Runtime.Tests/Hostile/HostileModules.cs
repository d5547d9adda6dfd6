namespace ContinuumControl.Runtime.Tests.Hostile;

/// <summary>
/// Modules written to defeat safe points: each runs forever unless the runtime reaches into it. They print one line
/// first so a test knows the guest is past its start and spinning.
/// </summary>
internal static class HostileModules
{
    private const string Prelude = """
          (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
          (memory (export "memory") 1)
          (data (i32.const 16) "spinning\n")
          (func $announce
            (i32.store (i32.const 0) (i32.const 16))
            (i32.store (i32.const 4) (i32.const 9))
            (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
        """;

    /// <summary><c>(loop (br 0))</c> in <c>_start</c> of a module that imports <c>continuum.yield</c> and never calls it.</summary>
    public static readonly string CooperativeSpin = $$"""
        (module
          (import "continuum" "yield" (func $yield))
          {{Prelude}}
          (func (export "_start") (call $announce) (loop (br 0))))
        """;

    /// <summary>The same loop in a module without the import (automatic safe points).</summary>
    public static readonly string AutomaticSpin = $$"""
        (module
          {{Prelude}}
          (func (export "_start") (call $announce) (loop (br 0))))
        """;

    /// <summary>A start function that loops: Wasmtime would run it inside instantiation, before any safe point exists.</summary>
    public static readonly string StartFunctionSpin = $$"""
        (module
          (import "continuum" "yield" (func $yield))
          {{Prelude}}
          (func $init (call $announce) (loop (br 0)))
          (start $init)
          (func (export "_start")))
        """;

    /// <summary>A counter that a start function seeds and <c>_start</c> counts up, with the guest's own yield at the end only.</summary>
    public static readonly string StartFunctionCounts = """
        (module
          (import "continuum" "yield" (func $yield))
          (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
          (memory (export "memory") 1)
          (global $seed (mut i32) (i32.const 0))
          (func $init (global.set $seed (i32.const 40)))
          (start $init)
          (func (export "_start")
            (local $i i32) (local $x i32)
            (local.set $x (global.get $seed))
            (loop $l
              (local.set $x (i32.add (i32.mul (local.get $x) (i32.const 1103515245)) (i32.const 12345)))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br_if $l (i32.lt_u (local.get $i) (i32.const 300000000))))
            (call $yield)
            (call $exit (i32.and (i32.add (local.get $x) (global.get $seed)) (i32.const 255)))))
        """;

    /// <summary>Recursion without end: the guest's stack runs out.</summary>
    public static readonly string EndlessRecursion = $$"""
        (module
          {{Prelude}}
          (func $down (param $n i32) (result i32) (i32.add (call $down (i32.add (local.get $n) (i32.const 1))) (i32.const 1)))
          (func (export "_start") (call $announce) (drop (call $down (i32.const 0)))))
        """;

    /// <summary>A function table of 50 million entries (400 MB of host memory at instantiation).</summary>
    public static readonly string HugeTable = $$"""
        (module
          {{Prelude}}
          (table 50000000 funcref)
          (func (export "_start") (call $announce)))
        """;
}

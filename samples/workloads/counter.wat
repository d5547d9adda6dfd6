;; counter.wat - a workload written by hand in WebAssembly text format.
;;
;; Prints 20 numbered lines, each after ~16 million steps of a 32-bit
;; LCG/xorshift generator, then a final line.  Imports only WASI fd_write and
;; continuum.yield; calls yield after every line and every 2^20 steps inside
;; the work loop (so a checkpoint can land with $work's locals on the stack).
;;
;; The line counter and the generator state live in PRIVATE mutable globals
;; (not exported): the runtime's admission must export them for a checkpoint
;; to capture them, otherwise a restored run prints wrong line numbers/values.
;;
;; Memory layout: 0 iovec {ptr,len}; 8 nwritten; 16 line text; 64 final text;
;; 128 header text.
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "continuum" "yield" (func $yield))

  (memory (export "memory") 1)

  (global $line (mut i32) (i32.const 0))
  (global $value (mut i32) (i32.const 0x12345678))

  ;; "counter.wat line NN: value=XXXXXXXX\n": digits at 33-34, hex at 43-50
  (data (i32.const 16) "counter.wat line 00: value=00000000\n")
  ;; "counter.wat done: value=XXXXXXXX\n": hex at 88-95
  (data (i32.const 64) "counter.wat done: value=00000000\n")
  (data (i32.const 128) "counter.wat: 20 lines\n")

  ;; write len bytes at ptr to stdout
  (func $print (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))

  ;; write v as 8 lowercase hex digits at ptr
  (func $hex (param $ptr i32) (param $v i32)
    (local $i i32) (local $d i32)
    (local.set $i (i32.const 7))
    (loop $digits
      (local.set $d (i32.and (local.get $v) (i32.const 15)))
      (i32.store8
        (i32.add (local.get $ptr) (local.get $i))
        (i32.add (local.get $d)
          (select (i32.const 87) (i32.const 48) (i32.ge_u (local.get $d) (i32.const 10)))))
      (local.set $v (i32.shr_u (local.get $v) (i32.const 4)))
      (local.set $i (i32.sub (local.get $i) (i32.const 1)))
      (br_if $digits (i32.ge_s (local.get $i) (i32.const 0)))))

  ;; n generator steps from $value; yields every 2^20 steps
  (func $work (param $n i32) (result i32)
    (local $x i32) (local $i i32)
    (local.set $x (global.get $value))
    (loop $steps
      (local.set $x (i32.add (i32.mul (local.get $x) (i32.const 1664525)) (i32.const 1013904223)))
      (local.set $x (i32.xor (local.get $x) (i32.shr_u (local.get $x) (i32.const 13))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (if (i32.eqz (i32.and (local.get $i) (i32.const 0xfffff)))
        (then (call $yield)))
      (br_if $steps (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $x))

  (func (export "_start")
    (call $print (i32.const 128) (i32.const 22))
    (loop $lines
      (global.set $line (i32.add (global.get $line) (i32.const 1)))
      (global.set $value (call $work (i32.const 16777216)))
      (i32.store8 (i32.const 33) (i32.add (i32.const 48) (i32.div_u (global.get $line) (i32.const 10))))
      (i32.store8 (i32.const 34) (i32.add (i32.const 48) (i32.rem_u (global.get $line) (i32.const 10))))
      (call $hex (i32.const 43) (global.get $value))
      (call $print (i32.const 16) (i32.const 36))
      (call $yield)
      (br_if $lines (i32.lt_u (global.get $line) (i32.const 20))))
    (call $hex (i32.const 88) (global.get $value))
    (call $print (i32.const 64) (i32.const 33)))
)

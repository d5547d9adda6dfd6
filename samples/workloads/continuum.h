/*
 * continuum.h - ContinuumControl guest SDK: cooperative safe points.
 *
 * A *safe point* is a place in your program where the platform may pause the
 * workload, capture its complete state (linear memory, globals and the call
 * stack, which the runtime unwinds into linear memory with Binaryen's Asyncify)
 * and resume it later - possibly in another process, on another node, even on
 * another CPU architecture.  When continuum_yield() returns, the program simply
 * carries on: every local variable, every heap byte and every static keeps the
 * value it had before the call, so from the program's point of view nothing
 * happened except that some wall-clock time may have passed.
 *
 * Call continuum_yield() where it is cheap and natural: between iterations of
 * an outer loop, after finishing a unit of work.  When no checkpoint is pending
 * it is a single call into the host that returns at once (tens of nanoseconds);
 * calling it every few milliseconds is plenty.  Admission also inserts
 * automatic safe points (an inline flag check at loop headers and function
 * entries) into every module, this one included: a program that stops
 * yielding can still be stopped, moved and held to its CPU limit.
 *
 * What does NOT survive a move: files the guest opened itself (other than
 * stdio and preopened directories), and anything you learned from the clock.
 * Output already written stays written; output after the move continues at the
 * same byte offset of the same stream.
 *
 * Build with: clang-14 --target=wasm32-wasi --sysroot=/usr -O2 -mmutable-globals
 *             -Wl,--export=__stack_pointer
 */
#ifndef CONTINUUM_H
#define CONTINUUM_H

#ifdef __cplusplus
extern "C" {
#endif

/* A cooperative safe point: the workload may be paused and moved here. */
__attribute__((import_module("continuum"), import_name("yield")))
void continuum_yield(void);

#ifdef __cplusplus
}
#endif

#endif /* CONTINUUM_H */

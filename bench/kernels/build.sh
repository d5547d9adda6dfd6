#!/usr/bin/env bash
# Builds the downtime benchmark's compute kernels (bench/kernels/*.c) to <name>.wasm, plain and uninstrumented:
# admission instruments them. The built .wasm files are committed, so the benchmark runs without the toolchain.
#   ./build.sh          build all
# Environment: CLANG (default clang-14), WASI_SYSROOT (default /usr).
# Debian 12 packages: clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32
set -euo pipefail
cd "$(dirname "$0")"
CLANG=${CLANG:-clang-14}
SYSROOT=${WASI_SYSROOT:-/usr}
# -mmutable-globals + --export=__stack_pointer: the checkpoint captures the C shadow stack pointer.
# --strip-debug: Debian's wasi-libc carries DWARF that admission does not need.
CFLAGS=(--target=wasm32-wasi "--sysroot=$SYSROOT" -O2 -mmutable-globals -Wall -Wextra -Werror
        -Wl,--export=__stack_pointer -Wl,--strip-debug -lm)
for src in *.c; do
  name=${src%.c}
  "$CLANG" "${CFLAGS[@]}" -o "$name.wasm" "$src"
  echo "built $name.wasm ($(wc -c <"$name.wasm") bytes)"
done

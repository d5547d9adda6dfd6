#!/usr/bin/env bash
# Builds flood.wasm (plain WASI; the runtime instruments it as admission does).
# The benchmark and tests run this themselves; OUT names the output file.
set -euo pipefail
cd "$(dirname "$0")"
CLANG=${CLANG:-clang-14}
OUT=${1:-flood.wasm}
"$CLANG" --target=wasm32-wasi --sysroot="${WASI_SYSROOT:-/usr}" -O2 -mmutable-globals -Wall -Wextra -Werror \
  -Wl,--export=__stack_pointer -Wl,--strip-debug -o "$OUT" flood.c

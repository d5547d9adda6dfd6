#!/usr/bin/env bash
# Builds every sample workload in this folder to <name>.wasm (plain, uninstrumented:
# the runtime instruments modules itself at admission).  The built .wasm files are
# committed, so running the samples needs none of these tools.
#
#   ./build.sh            build all samples (C with clang-14, Rust with /usr/bin/rustc, WAT with wat2wasm)
#   ./build.sh --check    also run each module through Asyncify with wasm-opt, as
#                         admission does, to prove it can be instrumented
#
# Environment: CLANG (default clang-14), RUSTC (default /usr/bin/rustc: Debian's, which has the wasm32-wasi
#              std; a rustup rustc earlier on PATH usually lacks it), WAT2WASM (default wat2wasm),
#              WASM_OPT (default wasm-opt), WASI_SYSROOT (default /usr).
# Debian 12 packages: clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32 rustc libstd-rust-dev-wasm32 wabt binaryen
#
# Builds are reproducible: the same sources and toolchain give the same bytes
# (relative paths only, no debug info, no timestamps).
set -euo pipefail
cd "$(dirname "$0")"

CLANG=${CLANG:-clang-14}
RUSTC=${RUSTC:-/usr/bin/rustc}
WAT2WASM=${WAT2WASM:-wat2wasm}
WASM_OPT=${WASM_OPT:-wasm-opt}
SYSROOT=${WASI_SYSROOT:-/usr}
CHECK=0
[[ "${1:-}" == "--check" ]] && CHECK=1

missing() {
  echo "build.sh: '$1' not found." >&2
  echo "  Install on Debian/Ubuntu: sudo apt-get install -y --no-install-recommends $2" >&2
  exit 1
}
command -v "$CLANG" >/dev/null || missing "$CLANG" "clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32"
command -v wasm-ld-14 >/dev/null || command -v wasm-ld >/dev/null || missing wasm-ld "lld-14"
[[ -f "$SYSROOT/lib/wasm32-wasi/libc.a" ]] || missing "wasi-libc ($SYSROOT/lib/wasm32-wasi/libc.a)" "wasi-libc"
command -v "$RUSTC" >/dev/null || missing "$RUSTC" "rustc libstd-rust-dev-wasm32"
[[ -n "$(compgen -G "$("$RUSTC" --print sysroot)/lib/rustlib/wasm32-wasi/lib/libstd-*.rlib")" ]] \
  || missing "the wasm32-wasi standard library for $RUSTC" "libstd-rust-dev-wasm32"
command -v "$WAT2WASM" >/dev/null || missing "$WAT2WASM" "wabt"
if (( CHECK )); then command -v "$WASM_OPT" >/dev/null || missing "$WASM_OPT" "binaryen"; fi

# -mmutable-globals: lld refuses to export the (mutable) stack pointer without it.
# --export=__stack_pointer: the checkpoint must capture the C shadow stack pointer.
# --strip-debug: Debian's wasi-libc carries DWARF (~100 KB per module) that nobody needs here.
CFLAGS=(--target=wasm32-wasi "--sysroot=$SYSROOT" -O2 -mmutable-globals -Wall -Wextra -Werror
        -Wl,--export=__stack_pointer -Wl,--strip-debug)

for src in *.c; do
  name=${src%.c}
  extra=()
  case "$name" in
    # ~3000 frames each keep a small array on the C shadow stack: give it 1 MiB (default 64 KiB).
    deep-recursion) extra+=(-Wl,-z,stack-size=1048576) ;;
  esac
  # Programs that read process clocks need wasi-libc's emulation library.
  if grep -Eq '\b(clock|getrusage|times)\s*\(' "$src"; then
    extra+=(-D_WASI_EMULATED_PROCESS_CLOCKS -lwasi-emulated-process-clocks)
  fi
  "$CLANG" "${CFLAGS[@]}" "${extra[@]}" -o "$name.wasm" "$src"
  echo "built $name.wasm ($(wc -c <"$name.wasm") bytes)"
done

# Rust: release builds. -C strip=debuginfo drops the ~5 MB of DWARF Rust's std brings (admission would drop it
# anyway) but keeps the name section, so a trap names the Rust function. No continuum SDK is needed: only
# rust-files imports continuum.yield, through its own two-line extern block.
RUSTFLAGS=(--target wasm32-wasi --edition 2021 -O -C strip=debuginfo -D warnings --remap-path-prefix "$PWD=.")
for src in *.rs; do
  name=${src%.rs}
  "$RUSTC" "${RUSTFLAGS[@]}" -o "$name.wasm" "$src"
  echo "built $name.wasm ($(wc -c <"$name.wasm") bytes)"
done

for src in *.wat; do
  name=${src%.wat}
  "$WAT2WASM" "$src" -o "$name.wasm"
  echo "built $name.wasm ($(wc -c <"$name.wasm") bytes)"
done

if (( CHECK )); then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  for wasm in *.wasm; do
    "$WASM_OPT" "$wasm" --asyncify --pass-arg=asyncify-imports@continuum.yield -O2 -o "$tmp/$wasm"
    echo "asyncify ok: $wasm -> $(wc -c <"$tmp/$wasm") bytes"
  done
fi

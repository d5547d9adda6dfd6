#!/usr/bin/env bash
# The one test command (CI runs it through .ci/run). Idempotent; fast when everything is present.
#
#   ./test.sh [extra dotnet test arguments]      e.g. ./test.sh --filter FullyQualifiedName~Placement
#
# 1. Installs the Debian packages the tests need when one is missing (apt-get, waiting for the apt lock).
# 2. Starts a throwaway PostgreSQL on 127.0.0.1 (port 55432 or the next free one) in a temp folder;
#    it is stopped and deleted on exit, whatever the outcome.
# 3. Exports for the tests:
#      CONTINUUM_TEST_POSTGRES  Npgsql connection string of a superuser (tests create their own databases)
#      CONTINUUM_CHROMIUM       /usr/bin/chromium
#      CONTINUUM_WASM_OPT       path of binaryen's wasm-opt
# 4. dotnet tool restore; dotnet build -c Release; for each provider, checks that EF migrations are current
#    (`dotnet ef migrations has-pending-model-changes`); dotnet test with TRX results in TestResults/.
# 5. Prints the failures, then a last line `N passed, N failed[, N skipped]` counting every test and each
#    check above. Exits non-zero when anything failed or no test ran.
#
# Knobs (environment): CONTINUUM_PG_PORT (first port to try, default 55432), CONTINUUM_SKIP_INSTALL=1 (never
# run apt-get), CONTINUUM_TEST_VERBOSITY (console logger, default normal), CONTINUUM_TEST_TIMEOUT (whole
# dotnet test run, default 75m), CONTINUUM_TEST_HANG_TIMEOUT (one test, default 15m).
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT" || exit 1
# shellcheck source=scripts/lib/postgres.sh
source "$ROOT/scripts/lib/postgres.sh"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export DOTNET_GENERATE_ASPNET_CERTIFICATE=false
# In CI no build server (MSBuild nodes, MSBuild server, compiler server) may outlive the run: start none.
if [[ "${CI:-}" == true ]]; then
  export MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0 UseSharedCompilation=false
fi
RESULTS="$ROOT/TestResults"
SOLUTION=ContinuumControl.sln
CONFIG=Release

PG_DIR=""
passed=0
failed=0
skipped=0
failures=()
START=$SECONDS

step() { printf '\n==> [%4ss] %s\n' "$((SECONDS - START))" "$*"; }
check_passed() { passed=$((passed + 1)); echo "PASSED check: $1"; }
check_failed() { failed=$((failed + 1)); failures+=("check: $1"); echo "FAILED check: $1" >&2; }

summary_and_exit() {
  teardown
  echo
  if ((${#failures[@]} > 0)); then
    echo "Failures:"
    printf '  %s\n' "${failures[@]}"
  fi
  if [[ -s "$RESULTS/failures.txt" ]]; then
    echo
    echo "Why (first lines of each failed test's message; the full text is in the log above and in $RESULTS):"
    cat "$RESULTS/failures.txt"
  fi
  echo "Took $((SECONDS - START))s."
  local line="$passed passed, $failed failed"
  ((skipped > 0)) && line+=", $skipped skipped"
  echo "$line"
  if ((failed > 0)); then exit 1; fi
  exit 0
}

# Stops PostgreSQL and deletes its folder; idempotent. Runs before the summary (so the total stays the
# last line) and again from the EXIT trap (failure, Ctrl-C, kill).
teardown() {
  if [[ -n "$PG_DIR" ]]; then
    pg_local_stop "$PG_DIR"
    echo "postgres stopped, $PG_DIR deleted"
    PG_DIR=""
  fi
}
on_exit() {
  local rc=$?
  trap - EXIT INT TERM
  teardown >&2
  exit "$rc"
}
# dotnet test runs in the background under `timeout`, which puts it in a process group of its own (so the
# whole tree can be stopped): a Ctrl-C or TERM is passed on to it here, then the EXIT trap cleans up.
TEST_PID=""
on_signal() {
  if [[ -n "$TEST_PID" ]]; then
    kill -TERM "$TEST_PID" 2>/dev/null
    wait "$TEST_PID" 2>/dev/null
  fi
  exit "$1"
}
trap on_exit EXIT
trap 'on_signal 130' INT
trap 'on_signal 143' TERM

# ---------------------------------------------------------------------------------------------------
# 1. Debian packages
# package => files that prove it is installed (a glob is fine)
declare -A PACKAGE_FILES=(
  [postgresql]="/usr/lib/postgresql/15/bin/postgres /usr/lib/postgresql/15/bin/initdb /usr/lib/postgresql/15/bin/pg_ctl /usr/bin/psql"
  [chromium]="/usr/bin/chromium"
  [binaryen]="/usr/bin/wasm-opt"
  [wabt]="/usr/bin/wat2wasm /usr/bin/wasm2wat"
  [clang-14]="/usr/bin/clang-14"
  [lld-14]="/usr/bin/wasm-ld-14"
  [wasi-libc]="/usr/lib/wasm32-wasi/libc.a"
  [libclang-rt-14-dev-wasm32]="/usr/lib/llvm-14/lib/clang/*/lib/wasi/libclang_rt.builtins-wasm32.a"
  # C++ for WASI (the toolchain admission tests build C++ with clang++-14 against libc++)
  [libc++-14-dev-wasm32]="/usr/lib/wasm32-wasi/libc++.a"
  [libc++abi-14-dev-wasm32]="/usr/lib/wasm32-wasi/libc++abi.a"
  # Rust for WASI: Debian's rustc (always /usr/bin/rustc: a rustup one on PATH usually lacks the wasm32-wasi std)
  [rustc]="/usr/bin/rustc"
  [libstd-rust-dev-wasm32]="/usr/lib/rustlib/wasm32-wasi/lib/libstd-*.rlib"
  # Native builds of the same sources give the expected output: C/C++ headers, and the linker rustc calls
  [gcc]="/usr/bin/gcc"
  [libc6-dev]="/usr/include/stdio.h"
  [libstdc++-12-dev]="/usr/include/c++/12/vector"
)
PACKAGE_ORDER=(postgresql chromium binaryen wabt clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32
  libc++-14-dev-wasm32 libc++abi-14-dev-wasm32 rustc libstd-rust-dev-wasm32 gcc libc6-dev libstdc++-12-dev)

package_present() {
  local f
  for f in ${PACKAGE_FILES[$1]}; do   # unquoted on purpose: expands the globs
    [[ -e "$f" ]] || return 1
  done
}

# apt-get, retried while another apt/dpkg holds a lock (up to ~15 minutes).
apt_get() {
  local sudo=() out rc i
  if [[ "$(id -u)" != 0 ]]; then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
      sudo=(sudo -n)
    else
      echo "apt-get needs root (or password-less sudo): install the packages above by hand" >&2
      return 1
    fi
  fi
  for i in $(seq 1 90); do
    out="$("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=600 \
      -o Acquire::Retries=3 "$@" </dev/null 2>&1)"
    rc=$?
    if ((rc == 0)); then
      tail -n 3 <<<"$out"
      return 0
    fi
    if grep -qiE 'could not get lock|unable to acquire|is another process using it' <<<"$out"; then
      ((i == 1)) && echo "apt is locked by another process: waiting"
      sleep 10
      continue
    fi
    echo "$out" >&2
    return "$rc"
  done
  echo "$out" >&2
  return 1
}

step "Debian packages"
missing=()
for p in "${PACKAGE_ORDER[@]}"; do
  package_present "$p" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  echo "all present: ${PACKAGE_ORDER[*]}"
elif [[ "${CONTINUUM_SKIP_INSTALL:-}" == 1 ]]; then
  echo "missing (CONTINUUM_SKIP_INSTALL=1, not installing): ${missing[*]}" >&2
else
  echo "installing: ${missing[*]}"
  if apt_get update && apt_get install -y --no-install-recommends "${missing[@]}"; then
    still=()
    for p in "${missing[@]}"; do package_present "$p" || still+=("$p"); done
    if ((${#still[@]} > 0)); then
      check_failed "packages installed but files still missing: ${still[*]}"
      summary_and_exit
    fi
  else
    check_failed "apt-get install ${missing[*]}"
    summary_and_exit
  fi
fi

# ---------------------------------------------------------------------------------------------------
# 2. PostgreSQL

step "PostgreSQL"
PG_TMP_PREFIX=/tmp/continuum-pg-test.
pg_local_reap_stale "$PG_TMP_PREFIX"
PG_DIR="$(mktemp -d "${PG_TMP_PREFIX}XXXXXX")"
if ! pg_local_start "$PG_DIR" "${CONTINUUM_PG_PORT:-55432}"; then
  check_failed "start PostgreSQL"
  summary_and_exit
fi
echo "listening on 127.0.0.1:$PG_LOCAL_PORT (data in $PG_DIR)"

export CONTINUUM_TEST_POSTGRES="$PG_LOCAL_CONNECTION_STRING"
export CONTINUUM_CHROMIUM=/usr/bin/chromium
CONTINUUM_WASM_OPT="$(command -v wasm-opt || echo /usr/bin/wasm-opt)"
export CONTINUUM_WASM_OPT
echo "CONTINUUM_TEST_POSTGRES=$CONTINUUM_TEST_POSTGRES"
echo "CONTINUUM_CHROMIUM=$CONTINUUM_CHROMIUM"
echo "CONTINUUM_WASM_OPT=$CONTINUUM_WASM_OPT"

# ---------------------------------------------------------------------------------------------------
# 3. Build
step "dotnet tool restore"
if ! dotnet tool restore; then
  check_failed "dotnet tool restore"
  summary_and_exit
fi

step "dotnet build $SOLUTION -c $CONFIG"
if dotnet build "$SOLUTION" -c "$CONFIG" -nologo -clp:NoSummary -v:q; then
  check_passed "build"
else
  check_failed "build ($SOLUTION -c $CONFIG)"
  summary_and_exit
fi

# ---------------------------------------------------------------------------------------------------
# 4. EF Core: no model change without a migration, per provider
ef_check() {
  local provider="$1" project="$2" out rc
  shift 2
  step "EF migrations current: $provider"
  # Note: dotnet ef's -c is --context; the build configuration is --configuration.
  out="$(dotnet ef migrations has-pending-model-changes --no-build --configuration "$CONFIG" \
    --project "$project" --startup-project src/ContinuumControl.Server -- "$@" </dev/null 2>&1)"
  rc=$?
  echo "$out"
  if ((rc == 0)); then
    check_passed "EF migrations current ($provider)"
  else
    check_failed "EF migrations current ($provider): $(grep -v '^\s*$' <<<"$out" | tail -n 1)"
  fi
}
ef_check Sqlite migrations/ContinuumControl.Migrations.Sqlite --Database:Provider=Sqlite
ef_check Postgres migrations/ContinuumControl.Migrations.Postgres --Database:Provider=Postgres \
  "--Database:ConnectionString=$CONTINUUM_TEST_POSTGRES"

# ---------------------------------------------------------------------------------------------------
# 5. Tests
step "dotnet test $SOLUTION $*"
rm -rf "$RESULTS"
mkdir -p "$RESULTS"
timeout -k 30s "${CONTINUUM_TEST_TIMEOUT:-75m}" \
  dotnet test "$SOLUTION" -c "$CONFIG" --no-build --results-directory "$RESULTS" \
  --logger trx --logger "console;verbosity=${CONTINUUM_TEST_VERBOSITY:-normal}" \
  --blame-hang-timeout "${CONTINUUM_TEST_HANG_TIMEOUT:-15m}" --blame-hang-dump-type none \
  "$@" </dev/null &
TEST_PID=$!
wait "$TEST_PID"
test_rc=$?
TEST_PID=""

# Count the <UnitTestResult outcome=...> of every TRX file (one per test project). xunit's skipped tests are
# "NotExecuted" there (and not in the <Counters> summary, which is why that is not used).
t_passed=0 t_failed=0 t_skipped=0 trx_count=0
while IFS= read -r -d '' trx; do
  trx_count=$((trx_count + 1))
  while IFS=$'\t' read -r outcome name; do
    case "$outcome" in
      Passed | PassedButRunAborted) t_passed=$((t_passed + 1)) ;;
      Failed | Error | Timeout | Aborted)
        t_failed=$((t_failed + 1))
        failures+=("test: $name")
        ;;
      *) t_skipped=$((t_skipped + 1)) ;;
    esac
  done < <(grep -o '<UnitTestResult [^>]*>' "$trx" \
    | sed -n 's/.* testName="\([^"]*\)".* outcome="\([A-Za-z]*\)".*/\2\t\1/p')
done < <(find "$RESULTS" -name '*.trx' -print0)

if ((t_failed > 0)); then
  find "$RESULTS" -name '*.trx' -exec awk -f "$ROOT/scripts/lib/trx-failures.awk" {} + >"$RESULTS/failures.txt"
fi

passed=$((passed + t_passed))
failed=$((failed + t_failed))
skipped=$((skipped + t_skipped))
echo
echo "tests alone: passed $t_passed, failed $t_failed, skipped $t_skipped ($trx_count result files, dotnet test exit code $test_rc)"

if ((test_rc == 124 || test_rc == 137)); then
  check_failed "dotnet test exceeded ${CONTINUUM_TEST_TIMEOUT:-75m} and was stopped"
elif ((test_rc != 0 && t_failed == 0)); then
  check_failed "dotnet test exited with code $test_rc but no failed test was recorded (test host crash or abort? see above)"
fi
if ((t_passed + t_failed == 0)); then
  check_failed "no test was executed"
fi

summary_and_exit

#!/usr/bin/env bash
# A local PostgreSQL for running the server on Postgres by hand, the same kind test.sh starts.
#
#   scripts/postgres-dev.sh          start (or report the running one) and print the connection string
#   scripts/postgres-dev.sh stop     stop it and delete its data
#   scripts/postgres-dev.sh status   print the connection string if running
#
# Data lives in $CONTINUUM_PG_DEV_DIR (default /tmp/continuum-pg-dev) and is thrown away by `stop`.
# First port tried: $CONTINUUM_PG_PORT (default 55532, so it does not collide with test.sh's 55432).
# Then, for example:
#   dotnet run --project src/ContinuumControl.Server -- --Database:Provider=Postgres \
#     "--Database:ConnectionString=<printed string>"
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib/postgres.sh
source "$ROOT/scripts/lib/postgres.sh"

DIR="${CONTINUUM_PG_DEV_DIR:-/tmp/continuum-pg-dev}"
# Never reaped by test.sh: its folder has another prefix and a non-numeric owner.
export PG_LOCAL_OWNER=dev

connection_string() {
  echo "Host=127.0.0.1;Port=$(cat "$DIR/port");Username=$PG_LOCAL_ROLE;Password=$PG_LOCAL_PASSWORD;Database=postgres"
}

running() {
  [[ -f "$DIR/port" && -f "$DIR/data/postmaster.pid" ]] || return 1
  local pid
  pid="$(head -n 1 "$DIR/data/postmaster.pid")"
  kill -0 "$pid" 2>/dev/null
}

case "${1:-start}" in
  start)
    if running; then
      echo "already running in $DIR" >&2
    else
      # A half-made or dead folder from before: start over.
      pg_local_stop "$DIR"
      pg_local_start "$DIR" "${CONTINUUM_PG_PORT:-55532}"
      echo "started in $DIR (stop with: $0 stop)" >&2
    fi
    connection_string
    ;;
  stop)
    pg_local_stop "$DIR"
    echo "stopped; $DIR deleted" >&2
    ;;
  status)
    if running; then
      connection_string
    else
      echo "not running" >&2
      exit 1
    fi
    ;;
  *)
    echo "usage: $0 [start|stop|status]" >&2
    exit 2
    ;;
esac

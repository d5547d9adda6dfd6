# shellcheck shell=bash
# Throwaway local PostgreSQL (Debian's postgresql 15 server binaries), shared by test.sh and
# scripts/postgres-dev.sh. Source this file; it defines functions only and changes no shell options.
#
#   pg_local_start DIR [PORT]   initdb + start a server whose data, socket and log live in DIR
#                               (DIR must not exist yet, or be empty). Listens on 127.0.0.1 only,
#                               trust auth, fsync/synchronous_commit/full_page_writes off. Tries
#                               PORT (default 55432) and the next 19 ports if busy. Creates the
#                               superuser role `continuum` (password x). Sets PG_LOCAL_PORT,
#                               PG_LOCAL_DIR and PG_LOCAL_CONNECTION_STRING.
#   pg_local_stop DIR           stop the server in DIR (immediate) and delete DIR. Safe to call twice.
#   pg_local_reap_stale PREFIX  stop and delete servers under PREFIX* whose owning process is gone
#                               (left behind by a `kill -9`ed run). The owner is PG_LOCAL_OWNER
#                               (default: this shell's pid) at start; a non-numeric owner is never reaped.
#
# As root the server runs as the `postgres` user (postgres refuses to run as root), through
# `runuser -u postgres --`; as any other user it runs as that user. pg_ctlcluster is not used: it
# waits on the cluster's configured port, not ours.

PG_LOCAL_ROLE=continuum
PG_LOCAL_PASSWORD=x

pg_local_bindir() {
  local d
  for d in "${CONTINUUM_PG_BINDIR:-}" /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
    if [[ -n "$d" && -x "$d/initdb" && -x "$d/pg_ctl" && -x "$d/postgres" ]]; then
      printf '%s\n' "$d"
      return 0
    fi
  done
  echo "postgres: no server binaries found (apt-get install postgresql)" >&2
  return 1
}

# Runs a command as the user that owns the server.
_pg_as_owner() {
  if [[ "$(id -u)" == 0 ]]; then
    (cd / && runuser -u postgres -- "$@")
  else
    (cd / && "$@")
  fi
}

# True when something accepts TCP connections on 127.0.0.1:PORT.
_pg_port_busy() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

pg_local_start() {
  local dir="$1" port="${2:-55432}" bindir attempt log
  bindir="$(pg_local_bindir)" || return 1
  mkdir -p "$dir" || return 1
  dir="$(cd "$dir" && pwd)"
  echo "${PG_LOCAL_OWNER:-$$}" >"$dir/owner.pid"
  if [[ "$(id -u)" == 0 ]]; then
    chown postgres: "$dir"
    chmod 0755 "$dir"
  fi
  mkdir -p "$dir/socket"
  if [[ "$(id -u)" == 0 ]]; then
    chown postgres: "$dir/socket"
  fi

  # --no-sync: nothing here has to survive a power cut.
  if ! _pg_as_owner "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
      --no-sync --no-instructions >"$dir/initdb.log" 2>&1; then
    echo "postgres: initdb failed:" >&2
    cat "$dir/initdb.log" >&2
    return 1
  fi
  cat >>"$dir/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir/socket'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 300
shared_buffers = 128MB
log_min_messages = warning
EOF

  log="$dir/server.log"
  for attempt in $(seq 0 19); do
    if _pg_port_busy "$port"; then
      port=$((port + 1))
      continue
    fi
    if _pg_as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$log" -o "-p $port" -w -t 60 start >/dev/null 2>&1; then
      break
    fi
    # Lost a race for the port, or something else went wrong: show why, then try the next port.
    tail -n 5 "$log" >&2 2>/dev/null || true
    _pg_as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    port=$((port + 1))
    if [[ "$attempt" == 19 ]]; then
      echo "postgres: could not start on any port" >&2
      return 1
    fi
  done

  local psql="$bindir/psql"
  [[ -x "$psql" ]] || psql="$(command -v psql)"
  local ready=0 i
  for i in $(seq 1 100); do
    if _pg_as_owner "$psql" -X -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -c 'select 1' </dev/null >/dev/null 2>&1; then
      ready=1
      break
    fi
    sleep 0.1
  done
  if [[ "$ready" != 1 ]]; then
    echo "postgres: server on port $port does not answer" >&2
    cat "$log" >&2
    return 1
  fi
  if ! _pg_as_owner "$psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d postgres \
      -c "CREATE ROLE $PG_LOCAL_ROLE LOGIN SUPERUSER PASSWORD '$PG_LOCAL_PASSWORD'" </dev/null >/dev/null; then
    echo "postgres: could not create role $PG_LOCAL_ROLE" >&2
    return 1
  fi

  echo "$port" >"$dir/port"
  PG_LOCAL_DIR="$dir"
  PG_LOCAL_PORT="$port"
  PG_LOCAL_CONNECTION_STRING="Host=127.0.0.1;Port=$port;Username=$PG_LOCAL_ROLE;Password=$PG_LOCAL_PASSWORD;Database=postgres"
}

pg_local_stop() {
  local dir="$1" bindir pid
  [[ -n "$dir" && -d "$dir" ]] || return 0
  if [[ -f "$dir/data/postmaster.pid" ]]; then
    bindir="$(pg_local_bindir 2>/dev/null)" || bindir=""
    if [[ -n "$bindir" ]]; then
      _pg_as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w -t 20 stop >/dev/null 2>&1 || true
    fi
    # pg_ctl missing or failed: stop the postmaster by its pid.
    if [[ -f "$dir/data/postmaster.pid" ]]; then
      pid="$(head -n 1 "$dir/data/postmaster.pid" 2>/dev/null)"
      if [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
        kill -QUIT "$pid" 2>/dev/null || true
        sleep 1
        kill -KILL "$pid" 2>/dev/null || true
      fi
    fi
  fi
  rm -rf "$dir"
}

pg_local_reap_stale() {
  local prefix="$1" dir owner
  for dir in "$prefix"*; do
    [[ -d "$dir" && -f "$dir/owner.pid" ]] || continue
    owner="$(cat "$dir/owner.pid" 2>/dev/null)"
    if [[ "$owner" =~ ^[0-9]+$ ]] && kill -0 "$owner" 2>/dev/null; then
      continue
    fi
    echo "postgres: removing stale server folder $dir" >&2
    pg_local_stop "$dir"
  done
}

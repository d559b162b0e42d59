#!/usr/bin/env bash
# Run a command with a throwaway PostgreSQL 15 and a throwaway Redis on free loopback ports.
#
#   scripts/with-services.sh pytest -x
#   scripts/with-services.sh bash -c 'psql "$DATABASE_URL" -c "select 1" && redis-cli -u "$REDIS_URL" ping'
#
# Exports DATABASE_URL (postgres://postgres@127.0.0.1:PORT/karya; the `postgres` role is a
# superuser, so pytest-django can create test_karya) and REDIS_URL (redis://127.0.0.1:PORT/0).
# Both servers live in one temporary folder, which is removed with them when the command
# ends, fails or is interrupted. Exits with the command's status.
set -euo pipefail

if [[ $# -eq 0 ]]; then
    echo "usage: $0 COMMAND [ARGS...]" >&2
    exit 64
fi

log() { echo "with-services: $*" >&2; }

# --- Find PostgreSQL's server binaries (Debian keeps them off PATH). ----------------------
find_pg_bindir() {
    local dir=/usr/lib/postgresql/15/bin
    [[ -x "$dir/initdb" && -x "$dir/pg_ctl" ]] && { echo "$dir"; return 0; }
    if command -v pg_config >/dev/null 2>&1; then
        dir="$(pg_config --bindir 2>/dev/null || true)"
        [[ -n "$dir" && -x "$dir/initdb" && -x "$dir/pg_ctl" ]] && { echo "$dir"; return 0; }
    fi
    # Newest version first.
    for dir in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -t/ -k5 -rn); do
        [[ -x "$dir/initdb" && -x "$dir/pg_ctl" ]] && { echo "$dir"; return 0; }
    done
    return 1
}

if ! PGBIN="$(find_pg_bindir)"; then
    log "PostgreSQL server binaries (initdb, pg_ctl) not found. Install them with:"
    log "  sudo apt-get install postgresql"
    exit 69
fi
PSQL="$PGBIN/psql"
[[ -x "$PSQL" ]] || PSQL="$(command -v psql)"

if ! command -v redis-server >/dev/null 2>&1; then
    log "redis-server not found. Install it with: sudo apt-get install redis-server"
    exit 69
fi

# --- Who runs PostgreSQL: initdb refuses to run as root. ------------------------------------
PG_USER=""
if [[ "$(id -u)" -eq 0 ]]; then
    if id -u postgres >/dev/null 2>&1; then
        PG_USER=postgres
    else
        id -u karya-pg >/dev/null 2>&1 ||
            useradd --system --no-create-home --shell /usr/sbin/nologin karya-pg
        PG_USER=karya-pg
    fi
    RUNUSER="$(command -v runuser || echo /usr/sbin/runuser)"
    as_pg() { (cd "$WORKDIR" && "$RUNUSER" -u "$PG_USER" -- "$@"); }
    # The PostgreSQL user must be able to reach the folder, so not under root's own TMPDIR.
    TMP_BASE=/tmp
else
    as_pg() { (cd "$WORKDIR" && "$@"); }
    TMP_BASE="${TMPDIR:-/tmp}"
fi

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

WORKDIR="$(mktemp -d "$TMP_BASE/karya-services.XXXXXX")"
PGDATA_DIR="$WORKDIR/pgdata"
REDIS_PID=""
PG_STARTED=0

# shellcheck disable=SC2329  # invoked by the EXIT trap
cleanup() {
    local status=$?
    set +e
    trap - EXIT INT TERM
    # postmaster.pid also covers a server that pg_ctl gave up waiting for.
    if [[ "$PG_STARTED" -eq 1 || -f "$PGDATA_DIR/postmaster.pid" ]]; then
        as_pg "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -m immediate -w stop >/dev/null 2>&1
    fi
    if [[ -n "$REDIS_PID" ]] && kill -0 "$REDIS_PID" 2>/dev/null; then
        kill "$REDIS_PID" 2>/dev/null
        wait "$REDIS_PID" 2>/dev/null
    fi
    rm -rf "$WORKDIR"
    exit "$status"
}
trap cleanup EXIT
# Until the command starts, a signal just stops everything.
trap 'exit 130' INT
trap 'exit 143' TERM

[[ -n "$PG_USER" ]] && chown "$PG_USER" "$WORKDIR"
chmod 700 "$WORKDIR"

# --- PostgreSQL ----------------------------------------------------------------------------
as_pg "$PGBIN/initdb" -D "$PGDATA_DIR" -A trust -U postgres --no-sync -E UTF8 \
    --locale=C.UTF-8 >"$WORKDIR/initdb.log" 2>&1 || {
    log "initdb failed:"
    cat "$WORKDIR/initdb.log" >&2
    exit 70
}

# A free port can be taken between asking and binding; try a few.
for attempt in 1 2 3; do
    PG_PORT="$(free_port)"
    if as_pg "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -l "$WORKDIR/postgres.log" -w -t 60 -s start \
        -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $WORKDIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off"; then
        PG_STARTED=1
        break
    fi
    log "PostgreSQL did not start on port $PG_PORT (attempt $attempt)"
done
if [[ "$PG_STARTED" -ne 1 ]]; then
    tail -n 30 "$WORKDIR/postgres.log" >&2 || true
    exit 70
fi
"$PSQL" -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 \
    -c "CREATE DATABASE karya" >/dev/null

# --- Redis ---------------------------------------------------------------------------------
redis_ping() {
    if command -v redis-cli >/dev/null 2>&1; then
        [[ "$(redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null)" == "PONG" ]]
    else
        python3 - "$1" <<'PY' 2>/dev/null
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1)
s.sendall(b"PING\r\n")
sys.exit(0 if s.recv(16).startswith(b"+PONG") else 1)
PY
    fi
}

for attempt in 1 2 3; do
    REDIS_PORT="$(free_port)"
    redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no \
        --daemonize no --dir "$WORKDIR" --logfile "$WORKDIR/redis.log" </dev/null &
    REDIS_PID=$!
    for _ in $(seq 1 100); do
        redis_ping "$REDIS_PORT" && break
        kill -0 "$REDIS_PID" 2>/dev/null || break
        sleep 0.1
    done
    redis_ping "$REDIS_PORT" && break
    log "Redis did not start on port $REDIS_PORT (attempt $attempt)"
    kill "$REDIS_PID" 2>/dev/null || true
    wait "$REDIS_PID" 2>/dev/null || true
    REDIS_PID=""
done
if [[ -z "$REDIS_PID" ]]; then
    tail -n 30 "$WORKDIR/redis.log" >&2 || true
    exit 70
fi

export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/karya"
export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
log "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT (db karya), Redis on 127.0.0.1:$REDIS_PORT; stopped when the command ends"

# The command runs as a child rather than by exec, so the EXIT trap still stops the servers
# afterwards; in the background, so that a TERM sent to this script alone is passed on at
# once. A background child starts with SIGINT ignored; env restores it, so Ctrl-C reaches
# the command as usual (the terminal signals the whole process group).
received=""
child=""
trap 'received=130' INT
trap 'received=143; [[ -n "$child" ]] && kill -TERM "$child" 2>/dev/null || true' TERM
# shellcheck disable=SC2054  # the comma belongs to env's option
default_signals=(env --default-signal=INT,QUIT)
"${default_signals[@]}" true 2>/dev/null || default_signals=()
"${default_signals[@]}" "$@" <&0 &
child=$!
status=0
while :; do
    wait "$child" && status=0 || status=$?
    # A trapped signal interrupts wait; keep waiting until the command has really ended.
    kill -0 "$child" 2>/dev/null || break
done
[[ -n "$received" ]] && status=$received
exit "$status"

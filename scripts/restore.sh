#!/usr/bin/env bash
# Restore a Karya backup made by scripts/backup.sh into a database, and check it.
#
#   scripts/restore.sh DUMP TARGET_DATABASE_URL [MEDIA_DIR]
#
# TARGET_DATABASE_URL names the database to restore into. If it does not exist it is
# created (the role needs CREATEDB); if it exists it must be empty: a restore never writes
# over a live database (restore next to it, check, then point DATABASE_URL at it).
# With MEDIA_DIR (the backup's media folder) the uploads are copied back: into the bucket
# when AWS_STORAGE_BUCKET_NAME is set (only missing or changed files), else into MEDIA_ROOT.
# Afterwards the restored database is checked: migrations all applied, the PNBP ledger
# reconciles (manage.py pnbp_reconcile) and its append-only triggers are in place.
set -euo pipefail

if [[ $# -lt 2 ]]; then
    echo "usage: $0 DUMP TARGET_DATABASE_URL [MEDIA_DIR]" >&2
    exit 64
fi
DUMP="$1"
TARGET="$2"
MEDIA_DIR="${3:-}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-$ROOT/.venv/bin/python}"
[[ -x "$PYTHON" ]] || PYTHON=python3
[[ -f "$DUMP" ]] || { echo "restore: $DUMP: no such file" >&2; exit 66; }

pg_tool() {
    local found
    found="$(ls -1d /usr/lib/postgresql/*/bin/"$1" 2>/dev/null | sort -t/ -k5 -n | tail -n1 || true)"
    echo "${found:-$(command -v "$1")}"
}
PSQL="$(pg_tool psql)"
PG_RESTORE="$(pg_tool pg_restore)"

# The database name is the URL's path; the server's maintenance database is "postgres".
dbname="${TARGET##*/}"
dbname="${dbname%%\?*}"
maintenance="${TARGET%/*}/postgres"
[[ "$dbname" =~ ^[A-Za-z0-9_]+$ ]] || { echo "restore: unusable database name '$dbname'" >&2; exit 64; }

exists="$("$PSQL" -X -At -d "$maintenance" -c "SELECT 1 FROM pg_database WHERE datname = '$dbname'")"
if [[ "$exists" == 1 ]]; then
    tables="$("$PSQL" -X -At -d "$TARGET" -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")"
    if [[ "$tables" != 0 ]]; then
        echo "restore: database $dbname already has $tables tables; restore into a new one" >&2
        exit 73
    fi
else
    "$PSQL" -X -q -d "$maintenance" -v ON_ERROR_STOP=1 -c "CREATE DATABASE \"$dbname\""
fi

"$PG_RESTORE" --no-owner --no-acl --exit-on-error --single-transaction --dbname="$TARGET" "$DUMP"
echo "restore: $DUMP -> $dbname"

if [[ -n "$MEDIA_DIR" ]]; then
    if [[ -n "${AWS_STORAGE_BUCKET_NAME:-}" ]]; then
        "$PYTHON" "$ROOT/scripts/object_store_sync.py" push "$MEDIA_DIR"
    else
        media_root="${MEDIA_ROOT:-$ROOT/var/media}"
        mkdir -p "$media_root"
        cp -a "$MEDIA_DIR/." "$media_root/"
        echo "restore: uploads -> $media_root"
    fi
fi

# Checks, against the restored database.
export DATABASE_URL="$TARGET"
cd "$ROOT"
"$PYTHON" manage.py migrate --check --noinput >/dev/null ||
    { echo "restore: the dump lacks migrations this code has: run manage.py migrate" >&2; exit 1; }
triggers="$("$PSQL" -X -At -d "$TARGET" -c "SELECT count(*) FROM pg_trigger WHERE tgname IN ('production_link_ledgerentry_append_only', 'production_link_ledgerentryline_append_only') AND tgenabled <> 'D'")"
if [[ "$triggers" != 2 ]]; then
    echo "restore: the PNBP ledger's append-only triggers are missing ($triggers of 2)" >&2
    exit 1
fi
echo "restore: PNBP ledger append-only triggers in place"
"$PYTHON" manage.py pnbp_reconcile

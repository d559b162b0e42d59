#!/usr/bin/env bash
# Back up Karya: the database as a pg_dump custom-format archive, and the uploads.
#
#   DATABASE_URL=postgres://... scripts/backup.sh [BACKUP_DIR]      (default var/backups)
#
# Writes BACKUP_DIR/karya-YYYYmmddTHHMMSSZ.dump (pg_dump -Fc: compressed, restored table by
# table with pg_restore, see scripts/restore.sh) and brings BACKUP_DIR/media up to date
# with the uploads: from the bucket when AWS_STORAGE_BUCKET_NAME is set (boto3, through
# scripts/object_store_sync.py; only new or changed files are copied), otherwise from
# MEDIA_ROOT on this machine. The dump is consistent on its own (one snapshot); uploads made
# while it runs may be in the media folder without a row pointing at them, never the other
# way round if the media copy runs after the dump, which is why it does.
# Exits non-zero, leaving no half-written dump, if anything fails.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BACKUP_DIR="${1:-$ROOT/var/backups}"
PYTHON="${PYTHON:-$ROOT/.venv/bin/python}"
[[ -x "$PYTHON" ]] || PYTHON=python3

if [[ -z "${DATABASE_URL:-}" || "$DATABASE_URL" != postgres* ]]; then
    echo "backup: DATABASE_URL must name the PostgreSQL database (postgres://...)" >&2
    exit 64
fi

# pg_dump must be at least as new as the server; prefer the newest installed.
PG_DUMP="$(ls -1d /usr/lib/postgresql/*/bin/pg_dump 2>/dev/null | sort -t/ -k5 -n | tail -n1 || true)"
[[ -n "$PG_DUMP" ]] || PG_DUMP="$(command -v pg_dump)"

mkdir -p "$BACKUP_DIR"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
dump="$BACKUP_DIR/karya-$stamp.dump"
"$PG_DUMP" --format=custom --no-owner --no-acl --file="$dump.partial" --dbname="$DATABASE_URL"
mv "$dump.partial" "$dump"
echo "backup: database -> $dump ($(du -h "$dump" | cut -f1))"

if [[ -n "${AWS_STORAGE_BUCKET_NAME:-}" ]]; then
    "$PYTHON" "$ROOT/scripts/object_store_sync.py" pull "$BACKUP_DIR/media"
else
    media_root="${MEDIA_ROOT:-$ROOT/var/media}"
    mkdir -p "$BACKUP_DIR/media"
    if [[ -d "$media_root" ]]; then
        cp -a "$media_root/." "$BACKUP_DIR/media/"
    fi
    echo "backup: uploads from $media_root -> $BACKUP_DIR/media"
fi
echo "$dump"

"""Backups: scripts/backup.sh dumps the database and copies the uploads out of the bucket;
scripts/restore.sh restores them into a fresh database and a new bucket, and the restored
ledger reconciles, with its append-only triggers in place."""

import os
import subprocess
import uuid
from decimal import Decimal

import psycopg
import pytest
from django.core.files.base import ContentFile

from .conftest import ROOT, database_url

pytestmark = pytest.mark.django_db(transaction=True)


def run(*args, env):
    return subprocess.run(  # noqa: S603
        ["bash", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


@pytest.fixture
def fresh_database_url():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("pg_dump and pg_restore need PostgreSQL")
    url = database_url(connection).rsplit("/", 1)[0] + f"/karya_restore_{uuid.uuid4().hex[:10]}"
    yield url
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')


def test_a_backup_restores_into_a_fresh_database_that_reconciles(
    product, central_admin, s3_server, bucket, fresh_database_url, tmp_path
):
    from django.db import connection

    from production_link.models import LedgerEntry
    from tests.production_link.pnbp_support import pay, place

    order = pay(place((product, 2)), central_admin)
    assert LedgerEntry.objects.filter(order=order).exists()
    s3_server.client().put_object(
        Bucket=bucket, Key="media/images/products/roti.jpg", Body=ContentFile(b"jpeg").read()
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(s3_server.env(bucket), DATABASE_URL=database_url(connection))

    backup = run("scripts/backup.sh", str(tmp_path / "backup"), env=env)

    assert backup.returncode == 0, backup.stderr
    dump = backup.stdout.strip().splitlines()[-1]
    assert dump.endswith(".dump")
    assert (tmp_path / "backup/media/images/products/roti.jpg").read_bytes() == b"jpeg"

    # Into a new database and a new, empty bucket, as after losing both.
    new_bucket = s3_server.create_bucket()
    env.update(s3_server.env(new_bucket))
    restore = run(
        "scripts/restore.sh", dump, fresh_database_url, str(tmp_path / "backup/media"), env=env
    )

    assert restore.returncode == 0, restore.stdout + restore.stderr
    assert "append-only triggers in place" in restore.stdout
    assert "agrees" in restore.stdout
    assert s3_server.keys(new_bucket) == ["media/images/products/roti.jpg"]
    with psycopg.connect(fresh_database_url) as restored:
        gross = restored.execute(
            "SELECT sum(gross) FROM production_link_ledgerentry WHERE order_id = %s", [order.pk]
        ).fetchone()[0]
        assert gross == sum(e.gross for e in LedgerEntry.objects.filter(order=order))
        assert gross > Decimal(0)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            restored.execute("DELETE FROM production_link_ledgerentry")

    # A restore never writes over a database that has tables.
    again = run("scripts/restore.sh", dump, fresh_database_url, env=env)
    assert again.returncode != 0
    assert "restore into a new one" in again.stderr

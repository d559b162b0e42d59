"""The embedded SQLite default holds concurrent writers (issue 15, item 7).

Two POS devices syncing while a cashier closes the session are three transactions that each
read and then write. On SQLite's defaults (rollback journal, DEFERRED transactions) the
second one to upgrade its read lock fails at once with "database is locked", which reached
the cashier as an HTTP 500. The settings (shop.settings.base.sqlite_concurrent_options) turn
on WAL, a busy timeout and IMMEDIATE transactions; these tests run such writers in threads
against a temporary SQLite file, through Django's own connection and transaction code.
"""

import threading
import time
import uuid

import pytest
from django.db import OperationalError, connections, transaction

from shop.settings.base import sqlite_concurrent_options

WRITERS = 6
SALES_EACH = 15
STOCK = 1000


@pytest.fixture
def sqlite_alias(tmp_path, django_db_blocker):
    """Registers a connection alias on a fresh SQLite file; yields a function that sets the
    alias up with the given settings and returns its name."""
    created = []

    def make(database: dict) -> str:
        alias = f"sqlite_concurrency_{uuid.uuid4().hex[:8]}"
        configured = connections.configure_settings({"default": {}, alias: database})
        connections.settings[alias] = configured[alias]
        created.append(alias)
        with connections[alias].cursor() as cursor:
            cursor.execute("CREATE TABLE stock (id INTEGER PRIMARY KEY, quantity INTEGER)")
            cursor.execute("CREATE TABLE sale (id INTEGER PRIMARY KEY, writer TEXT, n INTEGER)")
            cursor.execute("CREATE TABLE closing (id INTEGER PRIMARY KEY, sales INTEGER)")
            cursor.execute("INSERT INTO stock (id, quantity) VALUES (1, %s)", [STOCK])
        connections[alias].close()
        return alias

    with django_db_blocker.unblock():
        yield make
        for alias in created:
            connections[alias].close()
            del connections[alias]
            del connections.settings[alias]


def _sell(alias: str, name: str, errors: list):
    """One device: each sale reads the stock, then takes a unit and records the sale."""
    try:
        for n in range(SALES_EACH):
            with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
                cursor.execute("SELECT quantity FROM stock WHERE id = 1")
                (quantity,) = cursor.fetchone()
                time.sleep(0.002)  # the service's own work between its read and its write
                cursor.execute("UPDATE stock SET quantity = %s WHERE id = 1", [quantity - 1])
                cursor.execute("INSERT INTO sale (writer, n) VALUES (%s, %s)", [name, n])
    except OperationalError as error:
        errors.append(str(error))
    finally:
        connections[alias].close()


def _close_session(alias: str, errors: list):
    """The cashier closes the session: counts the sales so far and writes the closing."""
    try:
        for _ in range(SALES_EACH):
            with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
                cursor.execute("SELECT COUNT(*) FROM sale")
                (count,) = cursor.fetchone()
                time.sleep(0.002)
                cursor.execute("INSERT INTO closing (sales) VALUES (%s)", [count])
    except OperationalError as error:
        errors.append(str(error))
    finally:
        connections[alias].close()


def _run_together(alias: str) -> list[str]:
    errors: list[str] = []
    threads = [
        threading.Thread(target=_sell, args=(alias, f"device-{i}", errors)) for i in range(WRITERS)
    ]
    threads.append(threading.Thread(target=_close_session, args=(alias, errors)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def _database(path) -> dict:
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path)}


def test_concurrent_sales_and_a_session_close_never_find_the_database_locked(
    sqlite_alias, tmp_path
):
    alias = sqlite_alias(sqlite_concurrent_options(_database(tmp_path / "karya.sqlite3")))

    errors = _run_together(alias)

    assert errors == []
    with connections[alias].cursor() as cursor:
        assert cursor.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        cursor.execute("SELECT quantity FROM stock WHERE id = 1")
        # Every read-then-write ran alone: no sale was lost and no unit sold twice.
        assert cursor.fetchone() == (STOCK - WRITERS * SALES_EACH,)
        assert cursor.execute("SELECT COUNT(*) FROM sale").fetchone() == (WRITERS * SALES_EACH,)
        assert cursor.execute("SELECT COUNT(*) FROM closing").fetchone() == (SALES_EACH,)


def test_without_immediate_transactions_the_same_writers_do_find_it_locked(sqlite_alias, tmp_path):
    # The control: the same load on SQLite's own defaults fails, so the test above is
    # measuring the settings and not a lucky schedule.
    alias = sqlite_alias(_database(tmp_path / "plain.sqlite3"))

    errors = _run_together(alias)

    assert errors
    assert all("database is locked" in error for error in errors)

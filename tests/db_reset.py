"""A transactional test's database put back, at its end, as the test database was made.

Django ends a transactional test (``transaction=True``, ``live_server``) with ``flush``:
TRUNCATE of all some 400 tables (a second on PostgreSQL), then the ``post_migrate``
handlers, which make the content types, permissions and role groups again (four seconds:
every app's permissions, twice). The rows the migrations made (Wagtail's root page and
site, the countries, the groups) are gone until a test asks for a serialized rollback, and
that restore saves them one by one (two seconds more): seven seconds a test, some sixty
tests.

Here, instead, on PostgreSQL:
- one query finds the tables that hold any row; only those are emptied, by DELETE, with
  the triggers (the ledger's append-only guard among them) and the foreign-key checks off
  for the transaction (``session_replication_role = replica``, a superuser's setting: the
  test server's role is one; without it, Django's TRUNCATE of every table);
- the rows the test database was made with are put back table by table, a few INSERTs in
  all, from the copy read once at setup (``remember``);
- no ``post_migrate``: what it would make is among the rows put back.
Elsewhere (SQLite) the same, with Django's flush for the emptying. Everything in one
transaction, the deferred foreign keys checked before it commits.
"""

from __future__ import annotations

from collections import defaultdict

from django.core import serializers
from django.core.management import call_command

# The rows each database alias was made with: (model, [objects], {m2m through: [rows]}),
# in the order the serializer wrote them.
_BASELINE: dict[str, list[tuple[type, list, list]]] = {}


def remember(connection) -> str:
    """Read the rows the test database holds now (what the migrations made): what every
    transactional test's database is put back to. Returns Django's serialized form of them,
    which its own ``serialized_rollback`` reads."""
    contents = connection.creation.serialize_db_to_string()
    _BASELINE[connection.alias] = _grouped(contents, connection.alias)
    return contents


def _grouped(contents: str, alias: str) -> list[tuple[type, list, list]]:
    groups: list[tuple[type, list, list]] = []
    for deserialized in serializers.deserialize("json", contents, using=alias):
        obj = deserialized.object
        model = type(obj)
        if not groups or groups[-1][0] is not model:
            groups.append((model, [], []))
        groups[-1][1].append(obj)
        for name, pks in (deserialized.m2m_data or {}).items():
            field = model._meta.get_field(name)
            through = field.remote_field.through
            source = through._meta.get_field(field.m2m_field_name()).attname
            target = through._meta.get_field(field.m2m_reverse_field_name()).attname
            groups[-1][2].extend(through(**{source: obj.pk, target: pk}) for pk in pks)
    return groups


def has_baseline(alias: str) -> bool:
    return alias in _BASELINE


def reset(connection) -> None:
    """Empty every table and put the rows the database was made with back."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction

    with transaction.atomic(using=connection.alias):
        if connection.vendor == "postgresql" and _superuser(connection):
            _delete_every_row(connection)
        else:
            call_command(
                "flush",
                verbosity=0,
                interactive=False,
                database=connection.alias,
                inhibit_post_migrate=True,
            )
        # As Django's own restore does: SQLite checks foreign keys row by row otherwise.
        with connection.constraint_checks_disabled():
            table_names = _put_back(connection)
        connection.check_constraints(table_names=table_names)
    # Content types are cached by id; a test may have made some that are gone now.
    ContentType.objects.clear_cache()


def _superuser(connection) -> bool:
    known = getattr(connection, "_karya_superuser", None)
    if known is None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('is_superuser') = 'on'")
            known = connection._karya_superuser = cursor.fetchone()[0]
    return known


def _delete_every_row(connection) -> None:
    quote = connection.ops.quote_name
    tables = sorted(connection.introspection.django_table_names(only_existing=True))
    probe = " UNION ALL ".join(
        f"SELECT {i} WHERE EXISTS (SELECT 1 FROM {quote(table)})" for i, table in enumerate(tables)
    )
    with connection.cursor() as cursor:
        cursor.execute(probe)
        filled = [tables[row[0]] for row in cursor.fetchall()]
        if not filled:
            return
        # For this transaction only: no trigger fires (the ledger refuses DELETE) and no
        # foreign key is checked; every table that holds a row is emptied, so none dangles.
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("; ".join(f"DELETE FROM {quote(table)}" for table in filled))
        cursor.execute("SET LOCAL session_replication_role = origin")


def _put_back(connection) -> set[str]:
    alias = connection.alias
    table_names = set()
    m2m_rows = defaultdict(list)
    for model, objects, through_rows in _BASELINE.get(alias, ()):
        _insert(model, objects, alias, connection)
        table_names.add(model._meta.db_table)
        for row in through_rows:
            m2m_rows[type(row)].append(row)
    for through, rows in m2m_rows.items():
        _insert(through, rows, alias, connection, with_pk=False)
        table_names.add(through._meta.db_table)
    return table_names


def _insert(model, objects, alias, connection, *, with_pk: bool = True) -> None:
    """The rows of one table as they were read (``raw``: no field computes its value anew,
    as ``loaddata`` saves), a few multi-row INSERTs. The table's own columns only: a page
    type's parent row is a row of the parent's table, put back with it."""
    fields = [f for f in model._meta.local_concrete_fields if with_pk or not f.primary_key]
    size = connection.ops.bulk_batch_size(fields, objects) or len(objects)
    for start in range(0, len(objects), size):
        model._base_manager._insert(
            objects[start : start + size], fields=fields, raw=True, using=alias
        )

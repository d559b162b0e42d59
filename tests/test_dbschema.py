"""The test database (tables from the models, then tests/dbschema.py) is the database the
migrations make: the same tables, columns, constraints, indexes, triggers, functions,
extensions, views and migration-made rows.

This is the suite's one run of the real migrations (about three minutes), in a database of
its own, through ``manage.py migrate`` in a child process as a deployment runs it.
"""

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection

from tests.dbschema import complete

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent

# What a database has of itself: the same queries run on both.
CATALOG = {
    "columns": """
        SELECT table_name, column_name, data_type, is_nullable,
               regexp_replace(coalesce(column_default, ''), '_seq\\d*''', '_seq'''),
               coalesce(character_maximum_length, 0), coalesce(collation_name, '')
          FROM information_schema.columns WHERE table_schema = 'public'
    """,
    "constraints": """
        SELECT rel.relname, con.contype, pg_get_constraintdef(con.oid)
          FROM pg_constraint con JOIN pg_class rel ON rel.oid = con.conrelid
          JOIN pg_namespace ns ON ns.oid = con.connamespace WHERE ns.nspname = 'public'
    """,
    # An index's name is left out: a renamed field keeps its index's old name.
    "indexes": """
        SELECT tablename, regexp_replace(indexdef, '^CREATE (UNIQUE )?INDEX \\S+ ', 'CREATE \\1INDEX ')
          FROM pg_indexes WHERE schemaname = 'public'
    """,
    "triggers": """
        SELECT tgrelid::regclass::text, tgname, pg_get_triggerdef(oid)
          FROM pg_trigger WHERE NOT tgisinternal
    """,
    "functions": """
        SELECT p.proname, pg_get_functiondef(p.oid)
          FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
         WHERE n.nspname = 'public'
    """,
    "extensions": "SELECT extname FROM pg_extension",
    "views": "SELECT matviewname, definition FROM pg_matviews WHERE schemaname = 'public'",
    "collations": """
        SELECT collname, collprovider, collisdeterministic FROM pg_collation c
          JOIN pg_namespace n ON n.oid = c.collnamespace WHERE n.nspname = 'public'
    """,
}

# Rows made by the migrations, compared by content. Surrogate keys and the ids that point
# at them differ with the order rows were made in; a page's translation key is random.
ROWS = {
    "address_country": "SELECT iso_3166_1_a2, iso_3166_1_a3, iso_3166_1_numeric, printable_name, name, display_order, is_shipping_country FROM address_country",
    "auth_group": "SELECT name FROM auth_group",
    "auth_group_permissions": """
        SELECT g.name, ct.app_label, p.codename FROM auth_group_permissions gp
          JOIN auth_group g ON g.id = gp.group_id JOIN auth_permission p ON p.id = gp.permission_id
          JOIN django_content_type ct ON ct.id = p.content_type_id
    """,
    "auth_permission": """
        SELECT ct.app_label, p.codename, p.name FROM auth_permission p
          JOIN django_content_type ct ON ct.id = p.content_type_id
    """,
    "django_content_type": "SELECT app_label, model FROM django_content_type",
    "django_migrations": "SELECT app, name FROM django_migrations",
    "django_site": "SELECT domain, name FROM django_site",
    "wagtailcore_locale": "SELECT language_code FROM wagtailcore_locale",
    "wagtailcore_page": """
        SELECT p.path, p.depth, p.numchild, p.title, p.draft_title, p.slug, p.live,
               p.url_path, ct.app_label, ct.model, l.language_code
          FROM wagtailcore_page p JOIN django_content_type ct ON ct.id = p.content_type_id
          JOIN wagtailcore_locale l ON l.id = p.locale_id
    """,
    # The body is left out: the migrations made the home page before it had one, so it is
    # "" there and "[]" here, both an empty stream.
    "cms_homepage": """
        SELECT p.path, h.hero_title, h.hero_text, h.hero_image_id, h.hero_cta_text, h.intro,
               h.featured_title, h.segments_title, h.show_impact
          FROM cms_homepage h JOIN wagtailcore_page p ON p.id = h.page_ptr_id
    """,
    "wagtailcore_site": """
        SELECT s.hostname, s.port, s.site_name, s.is_default_site, p.path FROM wagtailcore_site s
          JOIN wagtailcore_page p ON p.id = s.root_page_id
    """,
    "wagtailcore_collection": "SELECT path, depth, numchild, name FROM wagtailcore_collection",
    "wagtailcore_grouppagepermission": """
        SELECT g.name, pg.path, p.codename FROM wagtailcore_grouppagepermission x
          JOIN auth_group g ON g.id = x.group_id JOIN wagtailcore_page pg ON pg.id = x.page_id
          JOIN auth_permission p ON p.id = x.permission_id
    """,
    "wagtailcore_groupcollectionpermission": """
        SELECT g.name, c.path, p.codename FROM wagtailcore_groupcollectionpermission x
          JOIN auth_group g ON g.id = x.group_id JOIN wagtailcore_collection c ON c.id = x.collection_id
          JOIN auth_permission p ON p.id = x.permission_id
    """,
    "wagtailcore_workflow": """
        SELECT w.name, w.active, t.name, wt.sort_order, p.path FROM wagtailcore_workflow w
          JOIN wagtailcore_workflowtask wt ON wt.workflow_id = w.id
          JOIN wagtailcore_task t ON t.id = wt.task_id
          JOIN wagtailcore_workflowpage wp ON wp.workflow_id = w.id
          JOIN wagtailcore_page p ON p.id = wp.page_id
    """,
    "wagtailcore_groupapprovaltask": """
        SELECT t.name, t.active, ct.model, g.name FROM wagtailcore_groupapprovaltask_groups x
          JOIN wagtailcore_task t ON t.id = x.groupapprovaltask_id
          JOIN django_content_type ct ON ct.id = t.content_type_id
          JOIN auth_group g ON g.id = x.group_id
    """,
}

# Tables whose rows the queries above compare through joins (a workflow's task and page).
COMPARED_IN_JOINS = {
    "wagtailcore_task",
    "wagtailcore_workflowtask",
    "wagtailcore_workflowpage",
    "wagtailcore_groupapprovaltask_groups",
}

# Where the two may differ, and why.
KNOWN = {
    # Oscar moved Notification from its customer app to communication and dropped the
    # date_sent index from the model, not from the table.
    "indexes": {
        (
            "communication_notification",
            "CREATE INDEX ON public.communication_notification USING btree (date_sent)",
        )
    },
}


def _unmigrated() -> set[str]:
    """Apps without migrations, and their tables: Oscar's test models (oscar_band,
    oscar_member), registered when the tests import ``oscar.test``. ``--no-migrations``
    makes their tables, content types and permissions; ``migrate`` does not."""
    from django.apps import apps
    from django.db.migrations.loader import MigrationLoader

    from tests.dbschema import migrations_visible

    with migrations_visible():
        labels = MigrationLoader(None, ignore_no_migrations=True).unmigrated_apps
    return set(labels) | {
        model._meta.db_table
        for label in labels
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    }


# Parts whose rows start with a table's name or an app's label.
_NAMED_BY_TABLE_OR_APP = {*CATALOG, "rows of auth_permission", "rows of django_content_type"}


def _describe(cursor, leave_out=frozenset()) -> dict:
    """Each part as a multiset of rows, less those of the tables and apps left out."""
    described = {}
    for name, sql in {**CATALOG, **{f"rows of {t}": sql for t, sql in ROWS.items()}}.items():
        cursor.execute(sql)
        described[name] = Counter(
            tuple(str(value) for value in row)
            for row in cursor.fetchall()
            if not (name in _NAMED_BY_TABLE_OR_APP and str(row[0]) in leave_out)
        )
    return described


def _tables_with_rows(cursor) -> set[str]:
    cursor.execute(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
    )
    tables = [name for (name,) in cursor.fetchall()]
    found = set()
    for table in tables:
        cursor.execute(f'SELECT EXISTS (SELECT 1 FROM "{table}")')  # noqa: S608 - catalogue names
        if cursor.fetchone()[0]:
            found.add(table)
    return found


@pytest.fixture
def migrated_database(django_db_blocker):
    """A database made by ``manage.py migrate``, dropped afterwards."""
    settings = connection.settings_dict
    name = f"{settings['NAME']}_migrated"
    url = (
        f"postgres://{settings['USER']}:{settings['PASSWORD'] or ''}@{settings['HOST']}:"
        f"{settings['PORT']}/{name}"
    )
    with django_db_blocker.unblock(), connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    environment = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "shop.settings.test",
    }
    try:
        subprocess.run(  # noqa: S603 - our own manage.py
            [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=environment,
            check=True,
            timeout=900,
        )
        yield name
    finally:
        with django_db_blocker.unblock(), connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.runs_the_migrations
@pytest.mark.skipif(connection.vendor != "postgresql", reason="compares PostgreSQL catalogues")
def test_the_test_database_is_the_database_the_migrations_make(migrated_database):
    import psycopg

    test_database = _describe(connection.cursor(), leave_out=_unmigrated())
    test_tables = _tables_with_rows(connection.cursor())
    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"],
        port=settings["PORT"],
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        dbname=migrated_database,
    ) as other:
        migrated = _describe(other.cursor())
        migrated_tables = _tables_with_rows(other.cursor())

    # Every table the migrations write rows to is compared above.
    assert migrated_tables - set(ROWS) - COMPARED_IN_JOINS == set()
    assert test_tables >= migrated_tables
    for part in migrated:
        for known in KNOWN.get(part, ()):
            migrated[part].pop(known, None)
        missing = migrated[part] - test_database[part]
        extra = test_database[part] - migrated[part]
        assert not missing and not extra, (
            f"{part}: only in the migrated database {sorted(missing)[:20]}; "
            f"only in the test database {sorted(extra)[:20]}"
        )


def test_completing_again_changes_nothing():
    assert complete() is False

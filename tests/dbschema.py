"""The test database, built in seconds instead of minutes.

Applying the project's 389 migrations to an empty PostgreSQL database takes about three
minutes on this 2-core machine (Django renders the historical models again and again; the
SQL itself takes seconds), and every pytest-xdist worker paid it before its first test. The
tests run with ``--no-migrations`` instead: pytest-django creates the tables straight from
the models (about ten seconds), and :func:`complete` then adds what only the migrations
make:

- the database objects that no model describes: the ``pg_trgm`` extension, the search
  triggers, the append-only ledger's trigger, the one-Lapas-per-order guard, the column
  collations Wagtail sets, the materialised view, the extra indexes;
- the rows the data migrations write: Wagtail's root page, site, locale, groups and
  moderation workflow, the CMS home page, Indonesia as the shipping country.

It does so by running every ``RunSQL``, ``RunPython``, ``CreateExtension`` and
``CreateCollation`` operation of the migration plan, in order, against the finished
tables, with the final models. Five of Wagtail's data migrations speak of fields that no
longer exist (``permission_type``, a page without a locale); they are replaced below by the
same rows written with today's fields.

``tests/test_migrations.py`` applies the real migrations to a database of its own and
checks that the two databases have the same tables, columns, constraints, indexes,
triggers, functions, extensions and migration-made rows, so a new migration that this
misses fails the suite.
"""

from __future__ import annotations

from django.contrib.postgres.operations import CreateCollation, CreateExtension
from django.db import connection, transaction
from django.db.migrations import operations
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.test import override_settings
from django.utils import translation

# Wagtail's old page permission types, and the permission each is today
# (wagtailcore 0086_populate_grouppagepermission_permission).
_PAGE_PERMISSIONS = {
    "add": "add_page",
    "edit": "change_page",
    "publish": "publish_page",
    "lock": "lock_page",
    "unlock": "unlock_page",
}


def _page_permission(apps, group, page, permission_type):
    from django.contrib.auth.management import create_permissions

    Permission = apps.get_model("auth.Permission")
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
    # The page permissions, made as wagtailcore 0086 ``add_permissions`` makes them.
    app_config = apps.get_app_config("wagtailcore")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0)
    app_config.models_module = None
    permission = Permission.objects.get(
        content_type__app_label="wagtailcore", codename=_PAGE_PERMISSIONS[permission_type]
    )
    return GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)


def _wagtail_initial_data(apps, schema_editor):
    """wagtailcore 0001 ``initial_data``, with the locale every page needs today (which
    wagtailcore 0054 ``initial_locale`` added later, and which it skips here)."""
    from django.conf import settings
    from wagtail.coreutils import get_supported_content_language_variant

    ContentType = apps.get_model("contenttypes.ContentType")
    Group = apps.get_model("auth.Group")
    Locale = apps.get_model("wagtailcore.Locale")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")

    locale, _ = Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    page_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="page")
    root = Page.objects.create(
        title="Root",
        draft_title="Root",
        slug="root",
        content_type=page_type,
        path="0001",
        depth=1,
        numchild=1,
        url_path="/",
        locale=locale,
    )
    welcome = Page.objects.create(
        title="Welcome to your new Wagtail site!",
        draft_title="Welcome to your new Wagtail site!",
        slug="home",
        content_type=page_type,
        path="00010001",
        depth=2,
        numchild=0,
        url_path="/home/",
        locale=locale,
    )
    Site.objects.get_or_create(hostname="localhost", root_page_id=welcome.id, is_default_site=True)
    moderators, _ = Group.objects.get_or_create(name="Moderators")
    editors, _ = Group.objects.get_or_create(name="Editors")
    for permission_type in ("add", "edit", "publish", "lock"):
        _page_permission(apps, moderators, root, permission_type)
    for permission_type in ("add", "edit"):
        _page_permission(apps, editors, root, permission_type)


def _wagtail_unlock_permissions(apps, schema_editor):
    """wagtailcore 0045: who may lock a page may unlock it."""
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
    for lock in GroupPagePermission.objects.filter(permission__codename="lock_page"):
        _page_permission(apps, lock.group, lock.page, "unlock")


def _wagtail_default_workflow(apps, schema_editor):
    """wagtailcore 0048: one approval task and workflow for the groups that may publish a
    page, on that page. A new database has one such page, the root."""
    ContentType = apps.get_model("contenttypes.ContentType")
    GroupApprovalTask = apps.get_model("wagtailcore.GroupApprovalTask")
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
    Workflow = apps.get_model("wagtailcore.Workflow")
    WorkflowPage = apps.get_model("wagtailcore.WorkflowPage")
    WorkflowTask = apps.get_model("wagtailcore.WorkflowTask")

    task_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    publishing = GroupPagePermission.objects.filter(permission__codename="publish_page")
    for page_id in sorted(set(publishing.values_list("page_id", flat=True))):
        groups = [p.group for p in publishing.filter(page_id=page_id).order_by("group_id")]
        name = " ".join(group.name for group in groups) + " approval"
        task = GroupApprovalTask.objects.create(name=name, content_type=task_type, active=True)
        task.groups.set(groups)
        workflow = Workflow.objects.create(name=name, active=True)
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
        WorkflowPage.objects.create(workflow=workflow, page_id=page_id)


def _nothing(apps, schema_editor):
    """Rewrites rows of an older shape; a new database has none."""


# (app, migration, function) -> what runs instead.
_INSTEAD = {
    (
        "wagtailcore",
        "0001_squashed_0016_change_page_url_path_to_text_field",
        "initial_data",
    ): _wagtail_initial_data,
    (
        "wagtailcore",
        "0045_assign_unlock_grouppagepermission",
        "assign_unlock_grouppagepermission",
    ): (_wagtail_unlock_permissions),
    ("wagtailcore", "0048_add_default_workflows", "create_default_workflows"): (
        _wagtail_default_workflow
    ),
    ("wagtailcore", "0054_initial_locale", "initial_locale"): _nothing,  # made with the root
    ("wagtailcore", "0068_log_entry_empty_object", "replace_empty_string_with_empty_object"): (
        _nothing
    ),
    (
        "wagtailcore",
        "0086_populate_grouppagepermission_permission",
        "populate_grouppagepermission_permission",
    ): _nothing,
}

_BEYOND_THE_MODELS = (operations.RunSQL, operations.RunPython, CreateExtension, CreateCollation)


def _database_operations(operation):
    if isinstance(operation, operations.SeparateDatabaseAndState):
        for inner in operation.database_operations:
            yield from _database_operations(inner)
    elif isinstance(operation, _BEYOND_THE_MODELS):
        yield operation


def _tables_its_sql_makes(app_label: str, operation) -> list[str]:
    """The tables of models that a migration declares for the state but makes with SQL of
    its own: on SQLite, modelsearch's full-text index entries are a ``fts5`` virtual table,
    which the tables made from the models have as a plain one."""
    if not isinstance(operation, operations.SeparateDatabaseAndState):
        return []
    sql = " ".join(
        str(inner.sql)
        for inner in operation.database_operations
        if isinstance(inner, operations.RunSQL)
    )
    tables = []
    for inner in operation.state_operations:
        if isinstance(inner, operations.CreateModel):
            table = inner.options.get("db_table") or f"{app_label}_{inner.name_lower}"
            if f"TABLE {table} " in sql or f'TABLE "{table}" ' in sql:
                tables.append(table)
    return tables


def plan(loader: MigrationLoader) -> list:
    """Every migration, in the order ``migrate`` applies them to an empty database."""
    seen, ordered = set(), []
    for leaf in sorted(loader.graph.leaf_nodes()):
        for key in loader.graph.forwards_plan(leaf):
            if key not in seen:
                seen.add(key)
                ordered.append(loader.graph.nodes[key])
    return ordered


def _run(migration, operation, state) -> None:
    code = getattr(operation, "code", None)
    instead = _INSTEAD.get((migration.app_label, migration.name, getattr(code, "__name__", "")))
    if instead is not None:
        operation = operations.RunPython(instead)
    with connection.schema_editor(atomic=migration.atomic) as editor:
        operation.database_forwards(migration.app_label, editor, state, state)


def _settings_module():
    import importlib
    import os

    return importlib.import_module(os.environ["DJANGO_SETTINGS_MODULE"])


# The databases the settings name, before pytest-django points the connections at test
# databases (tests/conftest.py's pytest_sessionstart fills it).
CONFIGURED: dict[str, str] = {}


def remember_configured() -> None:
    from django.conf import settings

    CONFIGURED.update({alias: db["NAME"] for alias, db in settings.DATABASES.items()})


def on_a_test_database() -> bool:
    """Whether the connection points at a test database: pytest-django makes one only when
    a test of the session asks for it, and this must never touch any other."""
    configured = CONFIGURED.get(connection.alias)
    return configured is not None and connection.settings_dict["NAME"] != configured


def migrations_visible():
    """pytest-django's ``--no-migrations`` hides every app's migrations behind
    MIGRATION_MODULES; this block sees them as the settings have them."""
    return override_settings(MIGRATION_MODULES=getattr(_settings_module(), "MIGRATION_MODULES", {}))


def complete() -> bool:
    """Add to a database made with ``--no-migrations`` what the migrations make beyond the
    models, and record every migration as applied. Does nothing on a database it has
    completed before (``--reuse-db``); says whether it did anything."""
    # As in ``manage.py migrate``: no language, so permissions are named in English.
    with translation.override(None):
        return _complete()


def _complete() -> bool:
    from django.core.management.sql import emit_post_migrate_signal

    if not on_a_test_database():
        raise RuntimeError("tests/dbschema.py completes test databases only")
    recorder = MigrationRecorder(connection)
    if recorder.has_table() and recorder.applied_migrations():
        return False
    with migrations_visible():
        loader = MigrationLoader(connection)
    state = loader.project_state()  # the final models, as the migrations define them
    migrations = plan(loader)
    # A real ``migrate`` makes content types and permissions after the last migration (its
    # post-migrate handlers), so its data migrations find none: Oscar's staff group gets
    # no permissions. The tables were made with them; take them away until the end.
    ContentType = state.apps.get_model("contenttypes.ContentType")
    Permission = state.apps.get_model("auth.Permission")
    Group = state.apps.get_model("auth.Group")
    Group.permissions.through.objects.all().delete()
    Permission.objects.all().delete()
    ContentType.objects.all().delete()
    for migration in migrations:
        for operation in migration.operations:
            for table in _tables_its_sql_makes(migration.app_label, operation):
                # Made from the model as a plain table; its migration makes it otherwise.
                with connection.cursor() as cursor:
                    cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(table)}")
            for database_operation in _database_operations(operation):
                _run(migration, database_operation, state)
    # The post-migrate handlers ran when the tables were made, before the pages existed:
    # the roles' page permissions need the root page.
    emit_post_migrate_signal(verbosity=0, interactive=False, db=connection.alias)
    recorder.ensure_schema()
    with transaction.atomic():
        # As ``migrate`` records them: a squashed migration under its own name and under
        # each name it replaces.
        for migration in migrations:
            for app_label, name in migration.replaces:
                recorder.record_applied(app_label, name)
            recorder.record_applied(migration.app_label, migration.name)
    return True

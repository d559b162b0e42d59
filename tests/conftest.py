import contextlib
import os
import types
from decimal import Decimal

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run
# while one is active unless told that this thread is not serving async code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# `make test` spreads the tests over pytest-xdist workers. Each has a PostgreSQL database of
# its own (pytest-django names them test_karya_gw0, _gw1, ...); the tests that use the real
# Redis get a Redis database of their own too, so that no worker sees another's keys.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if _WORKER.startswith("gw") and os.environ.get("REDIS_URL"):
    _server, _sep, _db = os.environ["REDIS_URL"].rpartition("/")
    _db = int(_db) if _db.isdigit() else 0
    os.environ["REDIS_URL"] = f"{_server}/{(_db + 1 + int(_WORKER[2:])) % 16}"


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    # With `--dist loadgroup` (make test), tests of one group run on one worker, one after
    # another: the browser tests (two chromiums at once on a small machine time out), and
    # each module that shares the demo shop (built once per module and worker).
    # The real migrations' three minutes (tests/test_dbschema.py) start first, beside the
    # rest, instead of after it: xdist hands out single tests in collection order.
    items.sort(key=lambda item: not item.get_closest_marker("runs_the_migrations"))
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.xdist_group("browser"))
        elif "demo_shop" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group(f"demo-{item.module.__name__}"))


@pytest.fixture(autouse=True)
def _media_root(request, settings, tmp_path):
    if "demo_shop" in request.fixturenames:
        # The demo's drawn images live in the media folder it was loaded with.
        settings.MEDIA_ROOT = request.getfixturevalue("demo_shop").media_root
    else:
        settings.MEDIA_ROOT = str(tmp_path / "media")


def pytest_sessionstart(session):
    from tests import dbschema

    dbschema.remember_configured()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database with what the migrations make beyond the models (``--no-migrations``
    in pyproject.toml: see tests/dbschema.py)."""
    from django.db import connection

    from tests import db_reset, dbschema

    if not dbschema.on_a_test_database():
        return  # no test here asked for the database: it was not made, nor is it changed
    with django_db_blocker.unblock():
        dbschema.complete()
        # What every transactional test's database is put back to (tests/db_reset.py).
        # Django took its own copy before the rows above were made, of the apps with
        # migrations only (none, as far as it could see), and only when some collected test
        # asked for a serialized rollback.
        with dbschema.migrations_visible():
            connection._test_serialized_contents = db_reset.remember(connection)


@pytest.fixture(scope="session", autouse=True)
def _transactional_tests_end_with_the_database_as_made():
    """Every transactional test ends with its database as the test database was made: the
    rows it made gone, the rows the migrations made back (tests/db_reset.py, in a fraction
    of the time of Django's flush and post_migrate). So the next test, transactional or
    not, finds Wagtail's root page, the countries and the groups, whichever order
    pytest-xdist runs them in, and no test needs ``serialized_rollback``."""
    from django.db import connections
    from django.test import TransactionTestCase

    from tests import db_reset

    flush = TransactionTestCase._fixture_teardown

    def _fixture_teardown(self):
        aliases = list(self._databases_names(include_mirrors=False))
        if self.available_apps is not None or not all(map(db_reset.has_baseline, aliases)):
            return flush(self)
        for alias in aliases:
            db_reset.reset(connections[alias])

    TransactionTestCase._fixture_teardown = _fixture_teardown
    yield
    TransactionTestCase._fixture_teardown = flush


@contextlib.contextmanager
def _connected_to(name: str):
    """The default connection pointed at database ``name`` for the block."""
    from django.db import connection

    before = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = name
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = before


def _database_clone(source: str, target: str) -> None:
    """PostgreSQL: ``target`` made anew as a copy of ``source`` (CREATE DATABASE ...
    TEMPLATE, a file copy: a second or two, where migrating takes minutes)."""
    from django.db import connection

    connection.close()
    with connection._nodb_cursor() as cursor:
        quoted = connection.ops.quote_name
        # A copy needs the source to itself: no session of this worker may be left on it.
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            [source],
        )
        cursor.execute(f"DROP DATABASE IF EXISTS {quoted(target)}")
        cursor.execute(f"CREATE DATABASE {quoted(target)} TEMPLATE {quoted(source)}")


def _database_drop(name: str) -> None:
    from django.db import connection

    connection.close()
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)}")


def _demo_load(media_root: str) -> None:
    import io

    from django.core.management import call_command
    from django.test import override_settings

    with override_settings(MEDIA_ROOT=media_root):
        call_command("load_demo_data", stdout=io.StringIO())


def _run_folder(tmp_path_factory, worker_id: str):
    """A folder every pytest-xdist worker of this run shares (the run's base temp)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if worker_id != "master" else base


def _demo_template_name() -> str:
    """One name for the run, whichever worker makes it and the controller that drops it:
    pytest-django's test database name without the worker's suffix."""
    from tests import dbschema

    return f"test_{dbschema.CONFIGURED['default']}_demo_template"


@pytest.fixture(scope="session")
def _demo_template(django_db_setup, django_db_blocker, tmp_path_factory, worker_id):
    """PostgreSQL: the demo shop loaded once for the whole run, into a database that every
    worker copies (``CREATE DATABASE … TEMPLATE``, a second or two).

    Loading it takes some 35 seconds. The first worker to need it loads it, under a file
    lock in the run's shared temp folder, into a copy of its test database (the workers'
    test databases are made alike); the others wait for that and read where it is. The
    run's controller drops it at the end (``pytest_sessionfinish``)."""
    import fcntl
    import json

    from django.db import connection

    folder = _run_folder(tmp_path_factory, worker_id)
    record = folder / "demo-template.json"
    with open(folder / "demo-template.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not record.exists():
            test_name = connection.settings_dict["NAME"]
            template = _demo_template_name()
            media_root = folder / "demo-media"
            media_root.mkdir(exist_ok=True)
            with django_db_blocker.unblock():
                _database_clone(test_name, template)
                with _connected_to(template):
                    _demo_load(str(media_root))
            record.write_text(json.dumps({"name": template, "media_root": str(media_root)}))
        found = json.loads(record.read_text())
    return types.SimpleNamespace(**found)


def pytest_sessionfinish(session):
    if hasattr(session.config, "workerinput"):
        return  # a worker: the controller (or the single process) drops it, once
    from django.db import connection

    from tests import dbschema

    configured = dbschema.CONFIGURED.get("default")
    if connection.vendor != "postgresql" or not configured:
        return
    from pytest_django.plugin import blocking_manager_key

    template = _demo_template_name()
    try:
        unblocked = session.config.stash[blocking_manager_key].unblock()
        with unblocked, connection._nodb_cursor() as cursor:
            quoted = connection.ops.quote_name(template)
            cursor.execute(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")
    except Exception:  # noqa: BLE001, S110 - the server may be gone already: nothing to keep
        pass


@pytest.fixture(scope="session")
def _demo_database(_demo_template, django_db_blocker):
    """PostgreSQL: the worker's own copy of the demo shop (``_demo_template``), on which
    every module that uses it runs (see ``demo_shop``): eight modules do."""
    from django.db import connection

    demo_name = f"{connection.settings_dict['NAME']}_demo"
    with django_db_blocker.unblock():
        _database_clone(_demo_template.name, demo_name)
    yield types.SimpleNamespace(name=demo_name, media_root=_demo_template.media_root)
    with django_db_blocker.unblock():
        _database_drop(demo_name)


@pytest.fixture
def demo_shop_committed(request, transactional_db, settings, django_db_blocker, tmp_path):
    """The demo shop, committed, as the default database of one transactional test (a live
    server reads it through connections of its own). PostgreSQL: a copy of the run's
    demo database, dropped afterwards; elsewhere the demo is loaded into the test database
    (which the transactional test empties afterwards)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        settings.MEDIA_ROOT = str(tmp_path / "media")
        _demo_load(settings.MEDIA_ROOT)
        yield
        return
    template = request.getfixturevalue("_demo_template")
    name = f"{connection.settings_dict['NAME']}_committed_demo"
    with django_db_blocker.unblock():
        _database_clone(template.name, name)
    settings.MEDIA_ROOT = template.media_root
    try:
        # Every connection of the alias shares this settings dict: the live server's too.
        with _connected_to(name):
            yield
    finally:
        with django_db_blocker.unblock():
            _database_drop(name)


@pytest.fixture(scope="module")
def demo_shop(request, django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo shop (`load_demo_data`), for a whole test module.

    On PostgreSQL the module runs on the worker's demo database (``_demo_database``,
    loaded once per worker); elsewhere (SQLite) the demo is loaded for the module. Either
    way the module runs inside a transaction that is rolled back after its last test,
    and each test in its own savepoint inside it (pytest-django's `db`), so what one test
    changes is gone before the next starts. Tests that use it must use `db` (not
    `transactional_db`), and the module's tests stay on one xdist worker (`make test`
    runs `--dist loadgroup`, see pytest_collection_modifyitems above).
    """
    from django.db import connection, transaction

    if connection.vendor == "postgresql":
        demo = request.getfixturevalue("_demo_database")
        switched = _connected_to(demo.name)
    else:
        demo = types.SimpleNamespace(media_root=str(tmp_path_factory.mktemp("demo-media")))
        switched = contextlib.nullcontext()
    with django_db_blocker.unblock(), switched:
        outer = transaction.atomic()
        outer.__enter__()
        try:
            if connection.vendor != "postgresql":
                _demo_load(demo.media_root)
            yield demo
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _site_language():
    # A request to an /en/ page leaves English active in the test's thread, and reverse()
    # outside a request would then make /en/ URLs: every test starts in the site language.
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Oscar caches category URLs and the like; tests must not see each other's entries.
    from django.core.cache import cache

    from shop.apps.core.shared_cache import forget_local

    cache.clear()
    forget_local()
    yield
    cache.clear()
    forget_local()


@pytest.fixture
def lapas(db):
    from tests.factories import LapasFactory

    return LapasFactory(name="Lapas Kelas I Tangerang", short_code="TNG")


@pytest.fixture
def other_lapas(db):
    from tests.factories import LapasFactory

    return LapasFactory(name="Lapas Kelas I Cipinang", short_code="CPN")


@pytest.fixture
def product(lapas):
    from tests.factories import ProductFactory, WorkshopFactory

    return ProductFactory(
        title="Roti Sobek Cokelat",
        workshop=WorkshopFactory(lapas=lapas, name="Bengkel Roti"),
        stockrecord__price=Decimal("150000"),
        stockrecord__num_in_stock=5,
    )


@pytest.fixture
def buyer(db):
    from tests.factories import UserFactory

    return UserFactory(username="pembeli", email="pembeli@example.test")


@pytest.fixture
def central_admin(db):
    from tests.factories import UserFactory

    return UserFactory(username="pusat", is_staff=True, is_superuser=True)


def _role_user(username, role, lapas):
    from shop.apps.core.services import user_assign_role
    from tests.factories import UserFactory

    user = UserFactory(username=username)
    return user_assign_role(user=user, role_code=role, lapas=lapas)


@pytest.fixture
def workshop_staff(lapas):
    return _role_user("staf.tangerang", "workshop_staff", lapas)


@pytest.fixture
def other_workshop_staff(other_lapas):
    return _role_user("staf.cipinang", "workshop_staff", other_lapas)


@pytest.fixture
def english():
    """Messages made outside a request (services, validators) in English, so tests can
    read them; without it they come in Indonesian, the site's default language."""
    from django.utils import translation

    with translation.override("en"):
        yield


# Rates per zone (kg upper limit, rupiah) that tests compute by hand. Oscar charges a
# weight above the top band as top bands plus the band of the rest.
SHIPPING_RATES = {
    "province": ((1, 10000), (2, 18000), (5, 40000)),
    "region": ((1, 20000), (2, 36000), (5, 80000)),
    "national": ((1, 40000), (2, 72000), (5, 160000)),
    "remote": ((1, 100000), (2, 180000), (5, 400000)),
}


@pytest.fixture
def shipping_rates(db):
    """A courier rate table for every zone, so goods can be shipped anywhere."""
    from oscar.core.loading import get_model

    WeightBased = get_model("shipping", "WeightBased")
    tables = {}
    for zone, bands in SHIPPING_RATES.items():
        table = WeightBased.objects.create(name=f"Kurir {zone}", zone=zone)
        for upper_limit, charge in bands:
            table.bands.create(upper_limit=Decimal(upper_limit), charge=Decimal(charge))
        tables[zone] = table
    return tables


# The fake Stripe server (tests/fakes/stripe_server.py), for any test: `fake_stripe`.
from tests.fakes.stripe_server import fake_stripe, fake_stripe_server  # noqa: E402, F401

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Debian's chromium: Playwright cannot download its own browser on these machines.
    # Background networking is off because the machine's network is closed.
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "id-ID", "viewport": {"width": 1280, "height": 900}}


@pytest.fixture(scope="session", autouse=True)
def _serialized_contents_for_every_connection(django_db_setup):
    # Playwright's sync API runs an event loop in the test thread, and inside a running
    # loop Django hands out per-context connection objects. Those lack the database
    # contents serialized at setup, so serialized_rollback would restore nothing once a
    # non-browser test had opened the database first. This runs before Playwright starts
    # (session autouse fixtures come first), while the thread's own connection is current,
    # and keeps the contents on the connection class for every connection object.
    from django.db import connections

    for alias in connections:
        connection = connections[alias]
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents is not None:
            type(connection)._test_serialized_contents = contents


# Fixtures shared by several browser modules: the small shop of every buyer page
# (accessibility, phone layout) and the point of sale's gallery (the cashier's screen).
from tests.browser.shop_pages import shop_pages  # noqa: E402, F401
from tests.browser.test_pos import gallery  # noqa: E402, F401

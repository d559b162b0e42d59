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


# Fixtures shared by several browser modules: the small shop of every buyer page
# (accessibility, phone layout) and the point of sale's gallery (the cashier's screen).
from tests.browser.shop_pages import shop_pages  # noqa: E402, F401
from tests.browser.test_pos import gallery  # noqa: E402, F401

"""The POS app shows the server's message, never a bare status code (issue 15, item 7).

static/pos/api.js runs under Node here with fetch replaced: a 503 with the API's JSON
error shows its detail; a 500 with an HTML page (a crash, a proxy's error page) shows the
translated fallback that the shell page hands the script, not "HTTP 500".
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from shop.pos.views_app import JS_STRINGS

API_JS = Path(__file__).resolve().parents[3] / "static" / "pos" / "api.js"

pytestmark = pytest.mark.skipif(not shutil.which("node"), reason="needs Node.js")

SCRIPT = """
const { configure, request, ApiError } = await import(process.argv[1]);
const strings = JSON.parse(process.argv[2]);
const [status, type, body] = JSON.parse(process.argv[3]);
configure({ strings, csrf: "x", csrfCookie: "csrftoken", urls: {} });
globalThis.fetch = async () => new Response(body, { status, headers: { "Content-Type": type } });
try {
  await request("/api/v1/pos/sales/sync");
  console.log(JSON.stringify({ ok: true }));
} catch (error) {
  console.log(JSON.stringify({ api: error instanceof ApiError, message: error.message }));
}
"""


def shown(status: int, content_type: str, body: str) -> dict:
    strings = {key: str(value) for key, value in JS_STRINGS.items()}
    result = subprocess.run(
        [
            "node",
            "--input-type=module",
            "-e",
            SCRIPT,
            API_JS.as_uri(),
            json.dumps(strings),
            json.dumps([status, content_type, body]),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_servers_own_message_is_shown():
    body = json.dumps({"detail": "The server is busy. Try again in a moment.", "code": "busy"})

    assert shown(503, "application/json", body) == {
        "api": True,
        "message": "The server is busy. Try again in a moment.",
    }


@pytest.mark.parametrize("status", [500, 502, 504])
def test_an_error_page_without_a_message_is_not_shown_as_a_bare_status(status):
    result = shown(status, "text/html", "<h1>Server Error</h1>")

    assert result["api"] is True
    assert result["message"] != f"HTTP {status}"
    assert result["message"] == str(JS_STRINGS["server_error"])
    assert str(status) not in result["message"]  # words only, no status code (issue 18)


def test_a_busy_server_without_a_message_says_it_is_busy():
    result = shown(503, "text/html", "")

    assert result["message"] == str(JS_STRINGS["server_busy"])


def test_a_refused_form_shows_its_messages_without_field_names():
    # The API's 422: "detail" joins "field: message"; the cashier reads the messages only.
    body = json.dumps(
        {
            "detail": "pin: Field required; reason: String should have at least 1 character",
            "code": "invalid",
            "errors": [
                {"field": "pin", "message": "Field required"},
                {"field": "reason", "message": "String should have at least 1 character"},
            ],
        }
    )

    result = shown(422, "application/json", body)

    assert result == {
        "api": True,
        "message": "Field required String should have at least 1 character",
    }

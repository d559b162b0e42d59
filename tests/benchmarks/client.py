"""A small HTTP client for the benchmark drivers: cookies, CSRF and logins, standard library
only, so a driver measures the server and not a client library.

It logs in the way a browser does (GET the login page for the CSRF cookie, POST the
form), then sends the CSRF token in ``X-CSRFToken`` on every unsafe request, as the
shop's scripts do. Redirects are not followed: a driver sees the 302 of a login or of a
refused page instead of timing the page it lands on. Every response carries the elapsed
wall time, the server's query count and its own time (the X-Bench-Queries and X-Bench-Ms
headers of tests/benchmarks/querycount.py, None when the server does not send them).

Django setup for drivers that prepare data in-process lives here too (``django_setup``).
"""

import http.cookiejar
import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

QUERIES_HEADER = "X-Bench-Queries"
TIME_HEADER = "X-Bench-Ms"
LOGIN_PATH = "/accounts/login/"


class BenchError(RuntimeError):
    """The server did not behave as the scenario needs; the message says what happened."""


@dataclass
class Response:
    status: int
    headers: dict = field(repr=False)
    body: bytes = field(repr=False)
    seconds: float
    url: str

    @property
    def queries(self) -> int | None:
        value = self.headers.get(QUERIES_HEADER.lower())
        return int(value) if value is not None else None

    @property
    def server_seconds(self) -> float | None:
        """The server's own time for the request (X-Bench-Ms), without queueing."""
        value = self.headers.get(TIME_HEADER.lower())
        return float(value) / 1000 if value is not None else None

    @property
    def location(self) -> str:
        return self.headers.get("location", "")

    def json(self):
        return json.loads(self.body)

    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class Client:
    """One user agent: its own cookie jar, so two clients are two browsers."""

    def __init__(self, base_url: str, *, timeout: float = 120.0):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.cookies = http.cookiejar.CookieJar()
        self._opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect()
        )

    # --- plumbing -------------------------------------------------------------------

    def url(self, path: str) -> str:
        return path if path.startswith("http") else f"{self.base_url}{path}"

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.cookies if c.name == name), None)

    @property
    def csrf_token(self) -> str | None:
        return self.cookie("csrftoken")

    def request(
        self,
        method: str,
        path: str,
        *,
        data: bytes | None = None,
        headers: dict | None = None,
    ) -> Response:
        url = self.url(path)
        headers = {"Accept": "*/*", **(headers or {})}
        if method not in ("GET", "HEAD", "OPTIONS") and self.csrf_token:
            headers.setdefault("X-CSRFToken", self.csrf_token)
            # Django checks the Referer of unsafe requests only over HTTPS; sent anyway, as
            # a browser would, so the same client works behind TLS.
            headers.setdefault("Referer", url)
        request = urllib.request.Request(url, data=data, headers=headers, method=method)
        started = time.perf_counter()
        try:
            with self._opener.open(request, timeout=self.timeout) as answer:
                body, status, raw_headers = answer.read(), answer.status, answer.headers
        except urllib.error.HTTPError as error:
            body, status, raw_headers = error.read(), error.code, error.headers
        seconds = time.perf_counter() - started
        return Response(
            status=status,
            headers={k.lower(): v for k, v in raw_headers.items()},
            body=body,
            seconds=seconds,
            url=url,
        )

    def get(self, path: str, **params) -> Response:
        if params:
            path = f"{path}?{urllib.parse.urlencode(params)}"
        return self.request("GET", path)

    def post_form(self, path: str, fields: dict) -> Response:
        return self.request(
            "POST",
            path,
            data=urllib.parse.urlencode(fields).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )

    def post_json(self, path: str, payload) -> Response:
        return self.request(
            "POST",
            path,
            data=json.dumps(payload).encode(),
            headers={"Content-Type": "application/json", "Accept": "application/json"},
        )

    # --- the shop's login -----------------------------------------------------------

    def login(self, *, email: str, password: str, path: str = LOGIN_PATH) -> None:
        """Log in through the shop's login form (Oscar's, fields prefixed ``login-``)."""
        page = self.get(path)
        if page.status != 200 or not self.csrf_token:
            raise BenchError(f"GET {path}: HTTP {page.status}, no CSRF cookie")
        answer = self.post_form(
            path,
            {
                "csrfmiddlewaretoken": self.csrf_token,
                "login-username": email,
                "login-password": password,
                "login_submit": "1",
            },
        )
        # A good login redirects; a bad one shows the form again with 200.
        if answer.status != 302 or not self.cookie("sessionid"):
            raise BenchError(f"login of {email} failed: HTTP {answer.status}")


def expect(response: Response, status: int = 200) -> Response:
    if response.status != status:
        raise BenchError(
            f"{response.url}: HTTP {response.status} (expected {status}): {response.text()[:300]}"
        )
    return response


def django_setup() -> None:
    """Django in this process, with the server's settings, to prepare and check data."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.benchmarks.karya_settings")
    import django

    django.setup()


def emit(result: dict) -> None:
    """The driver's one line of output for the harness."""
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()

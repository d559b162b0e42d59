"""Fixtures for running Karya as production does: a local S3-compatible server, uploads in
its bucket, and helpers for processes started from the tests."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url(connection) -> str:
    """A URL for the database a Django connection uses (the test database), for processes
    started from a test."""
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def wait_for_http(url: str, *, process: subprocess.Popen, timeout: float = 30.0) -> None:
    """Wait until url answers (any HTTP status), or fail with the process's own output."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args!r} exited with {process.returncode}")
        try:
            urllib.request.urlopen(url, timeout=1)  # noqa: S310 - loopback only
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


def stop(process: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class S3Server:
    """moto's S3-compatible server in its own process on a free loopback port: the tests
    speak real HTTP to it through boto3 and django-storages, as production speaks to MinIO
    or a cloud bucket."""

    access_key = "karya-test"
    secret_key = "karya-test-secret"
    region = "us-east-1"

    def __init__(self, endpoint: str):
        self.endpoint = endpoint

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
            region_name=self.region,
        )

    def create_bucket(self) -> str:
        name = f"karya-{uuid.uuid4().hex[:12]}"
        self.client().create_bucket(Bucket=name)
        return name

    def keys(self, bucket: str) -> list[str]:
        listing = self.client().list_objects_v2(Bucket=bucket)
        return sorted(obj["Key"] for obj in listing.get("Contents", []))

    def env(self, bucket: str) -> dict[str, str]:
        """The environment production reads (shop/settings/object_storage.py)."""
        return {
            "AWS_STORAGE_BUCKET_NAME": bucket,
            "AWS_S3_ENDPOINT_URL": self.endpoint,
            "AWS_ACCESS_KEY_ID": self.access_key,
            "AWS_SECRET_ACCESS_KEY": self.secret_key,
            "AWS_S3_REGION_NAME": self.region,
            "AWS_S3_ADDRESSING_STYLE": "path",
        }


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    port = free_port()
    log = (tmp_path_factory.mktemp("moto") / "moto.log").open("wb")
    process = subprocess.Popen(  # noqa: S603 - our own interpreter
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(endpoint, process=process)
        yield S3Server(endpoint)
    finally:
        stop(process)
        log.close()


@pytest.fixture
def bucket(s3_server):
    return s3_server.create_bucket()


@pytest.fixture
def object_storage(settings, s3_server, bucket):
    """Uploads go to a fresh bucket of the local S3 server, configured exactly as production
    configures them from the environment."""
    import environ
    from django.utils.functional import empty
    from sorl.thumbnail import default as sorl_default

    from shop.settings.object_storage import object_storage_backend, object_storage_settings

    env = environ.Env()
    saved = {k: os.environ.get(k) for k in s3_server.env(bucket)}
    os.environ.update(s3_server.env(bucket))
    try:
        values = object_storage_settings(env)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    for key, value in values.items():
        setattr(settings, key, value)
    # Changing STORAGES resets Django's default_storage (setting_changed); sorl keeps its
    # own storage object, built from THUMBNAIL_STORAGE.
    settings.STORAGES = {**settings.STORAGES, "default": object_storage_backend()}
    settings.THUMBNAIL_STORAGE = object_storage_backend()["BACKEND"]
    sorl_default.storage._wrapped = empty
    yield bucket
    sorl_default.storage._wrapped = empty

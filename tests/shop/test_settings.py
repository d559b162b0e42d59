"""Production settings: refuse to start without a secret, pass `check --deploy` cleanly."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, env_overrides):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update({"DJANGO_SETTINGS_MODULE": "shop.settings.production", **env_overrides})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", env_overrides={"ALLOWED_HOSTS": "karya.example"})

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_passes_check_deploy_without_warnings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_overrides={
            "SECRET_KEY": "k4rya-" + "x7Q9pL2mZ8vB3nR6tY1wE5uI0oA4sD" * 2,
            "ALLOWED_HOSTS": "karya.example",
            "DATABASE_URL": "sqlite:////tmp/karya-deploy-check.sqlite3",
        },
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_with_sentry_and_object_storage_passes_check_deploy():
    # No server is reached: the storage connects lazily and Sentry only sends on an event.
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_overrides={
            "SECRET_KEY": "k4rya-" + "x7Q9pL2mZ8vB3nR6tY1wE5uI0oA4sD" * 2,
            "ALLOWED_HOSTS": "karya.example",
            "DATABASE_URL": "sqlite:////tmp/karya-deploy-check.sqlite3",
            "SENTRY_DSN": "https://publickey@glitchtip.karya.example/1",
            "AWS_STORAGE_BUCKET_NAME": "karya-media",
            "AWS_S3_ENDPOINT_URL": "https://s3.karya.example",
            "AWS_ACCESS_KEY_ID": "karya",
            "AWS_SECRET_ACCESS_KEY": "karya-secret-key",
            "AWS_S3_REGION_NAME": "ap-southeast-3",
            "METRICS_TOKEN": "m3trics-" + "q" * 40,
        },
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout

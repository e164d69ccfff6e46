"""Production fails closed: with DEBUG off, no built-in key and no embedded database."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_SECRET_KEY": "k" * 20 + "-production-secret-key-with-enough-variety-0123456789",
    "DATABASE_URL": "postgres://technopark:secret@127.0.0.1:5432/technopark_prod",
    "DJANGO_ALLOWED_HOSTS": "technopark.andijan.uz",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://technopark.andijan.uz",
}


def _run(args, **overrides):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(PRODUCTION)
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DATABASE_URL"])
def test_missing_production_variable_stops_the_server_with_one_line(missing):
    result = _run(["check"], **{missing: None})
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert missing in lines[0]
    assert "Traceback" not in result.stderr


def test_check_deploy_is_clean_with_production_variables():
    result = _run(["check", "--deploy", "--fail-level", "WARNING"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_debug_still_starts_without_secret_key_or_database_url():
    # `make run`: DJANGO_DEBUG=1, no key, the embedded database (not started by `check`).
    result = _run(["check"], DJANGO_DEBUG="1", DJANGO_SECRET_KEY=None)
    assert result.returncode == 0, result.stderr


def test_staff_two_step_sign_in_is_on_in_production_and_off_with_debug():
    script = "from django.conf import settings; print(settings.STAFF_REQUIRE_2FA)"
    assert _run(["shell", "--no-imports", "-c", script]).stdout.split() == ["True"]
    assert _run(["shell", "--no-imports", "-c", script], DJANGO_DEBUG="1").stdout.split() == ["False"]

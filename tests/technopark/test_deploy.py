"""`manage.py check --deploy` is clean with production variables."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings

BASE_DIR = Path(__file__).resolve().parents[2]


def test_check_deploy_reports_no_warnings_with_production_variables():
    db = settings.DATABASES["default"]
    database_url = os.environ.get("DATABASE_URL")
    if not database_url:  # embedded server: reuse the running one
        database_url = f"postgresql://{db['USER']}:@/{db['NAME']}?host={db['HOST']}"
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", ""),
        "DJANGO_SETTINGS_MODULE": "technopark.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
        "DJANGO_ALLOWED_HOSTS": "technopark.andijan.uz,www.technopark.andijan.uz",
        "DATABASE_URL": database_url,
        "PYTHONWARNINGS": "ignore",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.strip() == "System check identified no issues (0 silenced).", result.stderr
    assert result.returncode == 0

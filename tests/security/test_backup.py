"""Backups that restore: the demo data backed up with `manage.py backup`, restored with
`manage.py restore` into an empty database and empty media directories (another process, as on
another machine), shows the same impact figures, the same row counts and the same files."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from security.backup import file_checksums, table_counts

# serialized_rollback: the database gets back what the migrations put there (roles, the FabLab week)
# for the tests that come after this one.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

FIGURES = """
import json, django
django.setup()
from impact.selectors import seed_report
from security.backup import file_checksums, media_roots, table_counts
print(json.dumps({
    "figures": [[str(label), str(value)] for label, value in seed_report()],
    "tables": table_counts(),
    "files": file_checksums(media_roots()),
}))
"""


def _admin_connection():
    db = connection.settings_dict
    params = {"dbname": "postgres", "user": db["USER"], "host": db["HOST"], "port": db["PORT"] or None}
    if db["PASSWORD"]:
        params["password"] = db["PASSWORD"]
    conn = psycopg2.connect(**{k: v for k, v in params.items() if v})
    conn.autocommit = True
    return conn


@pytest.fixture
def empty_database():
    name = f"{connection.settings_dict['NAME']}_restore"
    admin = _admin_connection()
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield name
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def _url(name: str) -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    host = db["HOST"] or "localhost"
    if host.startswith("/"):
        return f"postgres://{db['USER']}{password}@/{name}?host={host}"
    return f"postgres://{db['USER']}{password}@{host}:{db['PORT'] or 5432}/{name}"


def _in_other_process(args, *, database: str, media: Path, private: Path, input_code: str | None = None):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "technopark.settings_test",
        "DATABASE_URL": _url(database),
        "MEDIA_ROOT": str(media),
        "PRIVATE_MEDIA_ROOT": str(private),
    }
    command = [sys.executable, "-c", input_code] if input_code else [sys.executable, "manage.py", *args]
    done = subprocess.run(command, env=env, cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_a_backup_of_the_demo_data_restores_into_an_empty_database_and_storage(tmp_path, empty_database):
    call_command("seed_demo", "--no-progress", stdout=io.StringIO())
    media, private = Path(settings.MEDIA_ROOT), Path(settings.PRIVATE_MEDIA_ROOT)
    before_files = file_checksums({"media": media, "private": private})
    assert any(name.startswith("private/") for name in before_files)  # the demo's pitch deck
    assert any(name.startswith("media/") for name in before_files)  # the demo's pictures
    before_tables = table_counts()
    assert before_tables["technopark_user"] > 1000 and before_tables["programs_enrolment"] > 1000

    call_command("backup", "--output", str(tmp_path / "backup"), stdout=io.StringIO())
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["tables"] == before_tables and manifest["files"] == before_files

    # the figures as this database computes them, by the same code the restored copy runs
    this_database = connection.settings_dict["NAME"]
    here = json.loads(_in_other_process([], database=this_database, media=media, private=private, input_code=FIGURES))
    assert here["tables"] == before_tables

    new_media, new_private = tmp_path / "restored-media", tmp_path / "restored-private"
    out = _in_other_process(
        ["restore", str(tmp_path / "backup")], database=empty_database, media=new_media, private=new_private
    )
    assert "counts and checksums match the backup" in out
    there = json.loads(
        _in_other_process([], database=empty_database, media=new_media, private=new_private, input_code=FIGURES)
    )
    assert there["figures"] == here["figures"]
    assert dict(there["figures"])  # not empty
    assert there["tables"] == before_tables
    assert there["files"] == before_files


def test_restore_refuses_a_database_that_is_not_empty(tmp_path, empty_database):
    call_command("backup", "--output", str(tmp_path / "backup"), stdout=io.StringIO())
    env_args = {"media": tmp_path / "m", "private": tmp_path / "p"}
    _in_other_process(["restore", str(tmp_path / "backup")], database=empty_database, **env_args)
    again = subprocess.run(
        [sys.executable, "manage.py", "restore", str(tmp_path / "backup")],
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "technopark.settings_test",
            "DATABASE_URL": _url(empty_database),
            "MEDIA_ROOT": str(tmp_path / "m2"),
            "PRIVATE_MEDIA_ROOT": str(tmp_path / "p2"),
        },
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert again.returncode != 0
    assert "The database is not empty" in again.stderr

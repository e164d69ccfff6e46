"""``manage.py benchmark_lighthouse`` (``make lighthouse``): Lighthouse's four scores on a phone
profile (performance, accessibility, best practices, SEO) for the key public pages, in Uzbek
(unprefixed addresses) and Russian (``/ru/``). Issue 15, item 8: each score at least 95.

A measurement, not a test: it prints the table and says which scores are under the target; it
exits 0 either way (``--strict`` exits 1 when one is under). What it does:

1. ``collectstatic`` (production serves the hashed, compressed files from ``STATIC_ROOT``);
2. starts gunicorn with ``gunicorn.conf.py`` with production settings (``DJANGO_DEBUG=0``;
   ``DJANGO_SECURE_SSL_REDIRECT=0`` because TLS is nginx's) against the database of
   ``DATABASE_URL`` and the Redis of ``REDIS_URL``, and in front of it on ``--port`` (8300) a
   small stand-in for nginx that does what the README's nginx does without TLS: serves
   ``/media/`` from ``MEDIA_ROOT`` and passes everything else to gunicorn (gunicorn itself
   answers 404 for media, as in production). Every page is loaded once so Lighthouse gets what
   the next visitor gets (the page cache);
3. runs Lighthouse (npm, installed by ``make lighthouse`` into ``.npm-tools/lighthouse``) with
   Debian's Chromium, its default phone profile (Moto G Power screen, simulated slow 4G and 4×
   slower CPU), ``--runs`` times per page, and reports the median of each score. The JSON
   reports are kept in ``var/lighthouse/``.

Nothing is downloaded at run time: Chromium's own background traffic is switched off by flags.
"""

from __future__ import annotations

import http.client
import json
import mimetypes
import os
import shutil
import socket
import statistics
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from impact.management.commands.benchmark_http import GunicornServer, get

ROOT = Path(settings.BASE_DIR)
LIGHTHOUSE = ROOT / ".npm-tools" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --disable-quic --no-first-run"
)
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGET = 95
ATTEMPTS = 3
LANGUAGES = {"uz": "", "ru": "/ru"}


def pages() -> list[tuple[str, str]]:
    """(label, Uzbek path) of the measured pages."""
    from django.urls import reverse
    from django.utils import translation

    from fablab.selectors import public_equipment

    machine = public_equipment().order_by("pk").first()
    with translation.override(settings.LANGUAGE_CODE):
        found = [
            ("home", reverse("home")),
            ("programme list", reverse("programs:index")),
            ("portfolio", reverse("incubator:portfolio")),
            ("machine", reverse("fablab:equipment_detail", args=[machine.slug]) if machine else None),
            ("impact", reverse("impact:index")),
        ]
    missing = [label for label, path in found if not path]
    if missing:
        raise CommandError(f"No data for {', '.join(missing)}: run `manage.py seed_demo` first.")
    return found


HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "proxy-connection"}


class Front(ThreadingHTTPServer):
    """What nginx does in production, minus TLS: ``/media/`` from ``MEDIA_ROOT``, the rest to gunicorn."""

    daemon_threads = True

    def __init__(self, port: int, upstream: str):
        self.upstream = upstream
        self.media_root = Path(settings.MEDIA_ROOT).resolve()
        super().__init__(("127.0.0.1", port), FrontHandler)
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.shutdown()
        self.server_close()


class FrontHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # quiet, like the benchmark's gunicorn access log
        pass

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        path = unquote(urlsplit(self.path).path)
        if path.startswith(settings.MEDIA_URL):
            return self._media(path[len(settings.MEDIA_URL) :])
        upstream = http.client.HTTPConnection(self.server.upstream, timeout=60)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
        headers["X-Forwarded-For"] = self.client_address[0]
        upstream.request(self.command, self.path, headers=headers)
        response = upstream.getresponse()
        body = response.read()
        upstream.close()
        self.send_response(response.status, response.reason)
        for name, value in response.getheaders():
            if name.lower() not in HOP_BY_HOP and name.lower() != "content-length":
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _media(self, name: str):
        root = self.server.media_root
        file = (root / name).resolve()
        if not file.is_relative_to(root) or not file.is_file():
            self.send_error(404)
            return
        body = file.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", mimetypes.guess_type(file.name)[0] or "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "public, max-age=604800")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class Command(BaseCommand):
    help = "Lighthouse scores (phone) of the key pages in Uzbek and Russian through gunicorn (measures only)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8300)
        parser.add_argument("--runs", type=int, default=1, help="Lighthouse runs per page; the median is shown.")
        parser.add_argument("--only", help="Comma-separated page labels (default: all).")
        parser.add_argument("--languages", default="uz,ru", help="Comma-separated: uz, ru.")
        parser.add_argument("--strict", action="store_true", help="Exit 1 when a score is under the target.")

    def handle(self, *args, **options):
        if not LIGHTHOUSE.exists():
            raise CommandError(f"{LIGHTHOUSE} is missing: run `make lighthouse` (installs it with npm).")
        if not shutil.which("node"):
            raise CommandError("node is missing (Debian: apt-get install nodejs npm).")
        if not Path(CHROMIUM).exists():
            raise CommandError(f"No Chromium at {CHROMIUM} (Debian: apt-get install chromium).")
        if not os.environ.get("REDIS_URL"):
            raise CommandError("Set REDIS_URL: the page cache of several gunicorn workers needs Redis.")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", options["port"])) == 0:
                raise CommandError(f"Port {options['port']} is taken: stop what runs there or pass --port.")
        languages = [code.strip() for code in options["languages"].split(",") if code.strip()]
        unknown = set(languages) - set(LANGUAGES)
        if unknown:
            raise CommandError(f"Unknown language {', '.join(sorted(unknown))}: uz or ru.")
        only = {s.strip() for s in (options["only"] or "").split(",") if s.strip()}
        targets = [(label, path) for label, path in pages() if not only or label in only]

        call_command("collectstatic", interactive=False, verbosity=0)
        out_dir = ROOT / "var" / "lighthouse"
        out_dir.mkdir(parents=True, exist_ok=True)
        rows = []
        front_host = f"127.0.0.1:{options['port']}"
        with GunicornServer(workers=2, threads=2) as server, Front(options["port"], server.host):
            for lang in languages:
                for label, path in targets:
                    url = f"http://{front_host}{LANGUAGES[lang]}{path}"
                    status = get(front_host, LANGUAGES[lang] + path)[0]  # fills the page cache
                    if status != 200:
                        raise CommandError(f"{url} answered {status}")
                    stem = f"{lang}-{slug(label)}"
                    runs = [self._lighthouse(url, out_dir / f"{stem}-{n}.json") for n in range(options["runs"])]
                    scores = {cat: round(statistics.median(run[cat] for run in runs)) for cat in CATEGORIES}
                    rows.append((label, lang, scores))
                    self.stdout.write(f"{lang} {label}: " + ", ".join(f"{c} {scores[c]}" for c in CATEGORIES))

        self.stdout.write("")
        self.stdout.write("| page | language | performance | accessibility | best practices | SEO |")
        self.stdout.write("|---|---|---|---|---|---|")
        below = []
        for label, lang, scores in rows:
            cells = []
            for cat in CATEGORIES:
                mark = "" if scores[cat] >= TARGET else " ✗"
                if mark:
                    below.append(f"{lang} {label} {cat}")
                cells.append(f"{scores[cat]}{mark}")
            self.stdout.write(f"| {label} | {lang} | " + " | ".join(cells) + " |")
        self.stdout.write(f"\nUnder {TARGET}: {', '.join(below)}" if below else f"\nEvery score is at least {TARGET}.")
        self.stdout.write(f"Reports: {out_dir.relative_to(ROOT)}/ (open one in the Lighthouse viewer for details)")
        if below and options["strict"]:
            raise CommandError(f"{len(below)} score(s) under {TARGET}")

    def _lighthouse(self, url: str, report: Path) -> dict[str, float]:
        command = [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={report}",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--chrome-flags={CHROME_FLAGS}",
            "--no-enable-error-reporting",
        ]
        env = {**os.environ, "CHROME_PATH": CHROMIUM}
        # On a busy machine Lighthouse now and then loses the trace of the load (NO_NAVSTART) and
        # asks to be run again: up to three tries, each one said.
        for attempt in range(1, ATTEMPTS + 1):
            report.unlink(missing_ok=True)
            done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300, check=False)
            error = "" if done.returncode == 0 and report.exists() else done.stderr.strip()[-3000:]
            if not error:
                data = json.loads(report.read_text())
                if not data.get("runtimeError"):
                    return {cat: (data["categories"][cat]["score"] or 0) * 100 for cat in CATEGORIES}
                error = str(data["runtimeError"])
            self.stderr.write(f"lighthouse on {url}, try {attempt} of {ATTEMPTS}: {error}")
        raise CommandError(f"lighthouse failed {ATTEMPTS} times on {url}")


def slug(label: str) -> str:
    return label.replace(" ", "-")

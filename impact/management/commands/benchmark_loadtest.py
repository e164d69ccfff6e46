"""``manage.py benchmark_loadtest`` (``make loadtest``): the deadline rush with Locust against
gunicorn, at several numbers of simulated people (``loadtest/locustfile.py`` says who they are).

For each number N in ``--users``: a fresh gunicorn (``gunicorn.conf.py`` as in production:
2 × cores + 1 workers, 2 threads; debug off), then ``locust --headless`` with N users spawned
at N/60 per second — everyone, the 30 % who sign in included, arrives within the first minute —
and ``--run-time`` in all (default 2 minutes: the minute of arrivals and one minute of
browsing). It reports, per N, requests, failures, the median and 95th percentile of all
answers, and the request kind with the worst 95th percentile (where it breaks first).

It changes the database, so it runs only with development defaults (``make`` sets them):
the demo people ``youth00001…`` get the demo password (one Argon2id hash shared by all), the
loadtest applicants' applications to the open season are deleted, and the newest season is
made to close an hour from now (the last hour of the season); the season's dates are put back
at the end.
"""

from __future__ import annotations

import csv
import datetime
import json
import os
import subprocess
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils import timezone

from .benchmark_http import BIN, ROOT, GunicornServer, ensure_static_manifest, get

YOUNG_ACCOUNTS = 200
APPLICANT_ACCOUNTS = 100


class Command(BaseCommand):
    help = "The deadline rush with Locust against gunicorn (changes demo accounts: development databases only)."

    def add_arguments(self, parser):
        parser.add_argument("--users", default="50,100,150,200", help="Comma-separated numbers of simulated people.")
        parser.add_argument("--run-time", default="2m", help="Locust's --run-time for each number.")
        parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default: gunicorn.conf.py's).")
        parser.add_argument("--out", default="var/loadtest", help="Where Locust's CSV files go.")

    def handle(self, *args, users, run_time, workers, out, **options):
        if not settings.DEVELOPMENT_DEFAULTS:
            raise CommandError(
                "benchmark_loadtest changes demo accounts: run it with DJANGO_DEVELOPMENT_DEFAULTS=1 (make)."
            )
        if not os.environ.get("REDIS_URL"):
            raise CommandError("Set REDIS_URL: the page cache of several gunicorn workers needs Redis.")
        ensure_static_manifest(self.stdout)
        out_dir = ROOT / out
        out_dir.mkdir(parents=True, exist_ok=True)
        config, season, original = self._prepare()
        config_path = out_dir / "config.json"
        config_path.write_text(json.dumps(config, indent=1))
        results = []
        try:
            for count in [int(n) for n in users.split(",") if n.strip()]:
                self._reset_applications(config)
                env = {"GUNICORN_WORKERS": workers} if workers else {}
                with GunicornServer(**env) as server:
                    # every worker warm (templates compiled, catalogues loaded), as after a deploy
                    for _ in range(20):
                        for path in ("/", config["course_path"], config["machine_path"], "/programmes/"):
                            get(server.host, path)
                    results.append(self._locust(server, count, run_time, out_dir, config_path))
                    self._print_row(results[-1])
        finally:
            type(season).objects.filter(pk=season.pk).update(**original)
        self._print_table(results, config)

    # --- preparation ---------------------------------------------------------------------------

    def _prepare(self):
        from fablab.selectors import public_equipment
        from incubator.models import Season
        from programs.selectors import public_courses
        from technopark.seed import DEMO_PASSWORD

        User = get_user_model()
        demo = list(
            User.objects.filter(email__startswith="youth", email__endswith="@demo.technopark.uz")
            .order_by("email")
            .values_list("email", flat=True)[: YOUNG_ACCOUNTS + APPLICANT_ACCOUNTS]
        )
        if len(demo) < YOUNG_ACCOUNTS + APPLICANT_ACCOUNTS:
            raise CommandError("Not enough demo people: run `manage.py seed_demo` first.")
        password = make_password(DEMO_PASSWORD)
        User.objects.filter(email__in=demo).update(password=password, is_active=True, email_confirmed_at=timezone.now())
        season = Season.objects.order_by("-number").first()
        if season is None:
            raise CommandError("No InnoX season: run `manage.py seed_demo` first.")
        original = {"application_opens": season.application_opens, "application_closes": season.application_closes}
        now = timezone.now()
        Season.objects.filter(pk=season.pk).update(
            application_opens=min(season.application_opens, now - datetime.timedelta(days=30)),
            application_closes=now + datetime.timedelta(hours=1),
        )
        course = public_courses().order_by("pk").first()
        machine = public_equipment().order_by("pk").first()
        config = {
            "password": DEMO_PASSWORD,
            "young": demo[:YOUNG_ACCOUNTS],
            "applicants": demo[YOUNG_ACCOUNTS:],
            "staff": ["innox@technopark.uz"],
            "course_path": reverse("programs:course_detail", args=[course.slug]),
            "machine_path": reverse("fablab:equipment_detail", args=[machine.slug]),
            "ranking_path": reverse("incubator:ranking", args=[season.number]),
            "season": season.number,
        }
        return config, season, original

    def _reset_applications(self, config):
        """The loadtest applicants apply afresh in every run."""
        from incubator.models import Application

        Application.objects.filter(season__number=config["season"], applicant__email__in=config["applicants"]).delete()

    # --- running -------------------------------------------------------------------------------

    def _locust(self, server, count, run_time, out_dir, config_path) -> dict:
        prefix = out_dir / f"users-{count}"
        spawn_rate = max(count / 60, 1)
        self.stdout.write(f"{count} simulated people, spawn rate {spawn_rate:.2f}/s, run time {run_time}…")
        subprocess.run(
            [
                str(BIN / "locust"),
                "-f",
                str(ROOT / "loadtest" / "locustfile.py"),
                "--headless",
                "--users",
                str(count),
                "--spawn-rate",
                f"{spawn_rate:.3f}",
                "--run-time",
                run_time,
                "--stop-timeout",  # let the tasks under way finish: no request cut at the end counted
                "15",
                "--host",
                f"http://{server.host}",
                "--csv",
                str(prefix),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env={**os.environ, "LOADTEST_CONFIG": str(config_path)},
            check=False,
            stdout=subprocess.DEVNULL,
        )
        with Path(f"{prefix}_stats.csv").open() as handle:
            rows = list(csv.DictReader(handle))
        total = next(r for r in rows if r["Name"] == "Aggregated")
        kinds = [r for r in rows if r["Name"] != "Aggregated" and int(r["Request Count"])]
        worst = max(kinds, key=lambda r: float(r["95%"] or 0))
        return {
            "users": count,
            "requests": int(total["Request Count"]),
            "failures": int(total["Failure Count"]),
            "rps": float(total["Requests/s"]),
            "median": float(total["50%"] or 0),
            "p95": float(total["95%"] or 0),
            "worst": worst["Name"],
            "worst_p95": float(worst["95%"] or 0),
            "kinds": {
                r["Name"]: {"n": int(r["Request Count"]), "p95": float(r["95%"] or 0), "fail": int(r["Failure Count"])}
                for r in kinds
            },
        }

    def _print_row(self, r):
        self.stdout.write(
            f"  {r['users']} people: {r['requests']} requests ({r['rps']:.1f}/s), {r['failures']} failures, "
            f"median {r['median']:.0f} ms, p95 {r['p95']:.0f} ms; worst p95: {r['worst']} {r['worst_p95']:.0f} ms"
        )
        for name, k in sorted(r["kinds"].items(), key=lambda item: -item[1]["p95"]):
            self.stdout.write(f"      {name:<34} n={k['n']:<6} p95 {k['p95']:>7.0f} ms  failures {k['fail']}")

    def _print_table(self, results, config):
        people = get_user_model().objects.count()
        self.stdout.write("")
        self.stdout.write(
            f"database {settings.DATABASES['default']['NAME']} ({people:,} people); "
            f"load average {os.getloadavg()[0]:.1f} at the end"
        )
        self.stdout.write("| simulated people | requests/s | failures | median ms | p95 ms | worst p95 (request) |")
        self.stdout.write("|---|---|---|---|---|---|")
        for r in results:
            self.stdout.write(
                f"| {r['users']} | {r['rps']:.1f} | {r['failures']} | {r['median']:.0f} | {r['p95']:.0f} | "
                f"{r['worst_p95']:.0f} ({r['worst']}) |"
            )
        good = [r["users"] for r in results if r["p95"] < 500 and r["failures"] == 0]
        self.stdout.write(
            f"largest number served with p95 < 500 ms and no failures: {max(good) if good else 'none of those tried'}"
        )

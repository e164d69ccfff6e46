"""``manage.py benchmark`` (``make bench``): how long the key pages take, with Django's test Client.

It measures and prints; nothing asserts times. For each page: median and 95th percentile of the
wall time of N requests (after warm-up requests), database queries per request, and the peak
Python allocation during one more request (tracemalloc, not timed); at the end, the process's peak RSS.
"""

import resource
import statistics
import time
import tracemalloc

from django.conf import settings
from django.core.cache import cache
from django.core.management.base import BaseCommand
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation

# (label, URL names to try in order, query string, clear the cache before each request)
PAGES = [
    ("healthz", ["healthz"], "", False),
    ("home", ["home"], "", False),
    ("programme list", ["programs:course_list", "programs:index"], "", False),
    ("portfolio", ["incubator:portfolio", "incubator:startup_list", "incubator:index"], "", False),
    ("equipment catalogue", ["fablab:equipment_list", "fablab:catalogue", "fablab:index"], "", False),
    ("impact (cached)", ["impact:index"], "", False),
    ("impact (computed)", ["impact:index"], "", True),
    ("search", ["search"], "q=texnopark", False),
]


def _percentile(values, fraction):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


class Command(BaseCommand):
    help = "Time the key pages (median and p95 ms, queries per request, memory). Measures only."

    def add_arguments(self, parser):
        parser.add_argument("-n", "--requests", type=int, default=30, help="Measured requests per page.")
        parser.add_argument("--warmup", type=int, default=3, help="Unmeasured requests per page first.")
        parser.add_argument("--language", default="uz", choices=[code for code, _name in settings.LANGUAGES])

    def _url(self, names, query, language):
        with translation.override(language):
            for name in names:
                try:
                    url = reverse(name)
                except NoReverseMatch:
                    continue
                return f"{url}?{query}" if query else url
        return None

    def handle(self, *args, requests, warmup, language, **options):
        from django.contrib.staticfiles.storage import staticfiles_storage

        try:
            staticfiles_storage.url("css/site.css")
        except ValueError:  # no collectstatic manifest: measure with plain static URLs instead
            self.stdout.write("(no static manifest: using plain static storage; run collectstatic to avoid this)")
            storages = {
                **settings.STORAGES,
                "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
            }
            with override_settings(STORAGES=storages):
                return self._run(requests, warmup, language)
        return self._run(requests, warmup, language)

    def _run(self, requests, warmup, language):
        client = Client(HTTP_HOST=(settings.ALLOWED_HOSTS or ["testserver"])[0].lstrip(".") or "testserver")
        secure = not settings.DEBUG and getattr(settings, "SECURE_SSL_REDIRECT", False)
        rows = []
        for label, names, query, cold in PAGES:
            url = self._url(names, query, language)
            if url is None:
                rows.append((label, "-", None))
                continue
            for _ in range(warmup):
                client.get(url, secure=secure)
            times, queries, status = [], [], None
            for _ in range(requests):
                if cold:
                    cache.clear()
                reset_queries()
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    response = client.get(url, secure=secure)
                    times.append((time.perf_counter() - started) * 1000)
                queries.append(len(captured))
                status = response.status_code
            # Memory in a separate request: tracing allocations slows Python down several times.
            if cold:
                cache.clear()
            tracemalloc.start()
            client.get(url, secure=secure)
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            rows.append(
                (
                    label,
                    url,
                    {
                        "status": status,
                        "median": statistics.median(times),
                        "p95": _percentile(times, 0.95),
                        "queries": statistics.median(queries),
                        "peak_kib": peak / 1024,
                    },
                )
            )
        rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB

        header = (
            f"{'page':<20} {'url':<28} {'status':>6} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'peak KiB':>9}"
        )
        self.stdout.write(f"{requests} requests per page after {warmup} warm-up, language {language}")
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for label, url, r in rows:
            if r is None:
                self.stdout.write(f"{label:<20} {'(no such page yet)':<28}")
                continue
            self.stdout.write(
                f"{label:<20} {url[:28]:<28} {r['status']:>6} {r['median']:>10.1f} {r['p95']:>8.1f} "
                f"{r['queries']:>8.0f} {r['peak_kib']:>9.0f}"
            )
        self.stdout.write(f"peak RSS of this process: {rss_mib:.0f} MiB")

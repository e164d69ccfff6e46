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
from django.urls import reverse
from django.utils import translation

# (label, URL name, query string). Each page is measured twice: "computed" clears the cache
# before every request (the page is rendered and every figure recomputed), "cached" is what
# the next anonymous visitor gets (technopark/page_cache.py).
PAGES = [
    ("healthz", "healthz", ""),
    ("home", "home", ""),
    ("news list", "news_list", ""),
    ("programme list", "programs:index", ""),
    ("masterclasses", "programs:future", ""),
    ("portfolio", "incubator:portfolio", ""),
    ("equipment catalogue", "fablab:index", ""),
    ("solutions gallery", "fablab:solution_list", ""),
    ("impact", "impact:index", ""),
    ("search", "search", "q=texnopark"),
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

    def _url(self, name, query, language):
        with translation.override(language):
            url = reverse(name)
        return f"{url}?{query}" if query else url

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

    def _measure(self, client, url, secure, requests, warmup, cold):
        for _ in range(warmup):
            if cold:
                cache.clear()
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
        return {
            "status": status,
            "median": statistics.median(times),
            "p95": _percentile(times, 0.95),
            "queries": statistics.median(queries),
        }

    def _run(self, requests, warmup, language):
        client = Client(HTTP_HOST=(settings.ALLOWED_HOSTS or ["testserver"])[0].lstrip(".") or "testserver")
        secure = not settings.DEBUG and getattr(settings, "SECURE_SSL_REDIRECT", False)
        rows = []
        for label, name, query in PAGES:
            url = self._url(name, query, language)
            computed = self._measure(client, url, secure, requests, warmup, cold=True)
            cached = self._measure(client, url, secure, requests, warmup, cold=False)
            # Memory in a separate, uncached request: tracing allocations slows Python down.
            cache.clear()
            tracemalloc.start()
            client.get(url, secure=secure)
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            rows.append((label, url, computed, cached, peak / 1024))
        rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB

        header = (
            f"{'page':<20} {'url':<24} {'status':>6} {'computed ms (median/p95)':>25} {'queries':>8} "
            f"{'cached ms (median/p95)':>23} {'queries':>8} {'peak KiB':>9}"
        )
        self.stdout.write(f"{requests} requests per page and mode after {warmup} warm-up, language {language}")
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for label, url, computed, cached, peak_kib in rows:
            self.stdout.write(
                f"{label:<20} {url[:24]:<24} {computed['status']:>6} "
                f"{computed['median']:>15.1f} / {computed['p95']:>7.1f} {computed['queries']:>8.0f} "
                f"{cached['median']:>13.1f} / {cached['p95']:>7.1f} {cached['queries']:>8.0f} {peak_kib:>9.0f}"
            )
        self.stdout.write(f"peak RSS of this process: {rss_mib:.0f} MiB")

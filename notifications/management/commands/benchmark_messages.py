"""``manage.py benchmark_messages`` (part of ``make bench``): what messages cost.

1. A bulk decision on the InnoX ranking page for 10 and for 150 applications: the request's queries
   and time (it writes one task, whatever the count), then the worker's time to apply the decisions
   and write the messages. Inside a transaction that is rolled back: the demo data stays as it was.
2. The worker's throughput: N messages sent by 1 and by 2 real ``db_worker`` processes to a real SMTP
   server (aiosmtpd) in this process. The benchmark's own rows are deleted afterwards.

It measures and prints; nothing asserts times. Run it after ``make seed``.
"""

import os
import socket
import subprocess
import sys
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import translation

from notifications import services
from notifications.models import Delivery, Notification
from notifications.worker import database_url, run_pending


class Rollback(Exception):
    pass


class _Counter:
    def __init__(self):
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        return "250 OK"


class Command(BaseCommand):
    help = "Measure a bulk decision on 10 and 150 applications, and the worker's messages per second."

    def add_arguments(self, parser):
        parser.add_argument("--messages", type=int, default=300, help="Messages for the throughput run.")

    def handle(self, *args, messages, **options):
        self.stdout.write("Bulk decision on the ranking page (request, then the worker):")
        self.stdout.write(f"  {'applications':>12} {'request queries':>16} {'request ms':>11} {'worker s':>9}")
        for count in (10, 150):
            self._bulk_decision(count)
        self.stdout.write("")
        self.stdout.write(f"Worker throughput ({messages} e-mails to a local SMTP server):")
        for workers in (1, 2):
            self._throughput(messages, workers)

    # --- 1. The bulk decision ----------------------------------------------------------------

    # The simulated manager signs in with force_login: with STAFF_REQUIRE_2FA (on in production)
    # every staff page would answer with the redirect to the second step, and nothing be decided.
    @override_settings(
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend", ALLOWED_HOSTS=["*"], STAFF_REQUIRE_2FA=False
    )
    def _bulk_decision(self, count: int) -> None:
        from incubator.models import Application
        from technopark.roles import INCUBATOR_MANAGER

        try:
            with transaction.atomic():
                applications = list(Application.objects.non_draft().order_by("id")[:count])
                if len(applications) < count:
                    raise CommandError(f"Needs {count} submitted applications: run `make seed` first.")
                season_ids = {a.season_id for a in applications}
                Application.objects.filter(pk__in=[a.pk for a in applications]).update(
                    status=Application.Status.UNDER_REVIEW
                )
                manager = get_user_model().objects.create_user(
                    email="benchmark.manager@example.invalid", full_name="Benchmark", is_staff=True
                )
                manager.groups.add(Group.objects.get(name=INCUBATOR_MANAGER))
                client = Client()
                client.force_login(manager)
                season = applications[0].season
                ids = [a.pk for a in applications if a.season_id == season.pk]
                with translation.override("en"):
                    url = f"/en/innox/manage/seasons/{season.number}/ranking/"
                client.get(url)
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    response = client.post(url, {"action": "rejected", "applications": ids}, secure=True)
                    request_ms = (time.perf_counter() - started) * 1000
                if response.status_code != 302 or response.url != url:
                    raise CommandError(f"The ranking page answered {response.status_code} {response.get('Location')}")
                started = time.perf_counter()
                run_pending(raise_on_failure=True)
                worker_s = time.perf_counter() - started
                decided = Application.objects.filter(pk__in=ids, status=Application.Status.REJECTED).count()
                note = (
                    f" (of {len(season_ids)} seasons: {len(ids)} in season {season.number})"
                    if len(ids) != count
                    else ""
                )
                self.stdout.write(
                    f"  {len(ids):>12} {len(queries):>16} {request_ms:>11.1f} {worker_s:>9.2f}"
                    f"   decided {decided}{note}"
                )
                raise Rollback
        except Rollback:
            pass

    # --- 2. The worker's throughput ----------------------------------------------------------

    def _throughput(self, messages: int, workers: int) -> None:
        from aiosmtpd.controller import Controller

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        counter = _Counter()
        smtp = Controller(counter, hostname="127.0.0.1", port=port)
        smtp.start()
        User = get_user_model()
        User.objects.filter(email="benchmark.person@example.invalid").delete()  # a run that was killed
        person = User.objects.create_user(email="benchmark.person@example.invalid", full_name="Benchmark Person")
        try:
            with transaction.atomic():
                for _ in range(messages):
                    services.notify(
                        person,
                        topic="account",
                        kind="benchmark",
                        template="notifications/messages/telegram_linked",
                        context={"person": person},
                    )
            env = {
                **os.environ,
                "DATABASE_URL": database_url(connection.settings_dict),
                "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "EMAIL_HOST": "127.0.0.1",
                "EMAIL_PORT": str(port),
                "EMAIL_USE_TLS": "0",
                "DJANGO_SECRET_KEY": settings.SECRET_KEY,
            }
            command = [
                sys.executable,
                "manage.py",
                "db_worker",
                "--batch",
                "--queue-name",
                "*",
                "--no-startup-delay",
                "--no-reload",
            ]
            started = time.perf_counter()
            processes = [
                subprocess.Popen(
                    command, cwd=settings.BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
                )
                for _ in range(workers)
            ]
            for process in processes:
                process.wait(timeout=600)
            elapsed = time.perf_counter() - started
            sent = Delivery.objects.filter(notification__recipient=person, status=Delivery.Status.SENT).count()
            self.stdout.write(
                f"  {workers} worker(s): {sent} sent, {counter.count} received by the SMTP server "
                f"in {elapsed:.1f} s = {sent / elapsed:.0f} messages/s (including the workers' start-up)"
            )
        finally:
            smtp.stop()
            Notification.objects.filter(recipient=person).delete()
            person.delete()

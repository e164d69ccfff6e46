"""The one scheduler: enqueues the registered periodic jobs on their cron.

Start it on as many machines as you like: it holds a PostgreSQL advisory lock, so only one of them
schedules at a time; the others wait and take over if it stops. The lock lives as long as the
database connection that took it: the holder checks it every few seconds and, when it has lost it
(PostgreSQL restarted, the connection was cut), stops scheduling and waits for the lock again, so a
standby that took over is never joined by a second scheduler.
"""

import contextlib
import time

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import DatabaseError, connection

from notifications import registry
from notifications.tasks import run_job

LOCK_KEY = 7_304_112_026  # any constant shared by every scheduler of this database


def enqueue(name: str) -> None:
    run_job.enqueue(name)


class Command(BaseCommand):
    help = "Run the scheduler of periodic jobs (reminders, outbox sweep, exchange rates, clean-ups)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Enqueue every job once and exit.")
        parser.add_argument("--wait", type=float, default=30.0, help="Seconds between tries to take the lock.")
        parser.add_argument("--check", type=float, default=10.0, help="Seconds between checks that it still holds it.")

    def handle(self, *args, once=False, wait=30.0, check=10.0, **options):
        if once:
            for name in registry.JOBS:
                enqueue(name)
            self.stdout.write(f"Enqueued {len(registry.JOBS)} jobs.")
            return
        with contextlib.suppress(KeyboardInterrupt, SystemExit):
            while True:
                while not self._take_lock():
                    self.stdout.write("Another scheduler holds the lock; waiting.")
                    time.sleep(wait)
                self._schedule_while_locked(check)
                self.stdout.write("Lost the scheduler lock (the database connection ended); waiting to take it again.")

    def _schedule_while_locked(self, check: float) -> None:
        """Enqueue the jobs on their cron (in the scheduler's threads) while this thread's connection
        still holds the lock."""
        scheduler = BackgroundScheduler(timezone=settings.TIME_ZONE)
        for job in registry.JOBS.values():
            scheduler.add_job(enqueue, CronTrigger(**job.cron), args=[job.name], id=job.name, coalesce=True)
        scheduler.start()
        self.stdout.write(f"Scheduler running {len(registry.JOBS)} jobs: {', '.join(sorted(registry.JOBS))}")
        try:
            while self._holds_lock():
                time.sleep(check)
        finally:
            scheduler.shutdown(wait=False)

    def _take_lock(self) -> bool:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY])
                return bool(cursor.fetchone()[0])
        except DatabaseError:
            connection.close()  # a dead connection (PostgreSQL restarted): a new one next time
            return False

    def _holds_lock(self) -> bool:
        try:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted"
                    " AND pid = pg_backend_pid() AND (classid::bigint << 32) + objid::bigint = %s)",
                    [LOCK_KEY],
                )
                return bool(cursor.fetchone()[0])
        except DatabaseError:
            connection.close()
            return False

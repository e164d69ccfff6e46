"""The one scheduler: enqueues the registered periodic jobs on their cron.

Start it on as many machines as you like: it holds a PostgreSQL advisory lock, so only one of them
schedules at a time; the others wait and take over if it stops.
"""

import contextlib
import time

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection

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

    def handle(self, *args, once=False, wait=30.0, **options):
        if once:
            for name in registry.JOBS:
                enqueue(name)
            self.stdout.write(f"Enqueued {len(registry.JOBS)} jobs.")
            return
        while not self._take_lock():
            self.stdout.write("Another scheduler holds the lock; waiting.")
            time.sleep(wait)
            connection.close()
        scheduler = BlockingScheduler(timezone=settings.TIME_ZONE)
        for job in registry.JOBS.values():
            scheduler.add_job(enqueue, CronTrigger(**job.cron), args=[job.name], id=job.name, coalesce=True)
        self.stdout.write(f"Scheduler running {len(registry.JOBS)} jobs: {', '.join(sorted(registry.JOBS))}")
        with contextlib.suppress(KeyboardInterrupt, SystemExit):
            scheduler.start()

    def _take_lock(self) -> bool:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY])
            return bool(cursor.fetchone()[0])

"""Run queued tasks in this process, as ``manage.py db_worker --batch`` does (tests, benchmarks)."""

from django.db import transaction
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult


def run_pending(*, raise_on_failure: bool = True, worker_id: str = "in-process") -> int:
    """Run every due task; returns how many ran. A task that raised fails loudly unless told not to."""
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
    ran = 0
    while True:
        with transaction.atomic():
            result = DBTaskResult.objects.ready().get_locked()
            if result is None:
                break
            result.claim(worker.worker_id)
        worker.run_task(result)
        ran += 1
        if raise_on_failure:
            result.refresh_from_db()
            if result.status == "FAILED":
                raise RuntimeError(f"Task {result.task_path} failed:\n{result.traceback}")
    return ran

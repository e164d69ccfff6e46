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


def database_url(settings_dict: dict) -> str:
    """A DATABASE_URL for a worker process on the same database as this connection (TCP or socket)."""
    from urllib.parse import quote

    host = settings_dict.get("HOST") or ""
    user = quote(settings_dict.get("USER") or "postgres")
    password = f":{quote(settings_dict['PASSWORD'])}" if settings_dict.get("PASSWORD") else ""
    if host.startswith("/"):
        return f"postgres://{user}{password}@/{settings_dict['NAME']}?host={quote(host)}"
    return f"postgres://{user}{password}@{host}:{settings_dict.get('PORT') or 5432}/{settings_dict['NAME']}"

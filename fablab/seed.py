"""Demo data of this app; called by ``manage.py seed_demo``. Idempotent."""


def run(*, stdout, scale: int = 1):
    pass

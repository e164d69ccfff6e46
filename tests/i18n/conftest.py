import io

import pytest
from django.core.management import call_command
from django.db import transaction


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    """The demo data set (seed_demo), loaded once for the module inside a transaction that is
    rolled back afterwards; each test runs in a savepoint within it."""
    from technopark.roles import ensure_roles

    with django_db_blocker.unblock(), transaction.atomic():
        ensure_roles()  # a transactional test before this module emptied the tables, groups included
        call_command("seed_demo", "--no-progress", stdout=io.StringIO(), stderr=io.StringIO())
        yield
        transaction.set_rollback(True)

import os

import pytest

# Playwright's sync API runs an event loop in the test thread; Django must still allow
# database access from it in browser tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium", "args": CHROMIUM_ARGS}


@pytest.fixture
def districts(db):
    from technopark.seed import seed_districts

    seed_districts()
    from technopark.models import District

    return list(District.objects.order_by("order"))


@pytest.fixture
def user(db):
    from tests.factories import UserFactory

    return UserFactory()


@pytest.fixture
def other_user(db):
    from tests.factories import UserFactory

    return UserFactory()


def make_staff(role):
    from django.contrib.auth.models import Group

    from tests.factories import UserFactory

    staff = UserFactory(is_staff=True)
    staff.groups.add(Group.objects.get(name=role))
    return staff


@pytest.fixture(autouse=True)
def _staff_roles(request):
    """Transactional and browser tests empty the database when they end, including the
    staff groups that migrations create: give every database test those roles again."""
    uses_db = request.node.get_closest_marker("django_db") is not None or bool(
        {"db", "transactional_db", "live_server"} & set(request.fixturenames)
    )
    if uses_db:
        request.getfixturevalue("_django_db_helper")
        from technopark.roles import ensure_roles

        ensure_roles()
    yield

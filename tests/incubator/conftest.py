import pytest
from django.contrib.auth.models import Group, Permission

from technopark.roles import INCUBATOR_MANAGER, REVIEWER
from tests.factories import UserFactory


def _role(name):
    """The role as the roles migration grants it (again: a transactional test may have flushed it)."""
    group, _ = Group.objects.get_or_create(name=name)
    if name == INCUBATOR_MANAGER:
        group.permissions.add(*Permission.objects.filter(content_type__app_label="incubator"))
    else:
        group.permissions.add(
            Permission.objects.get(content_type__app_label="incubator", codename="review_application")
        )
    return group


def _staff(role):
    staff = UserFactory(is_staff=True)
    staff.groups.add(_role(role))
    return staff


@pytest.fixture
def manager(db):
    return _staff(INCUBATOR_MANAGER)


@pytest.fixture
def reviewer(db):
    return _staff(REVIEWER)


@pytest.fixture
def reviewer2(db):
    return _staff(REVIEWER)


@pytest.fixture
def season(db):
    from .factories import SeasonFactory

    return SeasonFactory()


@pytest.fixture(autouse=True)
def _english():
    """Service messages are asserted in English; e-mails switch to the recipient's language."""
    from django.utils import translation

    with translation.override("en"):
        yield

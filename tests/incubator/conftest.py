import pytest

from technopark.roles import INCUBATOR_MANAGER, REVIEWER
from tests.conftest import make_staff


@pytest.fixture
def manager(db):
    return make_staff(INCUBATOR_MANAGER)


@pytest.fixture
def reviewer(db):
    return make_staff(REVIEWER)


@pytest.fixture
def reviewer2(db):
    return make_staff(REVIEWER)


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

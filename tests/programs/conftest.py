import pytest

from technopark.roles import EDITOR, FABLAB_MANAGER, INCUBATOR_MANAGER, PROGRAMME_COORDINATOR
from tests.conftest import make_staff

from .factories import IntakeFactory


@pytest.fixture
def coordinator(db):
    return make_staff(PROGRAMME_COORDINATOR)


@pytest.fixture(params=[INCUBATOR_MANAGER, FABLAB_MANAGER, EDITOR])
def other_staff(request, db):
    return make_staff(request.param)


@pytest.fixture
def intake(db):
    return IntakeFactory()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language (a request under /en/ leaves English active)."""
    from django.utils import translation

    translation.activate("uz")
    yield
    translation.activate("uz")

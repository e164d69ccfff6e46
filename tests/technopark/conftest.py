import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in Uzbek: a request to /ru/... leaves its language active in the thread,
    which would otherwise make the next test's reverse() build /ru/ URLs."""
    translation.activate("uz")
    yield
    translation.deactivate()

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in Uzbek: a request to /ru/... leaves its language active in the thread,
    which would otherwise make the next test's reverse() build /ru/ URLs."""
    translation.activate("uz")
    yield
    translation.deactivate()


SIGNUP_PASSWORD = "Andijan-Robot-2025"


@pytest.fixture
def signup_data(districts):
    """A valid sign-up form (Laylo, 2008, Russian as her language)."""
    return {
        "full_name": "Laylo Karimova",
        "email": "laylo.karimova@example.uz",
        "password1": SIGNUP_PASSWORD,
        "password2": SIGNUP_PASSWORD,
        "phone": "+998901112233",
        "birth_date": "2008-04-12",
        "gender": "female",
        "district": str(districts[3].pk),
        "organisation": "Asaka 12-maktab",
        "preferred_language": "ru",
    }

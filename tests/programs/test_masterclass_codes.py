"""Masterclass codes (issue 12, item 6): a school receives a code per masterclass; its students
type it on "I was at a masterclass" and their account is linked to that masterclass and school,
which the path figures then follow."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from impact.path import path_figures
from programs import services
from programs.models import MasterclassAttendance, MasterclassStudent
from tests.factories import UserFactory

from .factories import MasterclassAttendanceFactory

pytestmark = pytest.mark.django_db


def url_en(name, *args):
    with translation.override("en"):
        return reverse(name, args=args)


@pytest.fixture
def attendance():
    return MasterclassAttendanceFactory(
        code="K7M3Q9XP", headcount=30, masterclass__title_en="Web design", masterclass__date=datetime.date(2026, 3, 14)
    )


def test_every_school_gets_its_own_code(attendance):
    other = MasterclassAttendanceFactory(masterclass=attendance.masterclass)
    assert len(other.code) == 8 and other.code != attendance.code
    assert MasterclassAttendance.objects.filter(code__in=[attendance.code, other.code]).count() == 2


def test_the_code_is_tolerant_of_case_spaces_and_dashes(user, attendance):
    link = services.masterclass_register(user=user, code=" k7m3-q9xp ")
    assert (link.user, link.attendance) == (user, attendance)


@pytest.mark.parametrize("code", ["", "   ", "ZZZZZZZZ", "K7M3Q9X", "\u0000"])
def test_an_unknown_code_is_refused_and_links_nothing(user, attendance, code):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.masterclass_register(user=user, code=code)
    assert error.value.code == "unknown"
    with translation.override("en"):
        assert error.value.messages == ["No masterclass has this code. Check it with your school."]
    assert not MasterclassStudent.objects.exists()


def test_the_same_code_twice_is_refused(user, attendance):
    services.masterclass_register(user=user, code=attendance.code)
    with translation.override("ru"), pytest.raises(ValidationError) as error:
        services.masterclass_register(user=user, code=attendance.code.lower())
    assert error.value.code == "duplicate"
    with translation.override("ru"):
        assert error.value.messages[0] != "Your account is already linked to this masterclass."  # translated
    assert MasterclassStudent.objects.filter(user=user).count() == 1


def test_the_page_links_the_account_and_lists_the_masterclass(client, user, attendance):
    client.force_login(user)
    url = url_en("programs:masterclass_register")
    response = client.post(url, {"code": "k7m3 q9xp"})
    assert response.status_code == 302 and response["Location"] == url_en("dashboard")
    link = MasterclassStudent.objects.get()
    assert (link.user, link.attendance) == (user, attendance)
    page = client.get(url).content.decode()
    assert 'data-testid="masterclass-links"' in page
    assert "Web design · 14.03.2026 · " + attendance.school.name_en in page


def test_the_page_shows_a_wrong_code_in_words_and_saves_nothing(client, user, attendance):
    client.force_login(user)
    page = client.post(url_en("programs:masterclass_register"), {"code": "AAAAAAAA"})
    assert page.status_code == 200
    assert "No masterclass has this code. Check it with your school." in page.content.decode()
    assert not MasterclassStudent.objects.exists()
    # far too long: the form's own limit, no 500
    page = client.post(url_en("programs:masterclass_register"), {"code": "A" * 500})
    assert page.status_code == 200 and not MasterclassStudent.objects.exists()


def test_an_anonymous_visitor_is_asked_to_sign_up_or_log_in_keeping_the_code(client, user, attendance):
    url = url_en("programs:masterclass_register")
    page = client.get(url, {"code": "k7m3q9xp"}).content.decode()
    assert 'data-testid="masterclass-sign-in"' in page and 'data-testid="masterclass-code-form"' not in page
    # the school's link: after logging in the person lands on the form with the code filled in
    assert "next=/en/programmes/future/register/%3Fcode%3DK7M3Q9XP" in page
    assert client.post(url, {"code": attendance.code}).status_code == 200
    assert not MasterclassStudent.objects.exists()
    client.force_login(user)
    form = client.get(url, {"code": "K7M3Q9XP"}).content.decode()
    assert 'value="K7M3Q9XP"' in form


def test_my_technopark_offers_the_code_page(client, user):
    client.force_login(user)
    page = client.get(url_en("dashboard")).content.decode()
    assert f'href="{url_en("programs:masterclass_register")}"' in page


def test_a_linked_account_counts_on_the_path(user, attendance):
    services.masterclass_register(user=user, code=attendance.code)
    UserFactory()  # registered on the site but not with a code: not on the path
    counts = {s["key"]: s["count"] for s in path_figures()["stages"]}
    assert (counts["students"], counts["registered"]) == (30, 1)

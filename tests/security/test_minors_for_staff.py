"""Staff see who is under 16 in their own work: a coordinator in the enrolments, a FabLab manager in
the bookings, each with the parent's or guardian's name and phone given at sign-up; nobody else's,
and the user admin stays closed to them."""

import datetime

import pytest
from django.utils import timezone, translation

from technopark.roles import FABLAB_MANAGER, PROGRAMME_COORDINATOR
from tests.conftest import make_staff
from tests.fablab.factories import BookingFactory
from tests.factories import UserFactory
from tests.programs.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db


def years_ago(years):
    today = timezone.localdate()
    return today.replace(year=today.year - years) + datetime.timedelta(days=1)  # a day short of the birthday


@pytest.fixture
def child():
    return UserFactory(
        full_name="Kichik Ali",
        birth_date=years_ago(13),
        guardian_name="Ali Valiyev",
        guardian_phone="+998905556677",
        guardian_consent_at=timezone.now(),
    )


@pytest.fixture
def adult():
    return UserFactory(full_name="Katta Vali", birth_date=years_ago(16) - datetime.timedelta(days=2))


def under_16_column(response):
    """{person's name: the "under 16" column} of an admin change list."""
    changelist = response.context["cl"]
    return {row.user.full_name: changelist.model_admin.under_16(row) for row in changelist.result_list}


@pytest.mark.parametrize(
    ("role", "make", "admin_path"),
    [
        (PROGRAMME_COORDINATOR, lambda person: EnrolmentFactory(user=person), "programs/enrolment"),
        (FABLAB_MANAGER, lambda person: BookingFactory(user=person), "fablab/booking"),
    ],
)
def test_staff_see_who_is_under_16_in_their_own_work(client, child, adult, role, make, admin_path):
    of_child, of_adult = make(child), make(adult)
    client.force_login(make_staff(role))
    with translation.override("uz"):
        listing = client.get(f"/admin/{admin_path}/")
        assert under_16_column(listing) == {"Kichik Ali": True, "Katta Vali": False}
        assert "16 yoshgacha" in listing.content.decode()  # the column's title, in Uzbek
        page = client.get(f"/admin/{admin_path}/{of_child.pk}/change/").content.decode()
        assert "Ali Valiyev, +998905556677" in page
        page = client.get(f"/admin/{admin_path}/{of_adult.pk}/change/").content.decode()
        assert "Ali Valiyev" not in page
    # ...and the people themselves stay with the people administrator.
    assert client.get(f"/admin/technopark/user/{child.pk}/change/").status_code == 403


def test_a_child_who_signed_up_before_the_guardian_rule_is_still_marked(client):
    enrolment = EnrolmentFactory(user=UserFactory(birth_date=years_ago(12), guardian_name="", guardian_phone=""))
    client.force_login(make_staff(PROGRAMME_COORDINATOR))
    with translation.override("ru"):
        page = client.get(f"/ru/admin/programs/enrolment/{enrolment.pk}/change/").content.decode()
    assert "не указаны" in page

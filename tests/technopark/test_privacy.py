"""A person's own data: the download has everything about them and nothing about others; deletion
anonymises the account, cancels what is still open and keeps the records the technopark must keep.
People under 16 sign up with a parent's or guardian's name, phone and consent."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from fablab.models import Booking
from incubator.models import Application
from notifications.models import Notification
from programs.models import Certificate, Enrolment
from technopark.models import User
from tests.fablab.factories import BookingFactory
from tests.factories import PASSWORD, UserFactory
from tests.incubator.factories import ApplicationFactory
from tests.programs.factories import CertificateFactory, EnrolmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    return UserFactory(full_name="Madina Qodirova", email="madina@example.uz", phone="+998901112299")


def test_the_download_has_my_records_and_nobody_elses(client, person):
    other = UserFactory(full_name="Someone Else")
    mine = EnrolmentFactory(user=person)
    EnrolmentFactory(user=other)
    booking = BookingFactory(user=person)
    draft = ApplicationFactory(applicant=person, pitch_deck="")
    Notification.objects.create(recipient=person, topic="account", kind="x", language="uz", subject="Salom", text="t")
    client.force_login(person)
    response = client.get(reverse("my_data_export"))
    assert response["Content-Disposition"] == 'attachment; filename="my-technopark-data.json"'
    assert response["Cache-Control"] == "no-store"
    data = json.loads(response.content)
    assert data["account"]["email"] == "madina@example.uz"
    assert data["account"]["phone"] == "+998901112299"
    assert "password" not in data["account"]
    records = data["records"]
    assert [row["id"] for row in records["programs.enrolment"]["user"]] == [mine.pk]
    assert [row["id"] for row in records["fablab.booking"]["user"]] == [booking.pk]
    assert [row["id"] for row in records["incubator.application"]["applicant"]] == [draft.pk]
    assert records["notifications.notification"]["recipient"][0]["subject"] == "Salom"
    assert "Someone Else" not in response.content.decode()


def test_the_download_needs_a_login(client):
    response = client.get(reverse("my_data_export"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_wrong_password_deletes_nothing(client, person):
    client.force_login(person)
    with translation.override("en"):
        response = client.post(reverse("my_data"), {"password": "not-my-password", "confirm": "on"})
    assert "The password is not correct." in response.content.decode()
    person.refresh_from_db()
    assert person.anonymised_at is None and person.is_active


def test_deletion_anonymises_cancels_what_is_open_and_keeps_what_must_be_kept(client, person):
    open_enrolment = EnrolmentFactory(user=person)
    certificate = CertificateFactory(enrolment__user=person)
    future = BookingFactory(user=person)
    draft = ApplicationFactory(applicant=person, pitch_deck="")
    submitted = ApplicationFactory(applicant=person, status=Application.Status.SUBMITTED, pitch_deck="")
    client.force_login(person)
    response = client.post(reverse("my_data"), {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302

    person.refresh_from_db()
    assert person.anonymised_at is not None
    assert not person.is_active and not person.has_usable_password()
    assert (person.full_name, person.phone, person.organisation) == ("", "", "")
    assert person.email.endswith("@deleted.invalid")
    assert person.birth_date == datetime.date(2007, 1, 1)  # the year stays for the age figures
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(email="madina@example.uz").exists()

    open_enrolment.refresh_from_db()
    assert open_enrolment.status == Enrolment.Status.DROPPED
    assert Certificate.objects.filter(pk=certificate.pk).exists()  # issued certificates are kept
    assert Booking.objects.get(pk=future.pk).status == Booking.Status.CANCELLED
    assert not Application.objects.filter(pk=draft.pk).exists()
    assert Application.objects.get(pk=submitted.pk).status == Application.Status.WITHDRAWN
    assert Notification.objects.filter(recipient=person).count() == 0

    # The address is free again, and the old password does not log in.
    assert client.post(reverse("login"), {"username": "madina@example.uz", "password": PASSWORD}).status_code == 200


def signup_data(districts, born):
    return {
        "full_name": "Bobur Aliyev",
        "email": "bobur@example.uz",
        "password1": "Asaka-Robotics-2025",
        "password2": "Asaka-Robotics-2025",
        "phone": "+998901112233",
        "birth_date": born.isoformat(),
        "gender": "male",
        "district": str(districts[0].pk),
        "organisation": "Asaka 12-maktab",
        "preferred_language": "uz",
    }


def test_under_16_needs_a_guardian_and_consent(client, districts):
    born = timezone.localdate().replace(year=timezone.localdate().year - 13)
    with translation.override("en"):
        response = client.post(reverse("signup"), signup_data(districts, born))
    content = response.content.decode()
    assert content.count("People under 16 need a parent or guardian: fill this in.") == 2
    assert "People under 16 need their parent&#x27;s or guardian&#x27;s consent." in content
    assert not User.objects.exists()

    data = {
        **signup_data(districts, born),
        "guardian_name": "Aliyev Akmal",
        "guardian_phone": "+998 90 555 66 77",
        "guardian_consent": "on",
    }
    assert client.post(reverse("signup"), data).status_code == 302
    user = User.objects.get()
    assert (user.guardian_name, user.guardian_phone) == ("Aliyev Akmal", "+998905556677")
    assert user.guardian_consent_at is not None and user.is_minor


def test_16_and_older_need_no_guardian(client, districts):
    born = timezone.localdate().replace(year=timezone.localdate().year - 17)
    assert client.post(reverse("signup"), signup_data(districts, born)).status_code == 302
    assert User.objects.get().guardian_consent_at is None


def test_staff_see_who_is_under_16(admin_client):
    child = UserFactory(birth_date=timezone.localdate().replace(year=timezone.localdate().year - 12))
    adult = UserFactory(birth_date=datetime.date(1990, 1, 1))
    response = admin_client.get(reverse("admin:technopark_user_changelist") + "?minor=yes")
    shown = {u.pk for u in response.context["cl"].result_list}
    assert child.pk in shown and adult.pk not in shown


def test_deletion_ends_the_persons_sessions_also_in_the_cache(client, person, settings):
    """With Redis, sessions are cached_db: a copy lives in the cache. Deleting the account ends
    the person's other sessions (another browser) in the database and in the cache alike."""
    from importlib import import_module

    from django.contrib.sessions.models import Session
    from django.test import Client

    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    engine = import_module(settings.SESSION_ENGINE)
    other_browser = Client()
    other_browser.force_login(person)
    other_key = other_browser.session.session_key
    assert engine.SessionStore(session_key=other_key).get("_auth_user_id") == str(person.pk)
    bystander = UserFactory()
    bystander_browser = Client()
    bystander_browser.force_login(bystander)

    client.force_login(person)
    response = client.post(reverse("my_data"), {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302

    assert not Session.objects.filter(session_key=other_key).exists()
    assert engine.SessionStore(session_key=other_key).get("_auth_user_id") is None  # nor in the cache
    assert other_browser.get(reverse("dashboard")).status_code == 302  # sent to sign in
    assert bystander_browser.get(reverse("dashboard")).status_code == 200

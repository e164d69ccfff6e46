"""An account whose address is not confirmed may browse and fill drafts, but enrolling, submitting an
application and booking are refused through the pages in the person's language, and nothing is saved.
Once the address is confirmed the same request goes through (so the refusal is the confirmation rule,
not some other one)."""

import datetime
import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from fablab.models import Booking, OpeningException
from incubator.models import Application
from programs.models import Enrolment
from tests.fablab.conftest import set_week_hours
from tests.fablab.factories import EquipmentFactory
from tests.factories import UserFactory
from tests.incubator.factories import PDF_BYTES, SeasonFactory, application_form_data
from tests.programs.factories import IntakeFactory

pytestmark = pytest.mark.django_db

REFUSAL = {
    "uz": "Avval elektron pochta manzilingizni tasdiqlang",
    "ru": "Сначала подтвердите адрес электронной почты",
    "en": "Please confirm your e-mail address first",
}


@pytest.fixture
def unconfirmed(client):
    person = UserFactory(email_confirmed_at=None, birth_date=datetime.date(2006, 5, 1))
    client.force_login(person)
    return person


def confirm(person):
    person.email_confirmed_at = timezone.now()
    person.save(update_fields=["email_confirmed_at"])


def page_text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.mark.parametrize("language", ["uz", "ru", "en"])
def test_enrolling_needs_a_confirmed_address(client, unconfirmed, language):
    intake = IntakeFactory()
    with translation.override(language):
        url = reverse("programs:enrol", args=[intake.pk])
    response = client.post(url, follow=True)
    assert response.status_code == 200
    assert REFUSAL[language] in page_text(response)
    assert Enrolment.objects.count() == 0

    confirm(unconfirmed)
    client.post(url)
    assert Enrolment.objects.get().user == unconfirmed


def test_a_draft_is_saved_but_submitting_needs_a_confirmed_address(client, unconfirmed):
    SeasonFactory()
    deck = SimpleUploadedFile("deck.pdf", PDF_BYTES, content_type="application/pdf")
    response = client.post("/en/innox/apply/", application_form_data(pitch_deck=deck))
    assert response.status_code == 302
    application = Application.objects.get(applicant=unconfirmed)
    assert application.status == Application.Status.DRAFT

    response = client.post("/en/innox/apply/", application_form_data(action="submit"), follow=True)
    assert response.status_code == 200
    assert REFUSAL["en"] in page_text(response)
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT

    confirm(unconfirmed)
    client.post("/en/innox/apply/", application_form_data(action="submit"))
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


def test_booking_needs_a_confirmed_address(client, unconfirmed, settings):
    settings.FABLAB_MIN_LEAD_HOURS = 2
    set_week_hours({day: (9, 18) for day in range(7)})
    OpeningException.objects.all().delete()
    machine = EquipmentFactory()
    day = timezone.localdate() + datetime.timedelta(days=2)
    data = {"day": day.isoformat(), "start_time": "10:00", "end_time": "11:00", "purpose": "A bracket"}
    with translation.override("ru"):
        url = reverse("fablab:booking_create", kwargs={"slug": machine.slug})
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    assert REFUSAL["ru"] in page_text(response)
    assert Booking.objects.count() == 0

    confirm(unconfirmed)
    assert client.post(url, data).status_code == 302
    assert Booking.objects.get().status == Booking.Status.REQUESTED

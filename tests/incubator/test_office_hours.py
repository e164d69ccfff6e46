"""Mentors and office hours: mentors publish slots, founders of an active startup book them (one
booking per slot, even when two click at once), cancel up to a set time before, both get the
notice with an .ics file; the mentor's note after the session is for incubator staff only."""

import datetime
import threading

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connections
from django.utils import timezone
from icalendar import Calendar

from incubator import services
from incubator.models import OfficeHourBooking, OfficeHourSlot

from .accelerator import founder_of, mentor, running_startup
from .test_messages import PREFIX

pytestmark = pytest.mark.django_db


def slot_for(the_mentor, hours_ahead=48, minutes=60):
    start = timezone.now() + datetime.timedelta(hours=hours_ahead)
    return OfficeHourSlot.objects.create(
        mentor=the_mentor, start=start, end=start + datetime.timedelta(minutes=minutes), place="Room 204"
    )


def test_mentor_publishes_a_slot_and_overlaps_are_refused(client):
    m = mentor()
    client.force_login(m.user)
    start = (timezone.localtime() + datetime.timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
    response = client.post(
        "/en/innox/mentors/office-hours/",
        {"start": start.strftime("%Y-%m-%dT%H:%M"), "minutes": "60", "place": "Room 204"},
    )
    assert response.status_code == 302
    assert OfficeHourSlot.objects.get().start == start
    with pytest.raises(ValidationError, match="overlaps"):
        services.office_hours_publish(mentor=m, start=start + datetime.timedelta(minutes=30), minutes=60)
    with pytest.raises(ValidationError, match="in the future"):
        services.office_hours_publish(mentor=m, start=timezone.now() - datetime.timedelta(hours=1), minutes=60)


def test_a_person_who_is_not_a_mentor_gets_404_on_the_mentor_page(client, user):
    client.force_login(user)
    assert client.get("/en/innox/mentors/office-hours/").status_code == 404


@pytest.mark.parametrize("language", list(PREFIX))
def test_founder_books_and_both_get_the_notice_with_an_ics(client, tasks, language):
    startup = running_startup(name="Tokcha")
    founder = founder_of(startup, preferred_language=language, full_name="Dilnoza Karimova")
    m = mentor(preferred_language="ru", full_name="Rustam Aliev")
    slot = slot_for(m)
    client.force_login(founder)
    page = client.get("/en/innox/mentors/").content.decode()
    assert f'id="slot-{slot.pk}"' in page and "fintech" in page
    response = client.post(
        f"/en/innox/mentors/slots/{slot.pk}/book/", {"startup": startup.pk, "topic": "Pricing for schools"}
    )
    assert response.status_code == 302
    booking = OfficeHourBooking.objects.get()
    assert (booking.startup, booking.booked_by, booking.status) == (startup, founder, "booked")
    tasks()
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {founder.email, m.user.email}
    subjects = {
        "uz": "Maslahat soati band qilindi",
        "ru": "Консультация забронирована",
        "en": "Office hour booked",
    }
    assert by_address[founder.email].subject.startswith(subjects[language])
    assert by_address[m.user.email].subject.startswith(subjects["ru"])
    for email in by_address.values():
        [(name, content, mimetype)] = email.attachments
        assert name == "office-hour.ics" and mimetype.startswith("text/calendar")
        [event] = Calendar.from_ical(content).walk("VEVENT")
        assert event.decoded("dtstart") == slot.start.replace(microsecond=0) and str(event["location"]) == "Room 204"
    assert "Pricing for schools" in by_address[m.user.email].body


def test_only_founders_of_an_active_startup_book(user):
    startup = running_startup()
    slot = slot_for(mentor())
    with pytest.raises(ValidationError, match="Only the founders"):
        services.office_hour_book(slot=slot, startup=startup, user=user, topic="Hello")
    founder = founder_of(startup)
    startup.closed_on = timezone.localdate()
    startup.save()
    with pytest.raises(ValidationError, match="no longer active"):
        services.office_hour_book(slot=slot, startup=startup, user=founder, topic="Hello")


def test_an_inactive_mentors_slot_is_not_booked(client):
    startup = running_startup()
    founder = founder_of(startup)
    m = mentor()
    slot = slot_for(m)
    m.is_active = False
    m.save()
    client.force_login(founder)
    assert f'id="slot-{slot.pk}"' not in client.get("/en/innox/mentors/").content.decode()
    response = client.post(f"/en/innox/mentors/slots/{slot.pk}/book/", {"startup": startup.pk, "topic": "Sales"})
    assert response.status_code == 302
    assert not OfficeHourBooking.objects.exists()
    with pytest.raises(ValidationError, match="not taking bookings"):
        services.office_hour_book(slot=slot, startup=startup, user=founder, topic="Sales")


def test_a_second_booking_of_a_slot_is_refused_and_a_cancelled_slot_can_be_booked_again():
    a, b = running_startup(), running_startup()
    fa, fb = founder_of(a), founder_of(b)
    slot = slot_for(mentor(), hours_ahead=72)
    first = services.office_hour_book(slot=slot, startup=a, user=fa, topic="Sales")
    with pytest.raises(ValidationError, match="Someone has just booked this slot"):
        services.office_hour_book(slot=slot, startup=b, user=fb, topic="Hiring")
    services.office_hour_cancel(booking=first, user=fa)
    second = services.office_hour_book(slot=slot, startup=b, user=fb, topic="Hiring")
    assert OfficeHourBooking.objects.get(status="booked") == second


@pytest.mark.django_db(transaction=True)
def test_simultaneous_bookings_of_one_slot_make_exactly_one():
    from django.contrib.auth.models import Group  # noqa: F401 - the flushed database needs nothing else

    n = 6
    startups = [running_startup() for _ in range(n)]
    founders = [founder_of(s) for s in startups]
    slot = slot_for(mentor())
    barrier = threading.Barrier(n)
    results = [None] * n

    def book(i):
        try:
            barrier.wait()
            results[i] = services.office_hour_book(slot=slot, startup=startups[i], user=founders[i], topic="Go")
        except Exception as exc:  # noqa: BLE001 - checked below
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=book, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    booked = [r for r in results if isinstance(r, OfficeHourBooking)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(booked) == 1 and len(refused) == n - 1, results
    assert all("Someone has just booked this slot" in " ".join(r.messages) for r in refused)
    assert OfficeHourBooking.objects.filter(slot=slot).count() == 1


def test_cancellation_up_to_the_set_time_before(client, tasks):
    startup = running_startup()
    founder = founder_of(startup)
    m = mentor()
    late = services.office_hour_book(
        slot=slot_for(m, hours_ahead=services.CANCEL_HOURS_BEFORE - 1), startup=startup, user=founder, topic="A"
    )
    early = services.office_hour_book(
        slot=slot_for(m, hours_ahead=services.CANCEL_HOURS_BEFORE + 5), startup=startup, user=founder, topic="B"
    )
    with pytest.raises(ValidationError, match="up to 24 hours before"):
        services.office_hour_cancel(booking=late, user=founder)
    client.force_login(founder)
    page = client.get("/en/innox/mentors/my-bookings/").content.decode()
    assert f"/innox/mentors/bookings/{early.pk}/cancel/" in page
    assert f"/innox/mentors/bookings/{late.pk}/cancel/" not in page
    tasks()
    mail.outbox.clear()
    assert client.post(f"/en/innox/mentors/bookings/{early.pk}/cancel/").status_code == 302
    early.refresh_from_db()
    assert early.status == "cancelled"
    tasks()
    assert {m.to[0] for m in mail.outbox} == {founder.email, m.user.email}
    [event] = Calendar.from_ical(mail.outbox[0].attachments[0][1]).walk("VEVENT")
    assert str(event["status"]) == "CANCELLED"


def test_someone_elses_booking_answers_404(client, user):
    startup = running_startup()
    booking = services.office_hour_book(
        slot=slot_for(mentor()), startup=startup, user=founder_of(startup), topic="Sales"
    )
    client.force_login(user)
    assert client.post(f"/en/innox/mentors/bookings/{booking.pk}/cancel/").status_code == 404


def test_mentor_note_after_the_session_is_for_staff_only(client, manager, time_machine):
    startup = running_startup(slug="tokcha")
    founder = founder_of(startup)
    m = mentor()
    slot = slot_for(m, hours_ahead=30)
    booking = services.office_hour_book(slot=slot, startup=startup, user=founder, topic="Sales")
    with pytest.raises(ValidationError, match="after the session"):
        services.office_hour_note(booking=booking, user=m.user, note="Too early")
    client.force_login(m.user)
    time_machine.move_to(slot.start + datetime.timedelta(minutes=30))  # the session is on
    assert (
        f"/innox/mentors/bookings/{booking.pk}/note/"
        not in client.get("/en/innox/mentors/office-hours/").content.decode()
    )
    with pytest.raises(ValidationError, match="after the session"):
        services.office_hour_note(booking=booking, user=m.user, note="Still talking")
    time_machine.move_to(slot.end + datetime.timedelta(minutes=5))
    assert (
        f"/innox/mentors/bookings/{booking.pk}/note/" in client.get("/en/innox/mentors/office-hours/").content.decode()
    )
    client.post(f"/en/innox/mentors/bookings/{booking.pk}/note/", {"note": "Focus on B2B schools."})
    booking.refresh_from_db()
    assert booking.mentor_note == "Focus on B2B schools."
    with pytest.raises(ValidationError, match="Only the session's mentor"):
        services.office_hour_note(booking=booking, user=founder, note="Mine")
    # The founders never see it; the incubator staff do, in the admin.
    client.force_login(founder)
    for url in ("/en/innox/mentors/my-bookings/", "/en/innox/startups/tokcha/", "/en/innox/mentors/"):
        assert "Focus on B2B schools." not in client.get(url).content.decode()
    client.force_login(manager)
    page = client.get(f"/en/admin/incubator/officehourbooking/{booking.pk}/change/").content.decode()
    assert "Focus on B2B schools." in page


@pytest.mark.parametrize("minutes", [14, 241])
def test_a_slot_lasts_from_15_minutes_to_4_hours(minutes):
    m = mentor()
    start = timezone.now() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError, match="from 15 minutes to 4 hours"):
        services.office_hours_publish(mentor=m, start=start, minutes=minutes)
    services.office_hours_publish(mentor=m, start=start, minutes=15)
    services.office_hours_publish(mentor=m, start=start + datetime.timedelta(hours=1), minutes=240)
    assert OfficeHourSlot.objects.count() == 2


def test_an_inactive_mentor_publishes_nothing():
    m = mentor()
    m.is_active = False
    m.save()
    with pytest.raises(ValidationError, match="not active"):
        services.office_hours_publish(mentor=m, start=timezone.now() + datetime.timedelta(days=1), minutes=60)
    assert not OfficeHourSlot.objects.exists()


def test_booking_rules_a_topic_a_future_slot_not_ones_own():
    startup = running_startup()
    founder = founder_of(startup)
    m = mentor()
    with pytest.raises(ValidationError, match="Say briefly"):
        services.office_hour_book(slot=slot_for(m), startup=startup, user=founder, topic="   ")
    started = slot_for(m, hours_ahead=-0.5)
    with pytest.raises(ValidationError, match="already started"):
        services.office_hour_book(slot=started, startup=startup, user=founder, topic="Sales")
    own = mentor()  # a mentor who is also one of the startup's founders
    startup.founders.add(_participant_for(startup, own.user))
    with pytest.raises(ValidationError, match="own office hours"):
        services.office_hour_book(slot=slot_for(own), startup=startup, user=own.user, topic="Sales")
    assert not OfficeHourBooking.objects.exists()


def _participant_for(startup, person):
    from .factories import ParticipantFactory

    return ParticipantFactory(season=startup.season, user=person, name=person.full_name, email=person.email)


def test_a_cancelled_booking_is_not_cancelled_again_nor_noted(time_machine):
    startup = running_startup()
    founder = founder_of(startup)
    m = mentor()
    slot = slot_for(m, hours_ahead=72)
    booking = services.office_hour_book(slot=slot, startup=startup, user=founder, topic="Sales")
    services.office_hour_cancel(booking=booking, user=founder)
    with pytest.raises(ValidationError, match="already cancelled"):
        services.office_hour_cancel(booking=booking, user=founder)
    time_machine.move_to(slot.end + datetime.timedelta(minutes=1))
    with pytest.raises(ValidationError, match="booking was cancelled"):
        services.office_hour_note(booking=booking, user=m.user, note="Never happened")
    booking.refresh_from_db()
    assert booking.mentor_note == "" and booking.status == "cancelled"


def test_an_empty_note_is_refused(time_machine):
    startup = running_startup()
    m = mentor()
    slot = slot_for(m)
    booking = services.office_hour_book(slot=slot, startup=startup, user=founder_of(startup), topic="Sales")
    time_machine.move_to(slot.end + datetime.timedelta(minutes=1))
    with pytest.raises(ValidationError, match="Write a short note"):
        services.office_hour_note(booking=booking, user=m.user, note="  ")


def test_only_the_startups_founders_cancel(user):
    startup = running_startup()
    booking = services.office_hour_book(
        slot=slot_for(mentor(), hours_ahead=72), startup=startup, user=founder_of(startup), topic="Sales"
    )
    with pytest.raises(ValidationError, match="founders cancel"):
        services.office_hour_cancel(booking=booking, user=user)
    booking.refresh_from_db()
    assert booking.status == "booked"


# --- The admin obeys the same rules -------------------------------------------------------------


def _admin_slot_form(the_mentor, start, minutes=60):
    local = timezone.localtime(start)
    end = local + datetime.timedelta(minutes=minutes)
    return {
        "mentor": the_mentor.pk,
        "start_0": local.strftime("%Y-%m-%d"),
        "start_1": local.strftime("%H:%M:%S"),
        "end_0": end.strftime("%Y-%m-%d"),
        "end_1": end.strftime("%H:%M:%S"),
        "place": "Room 204",
    }


def test_the_admin_adds_slots_through_the_service(client, manager):
    m = mentor()
    client.force_login(manager)
    start = (timezone.localtime() + datetime.timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
    response = client.post("/en/admin/incubator/officehourslot/add/", _admin_slot_form(m, start))
    assert response.status_code == 302
    assert OfficeHourSlot.objects.get().start == start
    for when, minutes, problem in (
        (start + datetime.timedelta(minutes=30), 60, "overlaps one you have already published"),
        (timezone.localtime() - datetime.timedelta(hours=3), 60, "must start in the future"),
        (start + datetime.timedelta(days=1), 300, "from 15 minutes to 4 hours"),
    ):
        response = client.post("/en/admin/incubator/officehourslot/add/", _admin_slot_form(m, when, minutes))
        assert response.status_code == 200 and problem in response.content.decode()
    assert OfficeHourSlot.objects.count() == 1


def test_the_admin_neither_moves_a_slot_nor_deletes_a_booked_one(client, manager):
    startup = running_startup()
    m = mentor()
    booked, free = slot_for(m, hours_ahead=48), slot_for(m, hours_ahead=96)
    booking = services.office_hour_book(slot=booked, startup=startup, user=founder_of(startup), topic="Sales")
    client.force_login(manager)
    later = booked.start + datetime.timedelta(hours=5)
    response = client.post(f"/en/admin/incubator/officehourslot/{booked.pk}/change/", _admin_slot_form(m, later))
    assert response.status_code == 403
    assert client.post(f"/en/admin/incubator/officehourslot/{booked.pk}/delete/", {"post": "yes"}).status_code == 403
    assert (
        client.post(f"/en/admin/incubator/officehourbooking/{booking.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    # The delete action refuses a selection with a booked slot, and deletes a free one.
    for selection in ([booked.pk, free.pk], [free.pk]):
        client.post(
            "/en/admin/incubator/officehourslot/",
            {"action": "delete_selected", "_selected_action": selection, "post": "yes"},
        )
        assert OfficeHourSlot.objects.filter(pk=free.pk).exists() is (selection != [free.pk])
    assert list(OfficeHourSlot.objects.values_list("pk", flat=True)) == [booked.pk]
    booked.refresh_from_db()
    assert booked.start < later  # not moved
    assert OfficeHourBooking.objects.get().status == "booked"
    # A cancelled booking is history the staff may delete.
    services.office_hour_cancel(booking=booking, user=booking.booked_by)
    assert (
        client.post(f"/en/admin/incubator/officehourbooking/{booking.pk}/delete/", {"post": "yes"}).status_code == 302
    )
    assert not OfficeHourBooking.objects.exists()

"""Fault reports: only people with a valid clearance report (text and a private photo checked like
every upload); staff turn a report into a maintenance window in one step, which cancels the
bookings it overlaps and tells their people with the next free slot and a link to book it.
Also the loose ends: the no-show job in the scheduler and the suspension message."""

import datetime
import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from fablab import selectors, services
from fablab.models import Booking, BookingSuspension, FaultReport, MaintenanceWindow
from notifications import registry
from notifications.tasks import run_job
from tests.conftest import run_tasks
from tests.factories import UserFactory

from .conftest import set_week_hours
from .factories import BookingFactory, ClearanceFactory, EquipmentFactory, slot


def _png(name="fault.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (30, 20), "red").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def cleared(db, machine):
    person = UserFactory(full_name="Aziza Abdullayeva")
    ClearanceFactory(user=person, category=machine.category)
    return person


def _aware(days, hour):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


# --- Reporting ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_cleared_person_reports_with_a_photo_that_only_staff_and_they_can_open(
    client, machine, cleared, manager, other_user
):
    client.force_login(cleared)
    url = reverse("fablab:fault_report", kwargs={"slug": machine.slug})
    assert client.get(url).status_code == 200
    response = client.post(url, {"text": "The nozzle is clogged", "photo": _png()}, follow=True)
    assert "the FabLab staff have your report" in response.content.decode()
    report = FaultReport.objects.get()
    assert (report.equipment, report.reported_by, report.status) == (machine, cleared, "open")
    photo_url = report.photo.url
    assert photo_url.startswith("/files/") or "/files/" in photo_url  # the private door, not MEDIA_URL
    assert "fault.png" not in report.photo.name  # renamed when re-encoded

    assert client.get(photo_url).status_code == 200  # the reporter
    client.force_login(other_user)
    assert client.get(photo_url).status_code == 404
    client.force_login(manager)
    assert client.get(photo_url).status_code == 200
    page = client.get(reverse("fablab:staff_faults")).content.decode()
    assert "The nozzle is clogged" in page and 'data-testid="fault-photo"' in page


@pytest.mark.django_db
def test_without_a_valid_clearance_reporting_is_refused_and_a_fake_picture_too(client, machine, user, cleared):
    client.force_login(user)
    url = reverse("fablab:fault_report", kwargs={"slug": machine.slug})
    response = client.get(url)
    assert response.status_code == 403 and 'data-testid="fault-refused"' in response.content.decode()
    assert client.post(url, {"text": "Broken"}).status_code == 403
    ClearanceFactory(user=user, category=machine.category, expires_on=timezone.localdate() - datetime.timedelta(days=1))
    assert client.get(url).status_code == 403  # an expired clearance does not count

    client.force_login(cleared)
    fake = SimpleUploadedFile("fault.png", b"<?php echo 1; ?>", content_type="image/png")
    response = client.post(url, {"text": "Broken", "photo": fake})
    assert response.status_code == 200
    assert "not an image" in response.content.decode()
    response = client.post(url, {"text": "   "})
    assert response.status_code == 200
    assert FaultReport.objects.count() == 0


# --- Into maintenance ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_next_free_slot_follows_hours_and_blocks(machine, user):
    set_week_hours({d: (9, 12) for d in range(7)})
    day = 4
    BookingFactory(equipment=machine, user=user, start=_aware(day, 9), end=_aware(day, 11))
    assert selectors.next_free_slot(machine, datetime.timedelta(hours=1), _aware(day, 9)) == (
        _aware(day, 11),
        _aware(day, 12),
    )
    # Two hours do not fit between 11:00 and closing: the next day's opening.
    assert selectors.next_free_slot(machine, datetime.timedelta(hours=2), _aware(day, 9)) == (
        _aware(day + 1, 9),
        _aware(day + 1, 11),
    )
    set_week_hours({})
    assert selectors.next_free_slot(machine, datetime.timedelta(hours=1), _aware(day, 9)) is None


@pytest.mark.django_db
def test_staff_turn_a_report_into_maintenance_in_one_step_and_people_are_offered_the_next_slot(
    client, machine, cleared, manager, tasks
):
    person = UserFactory(full_name="Jasur Tursunov", preferred_language="en")
    day = 4
    booking = BookingFactory(
        equipment=machine, user=person, start=_aware(day, 10), end=_aware(day, 12), status=Booking.Status.CONFIRMED
    )
    untouched = BookingFactory(equipment=machine, user=person, start=_aware(day + 1, 9), end=_aware(day + 1, 10))
    report = services.fault_report_create(equipment=machine, user=cleared, text="The belt snapped")

    client.force_login(manager)
    prefix = f"r{report.pk}"
    response = client.post(
        reverse("fablab:staff_fault_handle", kwargs={"pk": report.pk}),
        {
            "action": "maintenance",
            f"{prefix}-start_day": _aware(day, 9).date().isoformat(),
            f"{prefix}-start_time": "09:00",
            f"{prefix}-end_day": _aware(day, 9).date().isoformat(),
            f"{prefix}-end_time": "14:00",
            f"{prefix}-reason": "",
        },
        follow=True,
    )
    assert "1 booking(s) in that time were cancelled" in response.content.decode()
    window = MaintenanceWindow.objects.get()
    assert (window.start, window.end) == (_aware(day, 9), _aware(day, 14))
    assert window.reason == "Fault report: The belt snapped"
    report.refresh_from_db()
    assert (report.status, report.maintenance, report.handled_by) == ("maintenance", window, manager)
    booking.refresh_from_db()
    untouched.refresh_from_db()
    assert (booking.status, untouched.status) == ("cancelled", "requested")
    assert 'data-testid="no-faults"' in response.content.decode()

    tasks()
    [message] = [m for m in mail.outbox if m.to == [person.email]]
    # The next free two hours from the booking's start: after the window, 14:00–16:00 that day.
    assert f"The next free time of the same length on this machine: {_aware(day, 14):%-d}" in message.body
    assert "14:00–16:00" in message.body
    query = f"?day={_aware(day, 14).date().isoformat()}&hour=14&hours=2"
    assert reverse("fablab:booking_create", kwargs={"slug": machine.slug}) + query in message.body
    # The link opens the form filled with that slot.
    client.force_login(person)
    form = client.get(reverse("fablab:booking_create", kwargs={"slug": machine.slug}) + query).content.decode()
    assert 'value="14:00"' in form and 'value="16:00"' in form


@pytest.mark.django_db
def test_a_clash_is_explained_and_the_report_stays_open_and_a_handled_report_cannot_be_handled_again(
    client, machine, cleared, manager
):
    report = services.fault_report_create(equipment=machine, user=cleared, text="Smoke")
    client.force_login(manager)
    url = reverse("fablab:staff_fault_handle", kwargs={"pk": report.pk})
    prefix = f"r{report.pk}"
    day = _aware(3, 9).date().isoformat()
    data = {"action": "maintenance", f"{prefix}-start_day": day, f"{prefix}-start_time": "12:00"}
    data |= {f"{prefix}-end_day": day, f"{prefix}-end_time": "10:00"}
    response = client.post(url, data, follow=True)
    assert "The end must be after the start." in response.content.decode()
    assert FaultReport.objects.get().status == "open"
    client.post(url, {"action": "dismiss"})
    assert FaultReport.objects.get().status == "dismissed"
    response = client.post(url, {"action": "dismiss"}, follow=True)
    assert "already been handled" in response.content.decode()
    assert client.post(url, {"action": "explode"}).status_code == 404
    client.force_login(cleared)
    assert client.post(url, {"action": "dismiss"}).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 10])
def test_staff_fault_page_query_count_is_fixed(client, django_assert_num_queries, manager, count):
    for _ in range(count):
        machine = EquipmentFactory()
        person = UserFactory()
        ClearanceFactory(user=person, category=machine.category)
        services.fault_report_create(equipment=machine, user=person, text="Broken", photo=_png())
    client.force_login(manager)
    url = reverse("fablab:staff_faults")
    client.get(url)
    with django_assert_num_queries(8):  # 7, and the personal-data access record (reporters' names)
        page = client.get(url).content.decode()
    assert page.count('data-testid="fault-report"') == count


# --- Loose ends ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_no_show_job_runs_every_five_minutes_through_the_worker(machine, user):
    job = registry.JOBS["fablab.mark_no_shows"]
    assert (job.func, job.cron) == ("fablab.jobs.mark_no_shows", {"minute": "*/5"})
    booking = BookingFactory(equipment=machine, user=user, start=slot(days=-1)[0], status=Booking.Status.CONFIRMED)
    run_job.enqueue("fablab.mark_no_shows")  # as the scheduler does
    run_tasks()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.NO_SHOW


@pytest.mark.django_db
def test_a_suspension_tells_the_person_once(settings, machine, tasks):
    settings.FABLAB_NO_SHOW_LIMIT = 2
    person = UserFactory(preferred_language="en")
    for hour in (9, 11):
        BookingFactory(
            equipment=machine,
            user=person,
            start=slot(days=-1, hour=hour)[0],
            status=Booking.Status.CONFIRMED,
        )
    assert services.mark_no_shows() == 2
    suspension = BookingSuspension.objects.get()
    tasks()
    [message] = [m for m in mail.outbox if m.to == [person.email]]
    assert message.subject == f"FabLab self-booking suspended until {timezone.localtime(suspension.ends_at):%d.%m.%Y}"
    assert "You missed 2 bookings without checking in" in message.body

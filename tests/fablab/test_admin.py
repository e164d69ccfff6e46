import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from fablab.models import Booking, Clearance, MaintenanceWindow, TimeBlock
from tests.factories import UserFactory

from .factories import BookingFactory, EquipmentCategoryFactory, slot


@pytest.mark.django_db
def test_bulk_confirm_and_reject_send_mails(client, manager, machine, tasks):
    people = UserFactory.create_batch(3)
    bookings = [BookingFactory(equipment=machine, user=p, start=slot(days=3 + i)[0]) for i, p in enumerate(people)]
    client.force_login(manager)
    url = reverse("admin:fablab_booking_changelist")
    client.post(url, {"action": "confirm", "_selected_action": [bookings[0].pk, bookings[1].pk]})
    client.post(url, {"action": "reject", "_selected_action": [bookings[2].pk]})
    tasks()
    assert dict(Booking.objects.values_list("pk", "status")) == {
        bookings[0].pk: "confirmed",
        bookings[1].pk: "confirmed",
        bookings[2].pk: "rejected",
    }
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
    # People's preferred language is Uzbek by default.
    assert sum(m.subject.startswith("FabLab broni tasdiqlandi") for m in mail.outbox) == 2
    assert sum(m.subject.startswith("FabLab broni tasdiqlanmadi") for m in mail.outbox) == 1


COLUMNS = ["id", "equipment", "person", "email", "start", "end", "status", "purpose", "startup", "created_at"]


@pytest.mark.django_db
def test_booking_export_csv(client, manager, machine, user):
    BookingFactory(equipment=machine, user=user)
    client.force_login(manager)
    response = client.post(
        reverse("admin:fablab_booking_export"), {"format": "0", **{f"bookingresource_{name}": "on" for name in COLUMNS}}
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert text.splitlines()[0] == ",".join(COLUMNS)
    assert f"Prusa MK4,{user.full_name},{user.email}" in text


@pytest.mark.django_db
def test_admin_schedules_maintenance_through_the_service(client, manager, machine, user):
    start, end = slot(days=5, hour=9, hours=3)
    BookingFactory(equipment=machine, user=user, start=start, end=start + datetime.timedelta(hours=1))
    client.force_login(manager)
    local = timezone.localtime
    data = {
        "equipment": machine.pk,
        "start_0": local(start).strftime("%Y-%m-%d"),
        "start_1": local(start).strftime("%H:%M"),
        "end_0": local(end).strftime("%Y-%m-%d"),
        "end_1": local(end).strftime("%H:%M"),
        "reason": "Nozzle replacement",
    }
    response = client.post(reverse("admin:fablab_maintenancewindow_add"), data)
    assert "1 active booking(s) overlap this window" in response.content.decode()
    assert MaintenanceWindow.objects.count() == 0
    response = client.post(reverse("admin:fablab_maintenancewindow_add"), {**data, "cancel_conflicting": "on"})
    assert response.status_code == 302
    window = MaintenanceWindow.objects.get()
    assert (window.reason, window.created_by) == ("Nozzle replacement", manager)
    assert TimeBlock.objects.get().maintenance == window
    assert Booking.objects.get().status == "cancelled"


@pytest.mark.django_db
def test_admin_grants_clearance_through_the_service(client, manager, user):
    category = EquipmentCategoryFactory()
    client.force_login(manager)
    response = client.post(
        reverse("admin:fablab_clearance_add"),
        {"user": user.pk, "category": category.pk, "expires_on": "2027-06-30"},
    )
    assert response.status_code == 302
    clearance = Clearance.objects.get()
    assert (clearance.user, clearance.granted_by, clearance.expires_on) == (user, manager, datetime.date(2027, 6, 30))


def _split(moment):
    local = timezone.localtime(moment)
    return local.strftime("%Y-%m-%d"), local.strftime("%H:%M")


@pytest.mark.django_db
def test_admin_reschedules_maintenance_through_the_service(client, manager, machine):
    from fablab import services

    start, end = slot(days=5, hour=9, hours=2)
    window = services.maintenance_schedule(equipment=machine, start=start, end=end, reason="Belt replacement")
    other = services.maintenance_schedule(
        equipment=machine, start=slot(days=6, hour=9)[0], end=slot(days=6, hour=12)[1], reason="Calibration"
    )
    client.force_login(manager)
    url = reverse("admin:fablab_maintenancewindow_change", args=[window.pk])
    page = client.get(url).content.decode()
    assert 'name="start_0"' in page  # the times are editable
    assert 'name="equipment"' not in page  # the machine is not

    def post(new_start, new_end, reason="Belt replacement"):
        (d0, t0), (d1, t1) = _split(new_start), _split(new_end)
        return client.post(url, {"start_0": d0, "start_1": t0, "end_0": d1, "end_1": t1, "reason": reason})

    response = post(other.start + datetime.timedelta(hours=1), other.end)
    assert "This window overlaps time already taken on this machine: maintenance" in response.content.decode()
    window.refresh_from_db()
    assert (window.start, window.end) == (start, end)

    new_start, new_end = slot(days=8, hour=14, hours=3)
    response = post(new_start, new_end, reason="Belt and pulleys")
    assert response.status_code == 302
    window.refresh_from_db()
    assert (window.start, window.end, window.reason) == (new_start, new_end, "Belt and pulleys")
    assert TimeBlock.objects.get(maintenance=window).start == new_start


@pytest.mark.django_db
def test_admin_cancel_and_complete_actions(client, manager, machine, user, tasks):
    now = timezone.now()
    upcoming = BookingFactory(equipment=machine, user=user, start=slot(days=4)[0], status="confirmed")
    past = BookingFactory(
        equipment=machine,
        user=user,
        start=now - datetime.timedelta(days=1, hours=2),
        end=now - datetime.timedelta(days=1),
        status="confirmed",
    )
    client.force_login(manager)
    url = reverse("admin:fablab_booking_changelist")
    client.post(url, {"action": "cancel", "_selected_action": [upcoming.pk]})
    client.post(url, {"action": "complete", "_selected_action": [past.pk]})
    tasks()
    upcoming.refresh_from_db()
    assert (upcoming.status, upcoming.decided_by, upcoming.decision_note) == (
        "cancelled",
        manager,
        "FabLab xodimlari tomonidan bekor qilindi.",  # in the person's language (Uzbek), not the manager's
    )
    assert Booking.objects.get(pk=past.pk).status == "completed"
    assert [(m.to, m.subject.split(":")[0]) for m in mail.outbox] == [([user.email], "FabLab broni bekor qilindi")]
    assert list(TimeBlock.objects.values_list("booking_id", flat=True)) == [past.pk]
    # Bookings are made on the site, not added in the admin.
    assert client.get(reverse("admin:fablab_booking_add")).status_code == 403


@pytest.mark.django_db
def test_admin_refuses_a_clearance_expiring_in_the_past(client, manager, user):
    category = EquipmentCategoryFactory()
    client.force_login(manager)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = client.post(
        reverse("admin:fablab_clearance_add"),
        {"user": user.pk, "category": category.pk, "expires_on": yesterday.isoformat()},
    )
    assert response.status_code == 200
    assert "The expiry date cannot be in the past." in response.content.decode()
    assert Clearance.objects.count() == 0

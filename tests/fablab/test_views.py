import datetime

import icalendar
import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from fablab import selectors, services
from fablab.models import Booking, Equipment, OpeningException, TimeBlock
from fablab.tokens import ics_feed_path
from technopark.roles import EDITOR, FABLAB_MANAGER, ROLES
from tests.conftest import make_staff

from .factories import (
    BookingFactory,
    ClearanceFactory,
    EngineeringSolutionFactory,
    EquipmentCategoryFactory,
    EquipmentFactory,
    FundingProjectFactory,
    SolutionPhotoFactory,
    TrainingSessionFactory,
    slot,
)

OVERLAP = "This time overlaps another booking or maintenance of this machine. Choose another time."


def book_url(machine):
    return reverse("fablab:booking_create", kwargs={"slug": machine.slug})


def form_data(day, start="10:00", end="11:00", purpose="A gear for a wind turbine"):
    return {"day": day.isoformat(), "start_time": start, "end_time": end, "purpose": purpose}


# --- Booking through the page -------------------------------------------------------------------


@pytest.mark.django_db
def test_booking_form_creates_requested_booking(client, user, machine, day_after_tomorrow):
    client.force_login(user)
    response = client.post(book_url(machine), form_data(day_after_tomorrow, "10:00", "12:30"))
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    booking = Booking.objects.get()
    assert (booking.user, booking.equipment, booking.status) == (user, machine, "requested")
    assert timezone.localtime(booking.start).strftime("%Y-%m-%d %H:%M") == f"{day_after_tomorrow} 10:00"
    assert timezone.localtime(booking.end).strftime("%H:%M") == "12:30"
    dashboard = client.get(reverse("dashboard"))
    assert "Prusa MK4" in dashboard.content.decode()
    assert "Requested" in dashboard.content.decode()


def _bad_cases():
    return {
        "zero-length": ({"start": "10:00", "end": "10:00"}, "The end must be after the start."),
        "reversed": ({"start": "12:00", "end": "10:00"}, "The end must be after the start."),
        "too long": ({"start": "09:00", "end": "14:00"}, "A booking can last at most 4 hours."),
        "before opening": ({"start": "07:00", "end": "08:00"}, "the FabLab is open from 9:00 to 18:00"),
        "after closing": ({"start": "17:00", "end": "19:00"}, "the FabLab is open from 9:00 to 18:00"),
        "past": ({"days": -1}, "You cannot book time in the past."),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("case", list(_bad_cases()))
def test_bad_times_get_a_message_and_save_nothing(client, user, machine, case):
    values, message = _bad_cases()[case]
    client.force_login(user)
    day = timezone.localdate() + datetime.timedelta(days=values.get("days", 2))
    response = client.post(book_url(machine), form_data(day, values.get("start", "10:00"), values.get("end", "11:00")))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Booking.objects.count() == 0
    assert TimeBlock.objects.count() == 0


@pytest.mark.django_db
def test_too_little_lead_time_is_refused(client, user, machine, settings, day_after_tomorrow):
    settings.FABLAB_MIN_LEAD_HOURS = 96
    client.force_login(user)
    response = client.post(book_url(machine), form_data(day_after_tomorrow))
    assert "Book at least 96 hours ahead." in response.content.decode()
    assert Booking.objects.count() == 0


@pytest.mark.django_db
def test_overlapping_booking_is_refused_with_message(client, user, other_user, machine, day_after_tomorrow):
    start = timezone.make_aware(datetime.datetime.combine(day_after_tomorrow, datetime.time(10)))
    BookingFactory(equipment=machine, user=other_user, start=start, end=start + datetime.timedelta(hours=2))
    client.force_login(user)
    response = client.post(book_url(machine), form_data(day_after_tomorrow, "11:00", "12:00"))
    assert OVERLAP in response.content.decode()
    assert Booking.objects.count() == 1


@pytest.mark.django_db
def test_overlapping_maintenance_window_is_refused_with_message(client, user, machine, day_after_tomorrow):
    start = timezone.make_aware(datetime.datetime.combine(day_after_tomorrow, datetime.time(9)))
    services.maintenance_schedule(equipment=machine, start=start, end=start + datetime.timedelta(hours=3), reason="x")
    client.force_login(user)
    response = client.post(book_url(machine), form_data(day_after_tomorrow, "11:00", "12:00"))
    assert OVERLAP in response.content.decode()
    assert Booking.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "message"),
    [
        (Equipment.Status.MAINTENANCE, "This machine is under maintenance and cannot be booked."),
        (Equipment.Status.RETIRED, "This machine is retired and cannot be booked."),
    ],
)
def test_machine_not_available_is_refused(client, user, day_after_tomorrow, status, message):
    machine = EquipmentFactory(status=status)
    client.force_login(user)
    response = client.post(book_url(machine), form_data(day_after_tomorrow))
    assert message in response.content.decode()
    assert Booking.objects.count() == 0


@pytest.mark.django_db
def test_booking_without_clearance_is_refused_in_russian(client, user, day_after_tomorrow):
    machine = EquipmentFactory(requires_clearance=True)
    client.force_login(user)
    with translation.override("ru"):
        url = book_url(machine)
    response = client.post(url, form_data(day_after_tomorrow))
    assert "нужен действующий допуск по технике безопасности" in response.content.decode()
    assert Booking.objects.count() == 0
    ClearanceFactory(user=user, category=machine.category)
    response = client.post(url, form_data(day_after_tomorrow))
    assert response.status_code == 302
    assert Booking.objects.count() == 1


@pytest.mark.django_db
def test_photo_that_is_not_an_image_is_refused_and_nothing_saved(admin_client):
    category = EquipmentCategoryFactory()
    fake = SimpleUploadedFile("printer.jpg", b"%PDF-1.4 this is not an image", content_type="image/jpeg")
    response = admin_client.post(
        reverse("admin:fablab_equipment_add"),
        {
            "name_uz": "Printer",
            "name_ru": "Принтер",
            "name_en": "Printer",
            "slug": "printer",
            "category": category.pk,
            "status": "available",
            "photo": fake,
        },
    )
    assert response.status_code == 200
    assert "Upload a valid image." in response.content.decode()
    assert Equipment.objects.count() == 0


# --- Permission ladder ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_booking_form_needs_login(client, machine):
    response = client.get(book_url(machine))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_cancel_another_persons_booking_answers_404(client, user, other_user, machine):
    booking = BookingFactory(equipment=machine, user=other_user)
    client.force_login(user)
    response = client.post(reverse("fablab:booking_cancel", kwargs={"pk": booking.pk}))
    assert response.status_code == 404
    assert Booking.objects.get().status == "requested"


@pytest.mark.django_db
def test_owner_cancels_own_booking(client, user, machine):
    booking = BookingFactory(equipment=machine, user=user)
    client.force_login(user)
    response = client.post(reverse("fablab:booking_cancel", kwargs={"pk": booking.pk}))
    assert response.status_code == 302
    assert Booking.objects.get().status == "cancelled"
    assert TimeBlock.objects.count() == 0


@pytest.mark.django_db
def test_only_fablab_managers_confirm(client, user, machine, manager, tasks):
    booking = BookingFactory(equipment=machine, user=user)
    url = reverse("fablab:staff_decide", kwargs={"pk": booking.pk})
    assert client.post(url, {"action": "confirm"})["Location"].startswith(reverse("login"))
    client.force_login(user)
    assert client.post(url, {"action": "confirm"}).status_code == 403
    client.force_login(make_staff(EDITOR))
    assert client.post(url, {"action": "confirm"}).status_code == 403
    assert Booking.objects.get().status == "requested"
    client.force_login(manager)
    response = client.post(url, {"action": "confirm"})
    tasks()
    assert response.status_code == 302
    booking.refresh_from_db()
    assert (booking.status, booking.decided_by) == ("confirmed", manager)
    assert [m.to for m in mail.outbox] == [[user.email]]


@pytest.mark.django_db
def test_roles_migration_gives_fablab_only_to_the_fablab_manager():
    manager_perms = set(
        Permission.objects.filter(group__name=FABLAB_MANAGER, content_type__app_label="fablab").values_list(
            "codename", flat=True
        )
    )
    all_perms = set(Permission.objects.filter(content_type__app_label="fablab").values_list("codename", flat=True))
    assert manager_perms == all_perms
    assert "confirm_booking" in manager_perms
    for role in set(ROLES) - {FABLAB_MANAGER}:
        assert not Group.objects.get(name=role).permissions.filter(content_type__app_label="fablab").exists()


@pytest.mark.django_db
def test_staff_day_view_ladder_and_content(client, user, manager, machine, day_after_tomorrow):
    start = timezone.make_aware(datetime.datetime.combine(day_after_tomorrow, datetime.time(14)))
    BookingFactory(equipment=machine, user=user, start=start, end=start + datetime.timedelta(hours=2))
    url = f"{reverse('fablab:staff_day')}?date={day_after_tomorrow.isoformat()}"
    assert client.get(url).status_code == 302
    client.force_login(user)
    assert client.get(url).status_code == 403
    client.force_login(make_staff(EDITOR))
    assert client.get(url).status_code == 403
    client.force_login(manager)
    page = client.get(url).content.decode()
    assert "14:00–16:00" in page
    assert user.full_name in page
    assert "Prusa MK4" in page


@pytest.mark.django_db
def test_usage_figures_per_machine_and_month(client, manager, machine, user):
    tz = timezone.get_current_timezone()
    march = datetime.datetime(2026, 3, 10, 10, tzinfo=tz)
    BookingFactory(
        equipment=machine, user=user, start=march, end=march + datetime.timedelta(hours=3), status="completed"
    )
    BookingFactory(
        equipment=machine,
        user=user,
        start=march + datetime.timedelta(days=1),
        end=march + datetime.timedelta(days=1, hours=2),
        status="confirmed",
    )
    BookingFactory(
        equipment=machine,
        user=user,
        start=march + datetime.timedelta(days=2),
        end=march + datetime.timedelta(days=2, hours=4),
        status="cancelled",
    )
    client.force_login(manager)
    response = client.get(reverse("fablab:staff_usage") + "?year=2026")
    row = next(r for r in response.context["rows"] if r["equipment"] == machine)
    assert row["months"][2] == {"booked": 5.0, "completed": 3.0}
    assert (row["booked"], row["completed"]) == (5.0, 3.0)
    assert "5 / 3" in response.content.decode()


# --- Calendar ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_calendar_shows_booked_and_maintenance_but_not_who(client, user, machine, day_after_tomorrow):
    start = timezone.make_aware(datetime.datetime.combine(day_after_tomorrow, datetime.time(10)))
    BookingFactory(equipment=machine, user=user, start=start, end=start + datetime.timedelta(hours=2))
    services.maintenance_schedule(
        equipment=machine,
        start=start + datetime.timedelta(hours=5),
        end=start + datetime.timedelta(hours=6),
        reason="Bed levelling",
    )
    response = client.get(
        reverse("fablab:equipment_detail", kwargs={"slug": machine.slug}) + f"?week={day_after_tomorrow}"
    )
    states = {(slot.day, slot.hour): slot.state for row in response.context["rows"] for slot in row.slots}
    assert [states[(day_after_tomorrow, h)] for h in range(9, 18)] == [
        "free", "requested", "requested", "free", "free", "free", "maintenance", "free", "free"
    ]  # fmt: skip
    page = response.content.decode()
    assert user.full_name not in page
    assert user.email not in page
    assert "Bed levelling" not in page


# --- iCalendar --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_ics_feed_holds_exactly_the_persons_confirmed_bookings(client, user, other_user, machine):
    mine = [
        BookingFactory(equipment=machine, user=user, start=slot(days=d, hour=10)[0], status="confirmed") for d in (3, 4)
    ]
    BookingFactory(equipment=machine, user=user, start=slot(days=5)[0], status="requested")
    BookingFactory(equipment=machine, user=user, start=slot(days=6)[0], status="cancelled")
    BookingFactory(equipment=machine, user=other_user, start=slot(days=7)[0], status="confirmed")

    assert client.get(reverse("fablab:my_bookings_ics")).status_code == 302
    client.force_login(user)
    for url in (reverse("fablab:my_bookings_ics"), ics_feed_path(user)):
        response = client.get(url) if url.endswith("bookings.ics") else client.logout() or client.get(url)
        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        calendar = icalendar.Calendar.from_ical(response.content)
        events = calendar.walk("VEVENT")
        assert sorted(str(e["uid"]) for e in events) == sorted(
            f"fablab-booking-{b.pk}@technopark.andijan.uz" for b in mine
        )
        assert sorted(e.decoded("dtstart") for e in events) == sorted(b.start for b in mine)
        assert {str(e["summary"]) for e in events} == {"FabLab: Prusa MK4"}


@pytest.mark.django_db
def test_ics_feed_with_wrong_token_or_changed_password_answers_404(client, user):
    path = ics_feed_path(user)
    assert client.get(path.replace(path.split("/")[-1], "0" * 32 + ".ics")).status_code == 404
    user.set_password("another-Strong-pass-1")
    user.save()
    assert client.get(path).status_code == 404


# --- Public pages and query counts --------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 4])
def test_catalogue_query_count_is_fixed(client, django_assert_num_queries, count):
    project = FundingProjectFactory()
    for i in range(count):
        EquipmentFactory(category=EquipmentCategoryFactory(), funding_project=project if i % 2 == 0 else None)
    with django_assert_num_queries(5):
        response = client.get(reverse("fablab:index"))
    assert len(response.context["page_obj"].object_list) == count
    assert response.content.decode().count('data-testid="equipment-card"') == count


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 10])
def test_calendar_query_count_is_fixed(client, django_assert_num_queries, machine, user, count):
    """1x and 10x the week's data: requested and confirmed bookings, maintenance windows, opening
    exceptions (special hours on up to every day of the week) and the category's training sessions."""
    monday = selectors.week_start(timezone.localdate()) + datetime.timedelta(days=7)

    def at(day, hour):
        moment = datetime.datetime.combine(monday + datetime.timedelta(days=day), datetime.time(hour))
        return timezone.make_aware(moment)

    for i in range(count):  # Monday to Friday, 9:00 and 11:00
        status = Booking.Status.CONFIRMED if i % 2 else Booking.Status.REQUESTED
        BookingFactory(equipment=machine, user=user, start=at(i % 5, 9 + 2 * (i // 5)), status=status)
        start = at(5 + i % 2, 9 + i // 2)  # Saturday and Sunday
        services.maintenance_schedule(
            equipment=machine, start=start, end=start + datetime.timedelta(hours=1), reason="Belt"
        )
        TrainingSessionFactory(category=machine.category, start=at(i % 7, 14))
    for day in range(min(count, 7)):
        OpeningException.objects.create(
            date=monday + datetime.timedelta(days=day),
            kind="hours",
            name="Long day",
            opens=datetime.time(8),
            closes=datetime.time(19),
        )
    # The machine, the time blocks, the weekly hours, the week's exceptions, the category's next
    # safety trainings and 2 SAVEPOINT/RELEASE.
    with django_assert_num_queries(7):
        response = client.get(reverse("fablab:equipment_detail", kwargs={"slug": machine.slug}) + f"?week={monday}")
    html = response.content.decode()
    assert html.count('<td class="slot-requested" data-state="requested"') == (count + 1) // 2
    assert html.count('<td class="slot-booked" data-state="booked"') == count // 2
    assert html.count('<td class="slot-maintenance" data-state="maintenance"') == count
    assert html.count('data-testid="training-session"') == min(count, 5)
    assert [row.hour for row in response.context["rows"]] == list(range(8, 19))


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 4])
def test_gallery_query_count_is_fixed(client, django_assert_num_queries, count):
    machines = EquipmentFactory.create_batch(2)
    for _ in range(count):
        solution = EngineeringSolutionFactory(machines=machines)
        SolutionPhotoFactory(solution=solution)
    with django_assert_num_queries(8):
        response = client.get(reverse("fablab:solution_list"))
    assert response.content.decode().count('data-testid="solution-card"') == count


@pytest.mark.django_db
def test_gallery_filters_by_year_and_equipment(client):
    lathe, printer = EquipmentFactory(slug="lathe"), EquipmentFactory(slug="printer")
    EngineeringSolutionFactory(title="Valve", completed_on=datetime.date(2025, 2, 1), machines=[lathe])
    EngineeringSolutionFactory(title="Drone", completed_on=datetime.date(2025, 5, 1), machines=[printer])
    EngineeringSolutionFactory(title="Robot", completed_on=datetime.date(2024, 11, 1), machines=[printer])

    def titles(query):
        return [s.title for s in client.get(reverse("fablab:solution_list") + query).context["page_obj"]]

    assert titles("") == ["Drone", "Valve", "Robot"]
    assert titles("?year=2025") == ["Drone", "Valve"]
    assert titles("?year=2025&equipment=printer") == ["Drone"]
    assert titles("?equipment=lathe") == ["Valve"]


@pytest.mark.django_db
def test_funding_project_page_lists_its_equipment(client):
    project = FundingProjectFactory(name_en="Rural Entrepreneurship", slug="rural")
    EquipmentFactory.create_batch(3, funding_project=project)
    EquipmentFactory()
    response = client.get(reverse("fablab:funding_detail", kwargs={"slug": "rural"}))
    assert response.status_code == 200, response
    assert len(response.context["equipment_list"]) == 3
    assert "3 pieces of equipment delivered" in response.content.decode()
    listing = client.get(reverse("fablab:funding_list")).content.decode()
    assert "International Bank for Reconstruction and Development" in listing


@pytest.mark.django_db
def test_dashboard_lists_own_bookings_and_clearances(client, user, other_user, machine):
    BookingFactory(equipment=machine, user=user, status="confirmed")
    BookingFactory(equipment=EquipmentFactory(name="Someone else's lathe"), user=other_user, start=slot(days=9)[0])
    ClearanceFactory(user=user, category=machine.category)
    client.force_login(user)
    response = client.get(reverse("dashboard"))
    assert [b.equipment for b in response.context["fablab_bookings"]] == [machine]
    page = response.content.decode()
    assert "Someone else" not in page
    assert machine.category.name in page
    assert ics_feed_path(user) in page

"""What the FabLab tells people, in the recipient's language, by e-mail (text and HTML) and
Telegram: booking requested / confirmed (with the .ics) / rejected / cancelled by staff, the
reminder of tomorrow's booking and of a safety clearance expiring in 14 days; the scheduler's jobs."""

import datetime
import zoneinfo

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import dateformat, timezone, translation
from icalendar import Calendar

from fablab import jobs, services
from fablab.models import Booking, Clearance
from notifications import registry
from notifications.models import Notification, TelegramLink
from notifications.tasks import run_job
from tests.factories import UserFactory

from .factories import BookingFactory, ClearanceFactory, EquipmentCategoryFactory, slot

pytestmark = pytest.mark.django_db

LANGUAGES = ["uz", "ru", "en"]
SITE = settings.SITE_URL.rstrip("/")
TASHKENT = zoneinfo.ZoneInfo("Asia/Tashkent")
CHAT = "555"


def _person(language):
    person = UserFactory(preferred_language=language, full_name="Aziza Abdullayeva")
    TelegramLink.objects.create(user=person, chat_id=CHAT, linked_at=timezone.now())
    return person


def _format(value, language, fmt):
    with translation.override(language):
        return dateformat.format(timezone.localtime(value) if isinstance(value, datetime.datetime) else value, fmt)


def _url(language, viewname, **kwargs):
    with translation.override(language):
        return SITE + reverse(viewname, kwargs=kwargs)


# --- One scenario per message ------------------------------------------------------------------


def requested(person, machine, manager):
    start, end = slot(hour=10, hours=2)
    booking = services.booking_request(equipment=machine, user=person, start=start, end=end, purpose="Drone frame")
    return booking, "fablab:my_bookings", {}


def confirmed(person, machine, manager):
    booking = BookingFactory(equipment=machine, user=person, start=slot(hour=10)[0])
    services.booking_confirm(booking=booking, by=manager)
    return booking, "fablab:my_bookings", {}


def rejected(person, machine, manager):
    booking = BookingFactory(equipment=machine, user=person, start=slot(hour=11)[0])
    services.booking_reject(booking=booking, by=manager, note="Bu kuni dars bor / A class that day.")
    return booking, "fablab:equipment_detail", {"slug": machine.slug}


def cancelled_by_staff(person, machine, manager):
    booking = BookingFactory(equipment=machine, user=person, start=slot(hour=12)[0], status=Booking.Status.CONFIRMED)
    services.booking_cancel_by_staff(booking=booking, by=manager)
    return booking, "fablab:equipment_detail", {"slug": machine.slug}


def tomorrow(person, machine, manager):
    booking = BookingFactory(
        equipment=machine, user=person, start=slot(days=1, hour=15)[0], status=Booking.Status.CONFIRMED
    )
    assert jobs.booking_tomorrow() == 1
    return booking, "fablab:my_bookings", {}


def clearance_expiring(person, machine, manager):
    clearance = ClearanceFactory(
        user=person,
        category=EquipmentCategoryFactory(name_uz="Lazer", name_ru="Лазеры", name_en="Lasers"),
        expires_on=timezone.localdate() + datetime.timedelta(days=14),
    )
    assert jobs.clearance_expiring() == 1
    return clearance, "fablab:index", {}


# subject and a phrase of the body; {day} d.m.Y, {long} j E Y, {start}/{end} H:i, {category}
TEXTS = {
    requested: {
        "uz": (
            "FabLab bron soʻrovi: Prusa MK4, {day}",
            "{long} kuni {start} dan {end} gacha Prusa MK4 uskunasini bron",
        ),
        "ru": ("Запрос на бронирование FabLab: Prusa MK4, {day}", "Мы получили ваш запрос на бронирование: Prusa MK4"),
        "en": (
            "FabLab booking requested: Prusa MK4, {day}",
            "We have received your request to book Prusa MK4 on {long}",
        ),
    },
    confirmed: {
        "uz": ("FabLab broni tasdiqlandi: Prusa MK4, {day}", "Prusa MK4 uskunasiga broningiz tasdiqlandi."),
        "ru": ("Бронирование FabLab подтверждено: Prusa MK4, {day}", "Ваша бронь подтверждена: Prusa MK4, {long}"),
        "en": ("FabLab booking confirmed: Prusa MK4, {day}", "Your booking of Prusa MK4 on {long} from {start}"),
    },
    rejected: {
        "uz": ("FabLab broni tasdiqlanmadi: Prusa MK4, {day}", "Afsuski, {long} kuni {start} dan {end} gacha"),
        "ru": ("Бронирование FabLab не подтверждено: Prusa MK4, {day}", "К сожалению, вашу бронь не удалось"),
        "en": ("FabLab booking not confirmed: Prusa MK4, {day}", "Unfortunately your booking of Prusa MK4"),
    },
    cancelled_by_staff: {
        "uz": ("FabLab broni bekor qilindi: Prusa MK4, {day}", "FabLab xodimlari tomonidan bekor qilindi."),
        "ru": ("Бронирование FabLab отменено: Prusa MK4, {day}", "Отменено сотрудниками FabLab."),
        "en": ("FabLab booking cancelled: Prusa MK4, {day}", "Cancelled by the FabLab staff."),
    },
    tomorrow: {
        "uz": ("Ertaga FabLabda: Prusa MK4, 15:00", "Eslatma: Prusa MK4 uskunasiga broningiz ertaga, {long} kuni"),
        "ru": ("Завтра в FabLab: Prusa MK4, 15:00", "Напоминаем: ваша бронь завтра, {long}, с 15:00 до 16:00"),
        "en": ("Tomorrow at the FabLab: Prusa MK4, 15:00", "your booking of Prusa MK4 is tomorrow, {long}, from 15:00"),
    },
    clearance_expiring: {
        "uz": ("Xavfsizlik ruxsatnomangiz {day} kuni tugaydi: Lazer", "«Lazer» toifasi uchun FabLab xavfsizlik"),
        "ru": ("Ваш допуск истекает {day}: Лазеры", "для категории «Лазеры» истекает {long}."),
        "en": ("Your safety clearance expires on {day}: Lasers", 'clearance for "Lasers" expires on {long}.'),
    },
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("scenario", list(TEXTS), ids=lambda f: f.__name__)
def test_every_message_in_the_recipients_language_by_email_and_telegram(
    scenario, language, machine, manager, tasks, telegram
):
    person = _person(language)
    subject_of, viewname, kwargs = scenario(person, machine, manager)
    assert mail.outbox == [] and telegram.sent() == []  # nothing is sent inside the action
    tasks()

    when = subject_of.expires_on if isinstance(subject_of, Clearance) else subject_of.start
    values = {"day": _format(when, language, "d.m.Y"), "long": _format(when, language, "j E Y")}
    if isinstance(subject_of, Booking):
        values |= {"start": _format(subject_of.start, language, "H:i"), "end": _format(subject_of.end, language, "H:i")}
    subject, phrase = (text.format(**values) for text in TEXTS[scenario][language])
    link = _url(language, viewname, **kwargs)
    assert link.startswith({"uz": SITE + "/fablab/", "ru": SITE + "/ru/fablab/", "en": SITE + "/en/fablab/"}[language])

    [message] = [m for m in mail.outbox if m.to == [person.email]]
    assert message.subject == subject
    assert phrase in message.body
    assert link in message.body
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html" and f'lang="{language}"' in html and f'href="{link}"' in html

    [chat] = [m for m in telegram.sent() if str(m["chat_id"]) == CHAT]
    assert chat["text"].startswith(subject)
    assert phrase in chat["text"] and link in chat["text"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_confirmation_carries_the_booking_as_an_ics_file(language, machine, manager, tasks):
    person = UserFactory(preferred_language=language)
    booking = BookingFactory(equipment=machine, user=person, start=slot(hour=10, hours=2)[0])
    booking.end = booking.start + datetime.timedelta(hours=2)
    Booking.objects.filter(pk=booking.pk).update(end=booking.end)
    services.booking_confirm(booking=booking, by=manager)
    tasks()
    [message] = mail.outbox
    [(filename, content, mimetype)] = message.attachments
    assert (filename, mimetype) == (f"fablab-booking-{booking.pk}.ics", "text/calendar")
    [event] = Calendar.from_ical(content).walk("VEVENT")
    assert event.decoded("dtstart") == booking.start and event.decoded("dtend") == booking.end
    assert str(event["uid"]) == f"fablab-booking-{booking.pk}@technopark.andijan.uz"
    location = {"uz": "Andijon yoshlar texnoparki FabLab", "ru": "FabLab Андижанского молодёжного технопарка"}
    assert str(event["location"]) == location.get(language, "Andijan Youth Technopark FabLab")


def test_a_rolled_back_confirmation_sends_nothing(machine, manager, tasks):
    booking = BookingFactory(equipment=machine, start=slot(hour=10)[0])
    with pytest.raises(RuntimeError), transaction.atomic():
        services.booking_confirm(booking=booking, by=manager)
        raise RuntimeError("something after the confirmation failed")
    assert Booking.objects.get().status == "requested"
    assert Notification.objects.count() == 0
    assert tasks() == 0 and mail.outbox == []


def test_a_refused_request_sends_nothing(machine, user, tasks):
    start, end = slot(hour=7)  # before opening
    with pytest.raises(ValidationError):
        services.booking_request(equipment=machine, user=user, start=start, end=start, purpose="x")
    assert Notification.objects.count() == 0 and tasks() == 0


# --- Reminders, moved through time ---------------------------------------------------------


def _at(day, hour):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=TASHKENT)


def test_the_booking_reminder_goes_once_and_only_for_bookings_still_confirmed(machine, manager, tasks, time_machine):
    today = datetime.date(2027, 3, 8)
    time_machine.move_to(_at(today - datetime.timedelta(days=5), 12), tick=False)
    tomorrow = today + datetime.timedelta(days=1)

    def booking(day, hour, status=Booking.Status.CONFIRMED):
        start = _at(day, hour)
        return BookingFactory(equipment=machine, start=start, end=start + datetime.timedelta(hours=1), status=status)

    kept = booking(tomorrow, 10)
    cancelled = booking(tomorrow, 12)
    still_requested = booking(tomorrow, 14, Booking.Status.REQUESTED)
    later = booking(tomorrow + datetime.timedelta(days=1), 10)
    late_confirm = booking(tomorrow, 16, Booking.Status.REQUESTED)

    def reminded():
        return sorted(Notification.objects.filter(kind="fablab.booking_tomorrow").values_list("recipient", flat=True))

    time_machine.move_to(_at(today, 7), tick=False)
    services.booking_cancel(booking=cancelled, by=cancelled.user)  # the person acted: no reminder
    time_machine.move_to(_at(today, 8), tick=False)
    run_job.enqueue("fablab.booking_tomorrow")  # as the scheduler does
    tasks()
    assert reminded() == [kept.user_id]
    # Confirmed in the afternoon for tomorrow: the next hourly run reminds it; nobody twice.
    time_machine.move_to(_at(today, 15), tick=False)
    services.booking_confirm(booking=late_confirm, by=manager)
    assert jobs.booking_tomorrow() == 1
    assert jobs.booking_tomorrow() == 0
    assert reminded() == sorted([kept.user_id, late_confirm.user_id])
    # The next day: today's bookings are not "tomorrow" any more; the day after's are.
    time_machine.move_to(_at(tomorrow, 8), tick=False)
    assert jobs.booking_tomorrow() == 1
    assert reminded() == sorted([kept.user_id, late_confirm.user_id, later.user_id])
    assert still_requested.user_id not in reminded() and cancelled.user_id not in reminded()
    tasks()
    assert sum(m.subject.startswith("Ertaga FabLabda: Prusa MK4") for m in mail.outbox) == 3


def test_the_clearance_reminder_goes_once_and_not_after_a_renewal(manager, tasks, time_machine):
    today = datetime.date(2027, 3, 1)
    time_machine.move_to(_at(today, 9), tick=False)
    category = EquipmentCategoryFactory()
    expiring = ClearanceFactory(category=category, expires_on=today + datetime.timedelta(days=20))
    renewed = ClearanceFactory(category=category, expires_on=today + datetime.timedelta(days=20))
    revoked = ClearanceFactory(category=category, expires_on=today + datetime.timedelta(days=20))

    def reminded():
        return sorted(Notification.objects.filter(kind="fablab.clearance_expiring").values_list("recipient", flat=True))

    assert jobs.clearance_expiring() == 0  # 20 days ahead: too early
    services.clearance_grant(user=renewed.user, category=category, expires_on=datetime.date(2028, 3, 1), by=manager)
    services.clearance_revoke(clearance=revoked, by=manager)
    time_machine.move_to(_at(today + datetime.timedelta(days=6), 9), tick=False)  # 14 days before
    run_job.enqueue("fablab.clearance_expiring")
    tasks()
    assert reminded() == [expiring.user_id]
    for later in (7, 10, 19):  # every day until it expires: nothing more
        time_machine.move_to(_at(today + datetime.timedelta(days=later), 9), tick=False)
        assert jobs.clearance_expiring() == 0
    assert [m.to for m in mail.outbox] == [[expiring.user.email]]
    # Renewed later, it is reminded again 14 days before its new date.
    services.clearance_grant(user=expiring.user, category=category, expires_on=datetime.date(2027, 9, 1), by=manager)
    time_machine.move_to(_at(datetime.date(2027, 8, 18), 9), tick=False)
    assert jobs.clearance_expiring() == 1
    assert reminded() == [expiring.user_id, expiring.user_id]


def test_completing_past_bookings_runs_from_the_scheduler(machine, tasks):
    now = timezone.now()
    past = BookingFactory(
        equipment=machine,
        start=now - datetime.timedelta(hours=3),
        end=now - datetime.timedelta(hours=2),
        status=Booking.Status.CONFIRMED,
    )
    coming = BookingFactory(equipment=machine, start=slot(days=2)[0], status=Booking.Status.CONFIRMED)
    assert registry.JOBS["fablab.complete_past_bookings"].func == "fablab.jobs.complete_past_bookings"
    run_job.enqueue("fablab.complete_past_bookings")
    tasks()
    assert dict(Booking.objects.values_list("pk", "status")) == {past.pk: "completed", coming.pk: "confirmed"}

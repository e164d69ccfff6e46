"""The new messages in the recipient's language (uz, ru, en), by e-mail and Telegram: signed up,
waitlisted, moved up, passed (clearance with its expiry), session cancelled, self-booking
suspended, and a booking cancelled by a maintenance window with the next free slot."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import dateformat, timezone, translation

from fablab import services
from fablab.models import Booking, TrainingSession
from notifications.models import TelegramLink
from tests.factories import UserFactory

from .factories import BookingFactory, EquipmentCategoryFactory, TrainingSessionFactory, slot

pytestmark = pytest.mark.django_db

SITE = settings.SITE_URL.rstrip("/")
CHAT = "555"


def _person(language):
    person = UserFactory(preferred_language=language, full_name="Aziza Abdullayeva")
    TelegramLink.objects.create(user=person, chat_id=CHAT, linked_at=timezone.now())
    return person


def _fmt(value, language, fmt):
    with translation.override(language):
        return dateformat.format(timezone.localtime(value) if isinstance(value, datetime.datetime) else value, fmt)


@pytest.fixture
def lasers(db):
    return EquipmentCategoryFactory(name_uz="Lazer", name_ru="Лазеры", name_en="Lasers", slug="lasers")


def _session(lasers, capacity=1):
    return TrainingSessionFactory(category=lasers, capacity=capacity, place="FabLab")


def signed_up(person, lasers, machine):
    session = _session(lasers)
    services.training_sign_up(session=session, user=person)
    return session.start, "catalogue"


def waitlisted(person, lasers, machine):
    session = _session(lasers)
    services.training_sign_up(session=session, user=UserFactory(email="first@example.uz"))
    services.training_sign_up(session=session, user=person)
    return session.start, "catalogue"


def moved_up(person, lasers, machine):
    session = _session(lasers)
    first = services.training_sign_up(session=session, user=UserFactory(email="first@example.uz"))
    services.training_sign_up(session=session, user=person)
    services.training_cancel_signup(signup=first, by=first.user)
    return session.start, "catalogue"


def passed(person, lasers, machine):
    lasers.clearance_valid_days = 100
    lasers.save()
    session = _session(lasers)
    signup = services.training_sign_up(session=session, user=person)
    start = timezone.now() - datetime.timedelta(hours=1)
    TrainingSession.objects.filter(pk=session.pk).update(start=start, end=start + datetime.timedelta(hours=2))
    signup.session.refresh_from_db()
    signup = services.training_mark(signup=signup, result="passed", by=session.trainer)
    assert signup.clearance.expires_on == timezone.localtime(start).date() + datetime.timedelta(days=100)
    return signup.clearance.expires_on, "catalogue"


def cancelled(person, lasers, machine):
    session = _session(lasers)
    services.training_sign_up(session=session, user=person)
    services.training_session_cancel(session=session, by=session.trainer)
    return session.start, "catalogue"


def suspended(person, lasers, machine):
    for hour in (9, 11, 13):
        BookingFactory(equipment=machine, user=person, start=slot(days=-1, hour=hour)[0], status="confirmed")
    services.mark_no_shows()
    return person.fablab_suspensions.get().ends_at, "my_bookings"


def maintenance(person, lasers, machine):
    booking = BookingFactory(
        equipment=machine, user=person, start=slot(days=4, hour=10)[0], status=Booking.Status.CONFIRMED
    )
    start = booking.start - datetime.timedelta(hours=1)
    services.maintenance_schedule(
        equipment=machine, start=start, end=start + datetime.timedelta(hours=3), reason="x", cancel_conflicting=True
    )
    return booking.start, "book"


# subject and a phrase of the body: {day} d.m.Y, {long} j E Y
TEXTS = {
    signed_up: {
        "uz": (
            "Xavfsizlik mashgʻulotiga yozildingiz: Lazer, {day}",
            "«Lazer» xavfsizlik mashgʻulotida oʻrningiz bor: {long}, 14:00 dan 16:00 gacha",
        ),
        "ru": (
            "Вы записаны на инструктаж: Лазеры, {day}",
            "У вас место на инструктаже «Лазеры» {long} с 14:00 до 16:00",
        ),
        "en": (
            "Safety training booked: Lasers, {day}",
            "You have a seat at the safety training for “Lasers” on {long} from 14:00 to 16:00",
        ),
    },
    waitlisted: {
        "uz": ("Xavfsizlik mashgʻuloti kutish roʻyxatidasiz: Lazer, {day}", "Siz kutish roʻyxatida 1-oʻrindasiz."),
        "ru": ("Вы в листе ожидания инструктажа: Лазеры, {day}", "Вы 1-й в листе ожидания."),
        "en": ("On the waitlist for the safety training: Lasers, {day}", "You are number 1 on the waitlist."),
    },
    moved_up: {
        "uz": (
            "Oʻrin sizniki: Lazer xavfsizlik mashgʻuloti, {day}",
            "Oʻrin boʻshadi va siz kutish roʻyxatidan oʻtdingiz",
        ),
        "ru": ("Место ваше: инструктаж Лазеры, {day}", "Освободилось место, и вы перешли из листа ожидания"),
        "en": (
            "A seat is yours: safety training Lasers, {day}",
            "A seat became free and you have moved up from the waitlist",
        ),
    },
    passed: {
        "uz": ("Xavfsizlik ruxsatnomasi berildi: Lazer", "«Lazer» uchun ruxsatnomangiz {long} gacha amal qiladi"),
        "ru": ("Допуск выдан: Лазеры", "Ваш допуск «Лазеры» действует до {long}"),
        "en": ("Safety clearance granted: Lasers", "Your clearance for “Lasers” is valid until {long}"),
    },
    cancelled: {
        "uz": ("Xavfsizlik mashgʻuloti bekor qilindi: Lazer, {day}", "«Lazer» xavfsizlik mashgʻuloti bekor qilindi."),
        "ru": ("Инструктаж отменён: Лазеры, {day}", "Инструктаж «Лазеры» {long} в 14:00 отменён."),
        "en": (
            "Safety training cancelled: Lasers, {day}",
            "The safety training for “Lasers” on {long} at 14:00 has been cancelled.",
        ),
    },
    suspended: {
        "uz": ("FabLabda mustaqil bron qilish {day} gacha toʻxtatildi", "Siz 3 ta bronga kelmadingiz"),
        "ru": (
            "Самостоятельное бронирование в FabLab приостановлено до {day}",
            "Вы пропустили 3 брони, не отметившись",
        ),
        "en": ("FabLab self-booking suspended until {day}", "You missed 3 bookings without checking in"),
    },
    maintenance: {
        "uz": ("FabLab broni bekor qilindi: Prusa MK4, {day}", "Bu uskunada shu davomiylikdagi eng yaqin boʻsh vaqt:"),
        "ru": (
            "Бронирование FabLab отменено: Prusa MK4, {day}",
            "Ближайшее свободное время той же длительности на этой машине:",
        ),
        "en": ("FabLab booking cancelled: Prusa MK4, {day}", "The next free time of the same length on this machine:"),
    },
}


@pytest.mark.parametrize("language", ["uz", "ru", "en"])
@pytest.mark.parametrize("scenario", list(TEXTS), ids=lambda f: f.__name__)
def test_every_new_message_in_the_recipients_language(scenario, language, lasers, machine, tasks, telegram):
    machine.category = lasers
    machine.save()
    person = _person(language)
    when, kind = scenario(person, lasers, machine)
    assert mail.outbox == []
    tasks()
    values = {"day": _fmt(when, language, "d.m.Y"), "long": _fmt(when, language, "j E Y")}
    subject, phrase = (text.format(**values) for text in TEXTS[scenario][language])
    prefix = {"uz": "", "ru": "/ru", "en": "/en"}[language]
    with translation.override(language):
        link = (
            SITE
            + {
                "catalogue": reverse("fablab:index") + "?category=lasers",
                "my_bookings": reverse("fablab:my_bookings"),
                "book": reverse("fablab:booking_create", kwargs={"slug": machine.slug}),
            }[kind]
        )
    assert link.startswith(f"{SITE}{prefix}/fablab/")

    message = [m for m in mail.outbox if m.to == [person.email]][-1]  # after "signed up", if any
    assert message.subject == subject
    assert phrase in message.body
    assert link in message.body
    chat = [m for m in telegram.sent() if str(m["chat_id"]) == CHAT][-1]
    assert chat["text"].startswith(subject) and phrase in chat["text"]

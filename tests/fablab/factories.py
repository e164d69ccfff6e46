import datetime

import factory
from django.utils import timezone

from fablab.models import (
    Booking,
    Clearance,
    EngineeringSolution,
    Equipment,
    EquipmentCategory,
    FundingProject,
    SolutionPhoto,
    TimeBlock,
    TrainingSession,
)
from tests.factories import UserFactory


def slot(days: int = 3, hour: int = 10, hours: int = 1):
    """An aware (start, end) pair ``days`` from today at ``hour`` local time."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
    return start, start + datetime.timedelta(hours=hours)


def weekday_days_ahead(at_least: int = 3) -> int:
    """Days from today to the first Monday–Friday at least ``at_least`` days ahead."""
    days = at_least
    while (timezone.localdate() + datetime.timedelta(days=days)).weekday() >= 5:
        days += 1
    return days


class EquipmentCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EquipmentCategory

    name = factory.Sequence(lambda n: f"Category {n}")
    name_uz = factory.LazyAttribute(lambda o: f"{o.name} uz")
    name_ru = factory.LazyAttribute(lambda o: f"{o.name} ru")
    name_en = factory.LazyAttribute(lambda o: o.name)
    slug = factory.Sequence(lambda n: f"category-{n}")
    order = factory.Sequence(lambda n: n)


class FundingProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingProject

    name = factory.Sequence(lambda n: f"Project {n}")
    name_uz = factory.LazyAttribute(lambda o: o.name)
    name_en = factory.LazyAttribute(lambda o: o.name)
    slug = factory.Sequence(lambda n: f"project-{n}")
    funder = "International Bank for Reconstruction and Development"
    funder_uz = "Xalqaro tiklanish va taraqqiyot banki"
    funder_en = "International Bank for Reconstruction and Development"
    start = datetime.date(2023, 1, 1)
    end = datetime.date(2025, 12, 31)


class EquipmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Equipment

    name = factory.Sequence(lambda n: f"Machine {n}")
    name_uz = factory.LazyAttribute(lambda o: f"{o.name} uz")
    name_en = factory.LazyAttribute(lambda o: o.name)
    slug = factory.Sequence(lambda n: f"machine-{n}")
    category = factory.SubFactory(EquipmentCategoryFactory)
    model = "Model X"
    purpose = "Prototypes"
    purpose_uz = "Prototiplar"
    purpose_en = "Prototypes"
    status = Equipment.Status.AVAILABLE
    requires_clearance = False
    acquired_on = datetime.date(2024, 5, 1)


class ClearanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Clearance

    user = factory.SubFactory(UserFactory)
    category = factory.SubFactory(EquipmentCategoryFactory)
    expires_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=365))


class BookingFactory(factory.django.DjangoModelFactory):
    """A booking written straight to the database with its time block (tests only)."""

    class Meta:
        model = Booking
        skip_postgeneration_save = True  # the hook writes the time block; the booking is saved already

    equipment = factory.SubFactory(EquipmentFactory)
    user = factory.SubFactory(UserFactory)
    # A weekday, so that the demo week of migration 0005 (Sunday closed) lets the database take it.
    start = factory.LazyFunction(lambda: slot(days=weekday_days_ahead())[0])
    end = factory.LazyAttribute(lambda o: o.start + datetime.timedelta(hours=1))
    purpose = "A bracket for a drone"
    status = Booking.Status.REQUESTED

    @factory.post_generation
    def block(obj, create, extracted, **kwargs):
        if create and obj.status in Booking.BLOCKING_STATUSES:
            TimeBlock.objects.create(
                equipment=obj.equipment, start=obj.start, end=obj.end, kind=TimeBlock.Kind.BOOKING, booking=obj
            )


class EngineeringSolutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EngineeringSolution
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Solution {n}")
    title_uz = factory.LazyAttribute(lambda o: f"{o.title} uz")
    title_en = factory.LazyAttribute(lambda o: o.title)
    slug = factory.Sequence(lambda n: f"solution-{n}")
    description = "A smart irrigation valve"
    description_en = "A smart irrigation valve"
    description_uz = "Aqlli sugʻorish klapani"
    completed_on = datetime.date(2025, 3, 1)
    team = "Aziz, Madina"

    @factory.post_generation
    def machines(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.equipment.set(extracted)


class SolutionPhotoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SolutionPhoto

    solution = factory.SubFactory(EngineeringSolutionFactory)
    image = factory.django.ImageField(color="blue", width=40, height=30)
    caption = "Prototype"


class TrainingSessionFactory(factory.django.DjangoModelFactory):
    """A safety training three days ahead at 14:00–16:00 with a staff trainer."""

    class Meta:
        model = TrainingSession

    category = factory.SubFactory(EquipmentCategoryFactory)
    start = factory.LazyFunction(lambda: slot(days=3, hour=14)[0])
    end = factory.LazyAttribute(lambda o: o.start + datetime.timedelta(hours=2))
    trainer = factory.SubFactory(UserFactory, is_staff=True, full_name="Dilshod Karimov")
    capacity = 3
    place = "FabLab, 2-qavat"

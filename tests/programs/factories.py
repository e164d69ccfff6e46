import datetime

import factory
from django.utils import timezone

from programs.models import (
    Attendance,
    Certificate,
    Course,
    Direction,
    Enrolment,
    Intake,
    Masterclass,
    MasterclassAttendance,
    PartnerSchool,
    Session,
)
from tests.factories import DistrictFactory, UserFactory


class DirectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Direction

    name = factory.Sequence(lambda n: f"Direction {n}")
    name_uz = factory.LazyAttribute(lambda o: f"Yoʻnalish {o.name}")
    name_ru = factory.LazyAttribute(lambda o: f"Направление {o.name}")
    name_en = factory.LazyAttribute(lambda o: o.name)
    slug = factory.Sequence(lambda n: f"direction-{n}")
    order = factory.Sequence(lambda n: n)


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    direction = factory.SubFactory(DirectionFactory)
    title = factory.Sequence(lambda n: f"Course {n}")
    title_uz = factory.LazyAttribute(lambda o: f"Kurs {o.title}")
    title_ru = factory.LazyAttribute(lambda o: f"Курс {o.title}")
    title_en = factory.LazyAttribute(lambda o: o.title)
    slug = factory.Sequence(lambda n: f"course-{n}")
    description = "A hands-on course."
    min_age = 12
    max_age = 30
    language = Course.Language.UZ
    hours = 72


class IntakeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Intake

    course = factory.SubFactory(CourseFactory)
    instructor_name = "Sardor Mirzayev"
    start_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=10))
    end_date = factory.LazyAttribute(lambda o: o.start_date + datetime.timedelta(weeks=10))
    schedule = "Du, Chor, Ju 15:00–17:00"
    schedule_en = "Mon, Wed, Fri 15:00–17:00"
    capacity = 5
    status = Intake.Status.ENROLLING


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    user = factory.SubFactory(UserFactory)
    intake = factory.SubFactory(IntakeFactory)
    status = Enrolment.Status.ENROLLED
    offer_expires_at = factory.LazyAttribute(
        lambda o: timezone.now() + datetime.timedelta(hours=48) if o.status == Enrolment.Status.OFFERED else None
    )


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    intake = factory.SubFactory(IntakeFactory, status=Intake.Status.RUNNING)
    date = factory.Sequence(lambda n: datetime.date(2026, 9, 1) + datetime.timedelta(days=n))


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    session = factory.SubFactory(SessionFactory)
    enrolment = factory.SubFactory(EnrolmentFactory)
    present = True


class CertificateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certificate

    enrolment = factory.SubFactory(EnrolmentFactory, status=Enrolment.Status.COMPLETED)


class PartnerSchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerSchool

    name = factory.Sequence(lambda n: f"School No. {n}")
    name_uz = factory.LazyAttribute(lambda o: f"{o.name} maktab")
    name_en = factory.LazyAttribute(lambda o: o.name)
    kind = PartnerSchool.Kind.GENERAL
    district = factory.SubFactory(DistrictFactory)


class MasterclassFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Masterclass

    title = factory.Sequence(lambda n: f"Masterclass {n}")
    title_uz = factory.LazyAttribute(lambda o: f"Mahorat darsi {o.title}")
    title_en = factory.LazyAttribute(lambda o: o.title)
    direction = factory.SubFactory(DirectionFactory)
    date = datetime.date(2025, 3, 14)
    host_school = factory.SubFactory(PartnerSchoolFactory)
    instructor = "Kamola Haydarova"


class MasterclassAttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MasterclassAttendance

    masterclass = factory.SubFactory(MasterclassFactory)
    school = factory.SubFactory(PartnerSchoolFactory)
    headcount = 25

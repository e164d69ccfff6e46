"""A small hand-built data set whose impact figures are known exactly (see test_figures.py)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from fablab.models import Booking, EngineeringSolution, Equipment, EquipmentCategory, FundingProject
from incubator.models import Application, Investment, Investor, Participant, Season, Startup
from programs.models import Course, Direction, Enrolment, Intake, Masterclass, MasterclassAttendance, PartnerSchool
from tests.factories import DistrictFactory, UserFactory

TZ = datetime.timezone(datetime.timedelta(hours=5))


def aware(y, m, d, h=10):
    return datetime.datetime(y, m, d, h, tzinfo=TZ)


def tr(**values):
    """name="X" → name, name_uz, name_ru, name_en all set (the seed gives real translations)."""
    out = {}
    for field, value in values.items():
        out[field] = value
        for lang in ("uz", "ru", "en"):
            out[f"{field}_{lang}"] = f"{value} ({lang})" if lang != "uz" else value
    return out


@pytest.fixture
def dataset(db):
    return build_dataset()


def build_dataset():
    """People a, b, c, d, e take part; x (rejected enrolment, requested booking) and y (draft) do not."""
    d1 = DistrictFactory(name="Asaka", name_uz="Asaka tumani", name_ru="Асакинский район", name_en="Asaka district")
    d2 = DistrictFactory(
        name="Marhamat", name_uz="Marhamat tumani", name_ru="Мархаматский район", name_en="Marhamat district"
    )
    people = {
        "a": UserFactory(district=d1, gender="female", birth_date=datetime.date(2008, 1, 1)),
        "b": UserFactory(district=d1, gender="male", birth_date=datetime.date(2004, 1, 1)),
        "c": UserFactory(district=d2, gender="female", birth_date=datetime.date(2010, 6, 1)),
        "d": UserFactory(district=d2, gender="male", birth_date=datetime.date(1999, 1, 1)),
        "e": UserFactory(district=None, gender="", birth_date=None),
        "x": UserFactory(district=d1),
        "y": UserFactory(district=d1),
    }
    web = Direction.objects.create(slug="web", order=1, **tr(name="Veb dasturlash"))
    robo = Direction.objects.create(slug="robotics", order=2, **tr(name="Robototexnika"))
    web_course = Course.objects.create(direction=web, slug="web-1", **tr(title="Veb asoslari"))
    robo_course = Course.objects.create(direction=robo, slug="robo-1", **tr(title="Arduino"))
    i1 = Intake.objects.create(
        course=web_course,
        instructor_name="T",
        start_date=datetime.date(2025, 2, 1),
        end_date=datetime.date(2027, 6, 1),
        status=Intake.Status.RUNNING,
        capacity=10,
    )
    i2 = Intake.objects.create(
        course=robo_course,
        instructor_name="T",
        start_date=datetime.date(2024, 9, 1),
        end_date=datetime.date(2024, 12, 1),
        status=Intake.Status.FINISHED,
        capacity=10,
    )
    Enrolment.objects.create(user=people["a"], intake=i1, status=Enrolment.Status.ENROLLED)
    Enrolment.objects.create(user=people["b"], intake=i2, status=Enrolment.Status.COMPLETED)
    Enrolment.objects.create(user=people["x"], intake=i1, status=Enrolment.Status.REJECTED)
    Enrolment.objects.create(user=people["c"], intake=i1, status=Enrolment.Status.WAITLISTED)

    s1 = Season.objects.create(
        number=1,
        **tr(title="InnoX 1"),
        application_opens=aware(2024, 6, 1),
        application_closes=aware(2024, 8, 1),
        programme_start=datetime.date(2024, 10, 1),
        programme_end=datetime.date(2025, 1, 31),
    )
    s2 = Season.objects.create(
        number=2,
        **tr(title="InnoX 2"),
        application_opens=aware(2025, 1, 1),
        application_closes=aware(2025, 2, 1),
        programme_start=datetime.date(2025, 3, 1),
        programme_end=datetime.date(2025, 6, 30),
    )
    submitted = aware(2024, 7, 1)
    app_a = Application.objects.create(
        season=s1,
        applicant=people["a"],
        team_name="A",
        project_title="Agro",
        status=Application.Status.ACCEPTED,
        submitted_at=submitted,
    )
    Application.objects.create(
        season=s1,
        applicant=people["c"],
        team_name="C",
        project_title="C",
        status=Application.Status.REJECTED,
        submitted_at=submitted,
    )
    Application.objects.create(
        season=s1, applicant=people["y"], team_name="Y", project_title="Y", status=Application.Status.DRAFT
    )
    Application.objects.create(
        season=s2,
        applicant=people["d"],
        team_name="D",
        project_title="Edu",
        status=Application.Status.SUBMITTED,
        submitted_at=aware(2025, 1, 15),
    )
    Participant.objects.create(season=s1, user=people["a"], name="A", email="a@example.uz", application=app_a)
    Participant.objects.create(season=s1, user=None, name="Guest", email="guest@example.uz", application=app_a)
    agro = Startup.objects.create(
        name="AgroSmart",
        slug="agrosmart",
        industry="agritech",
        stage="mvp",
        season=s1,
        application=app_a,
        one_line_pitch="Aqlli sugʻorish",
        one_line_pitch_ru="Умный полив",
        one_line_pitch_en="Smart watering",
        description="Dehqonlar uchun aqlli tomchilatib sugʻorish tizimi",
        description_uz="Dehqonlar uchun aqlli tomchilatib sugʻorish tizimi",
        description_ru="Умная система капельного орошения для фермеров",
        description_en="A smart drip irrigation system for farmers",
    )
    Startup.objects.create(
        name="EduNext",
        slug="edunext",
        industry="edtech",
        stage="idea",
        season=s2,
        description="Maktab oʻquvchilari uchun platforma",
    )
    investor = Investor.objects.create(name="Aloqa Venture", kind=Investor.Kind.FUND)
    Investment.objects.create(
        startup=agro,
        investor=investor,
        amount=Decimal("100000000"),
        currency="UZS",
        date=datetime.date(2025, 1, 10),
        kind="grant",
        uzs_value=Decimal("100000000"),
    )
    Investment.objects.create(
        startup=agro,
        investor=investor,
        amount=Decimal("10000"),
        currency="USD",
        date=datetime.date(2025, 4, 20),
        kind="equity",
        uzs_value=Decimal("127000000"),
    )

    category = EquipmentCategory.objects.create(slug="print", **tr(name="3D"))
    project = FundingProject.objects.create(slug="ibrd", **tr(name="Qishloq tadbirkorligi", funder="IBRD"))
    machines = [
        Equipment.objects.create(
            slug=f"m{i}",
            category=category,
            funding_project=project,
            acquired_on=datetime.date(2025 if i < 2 else 2024, 3, 1),
            **tr(name=f"Printer {i}"),
        )
        for i in range(3)
    ]
    Equipment.objects.create(slug="old", category=category, **tr(name="Old lathe"))
    Booking.objects.create(
        equipment=machines[0],
        user=people["e"],
        start=aware(2025, 5, 5, 10),
        end=aware(2025, 5, 5, 12),
        purpose="p",
        status=Booking.Status.CONFIRMED,
    )
    Booking.objects.create(
        equipment=machines[1],
        user=people["x"],
        start=aware(2025, 5, 5, 10),
        end=aware(2025, 5, 5, 11),
        purpose="p",
        status=Booking.Status.REQUESTED,
    )
    for i, year in enumerate([2025, 2025, 2024]):
        solution = EngineeringSolution.objects.create(
            slug=f"s{i}", completed_on=datetime.date(year, 4, 1), **tr(title=f"Solution {i}", description="d")
        )
        solution.equipment.add(machines[0])

    voc = PartnerSchool.objects.create(kind=PartnerSchool.Kind.VOCATIONAL, district=d1, **tr(name="Kollej"))
    g1 = PartnerSchool.objects.create(kind=PartnerSchool.Kind.GENERAL, district=d1, **tr(name="1-maktab"))
    g2 = PartnerSchool.objects.create(kind=PartnerSchool.Kind.GENERAL, district=d2, **tr(name="2-maktab"))
    m1 = Masterclass.objects.create(
        direction=web, date=datetime.date(2025, 4, 10), instructor="I", venue="V", **tr(title="Web")
    )
    m2 = Masterclass.objects.create(
        direction=web, date=datetime.date(2024, 11, 11), instructor="I", venue="V", **tr(title="SMM")
    )
    future = Masterclass.objects.create(
        direction=web,
        date=timezone.localdate() + datetime.timedelta(days=30),
        instructor="I",
        venue="V",
        **tr(title="Next"),
    )
    MasterclassAttendance.objects.create(masterclass=m1, school=voc, headcount=30)
    MasterclassAttendance.objects.create(masterclass=m1, school=g1, headcount=20)
    MasterclassAttendance.objects.create(masterclass=m2, school=g2, headcount=25)
    MasterclassAttendance.objects.create(masterclass=future, school=g1, headcount=10)  # not held yet: not counted
    return {
        "people": people,
        "seasons": (s1, s2),
        "project": project,
        "intakes": (i1, i2),
        "web": web,
        "districts": (d1, d2),
        "machines": machines,
        "agro": agro,
    }


def grow(dataset, n: int):
    """Add n more people taking part in every way (to check query counts do not grow)."""
    s1, _s2 = dataset["seasons"]
    i1, _i2 = dataset["intakes"]
    for k in range(n):
        u = UserFactory(district=dataset["districts"][k % 2])
        Enrolment.objects.create(user=u, intake=i1, status=Enrolment.Status.ENROLLED)
        app = Application.objects.create(
            season=s1,
            applicant=u,
            team_name=f"G{k}",
            project_title="G",
            status=Application.Status.SUBMITTED,
            submitted_at=aware(2024, 7, 2),
        )
        Participant.objects.create(season=s1, user=u, name=f"G{k}", email=f"g{k}@example.uz", application=app)
        startup = Startup.objects.create(name=f"G{k}", slug=f"g{k}", industry="other", stage="idea", season=s1)
        Investment.objects.create(
            startup=startup,
            investor=Investor.objects.first(),
            amount=Decimal("5"),
            currency="USD",
            date=datetime.date(2025, 1, 1),
            kind="prize",
            uzs_value=Decimal("63500"),
        )
        Booking.objects.create(
            equipment=dataset["machines"][2],
            user=u,
            start=aware(2025, 6, 1 + k, 10),
            end=aware(2025, 6, 1 + k, 11),
            purpose="p",
            status=Booking.Status.COMPLETED,
        )

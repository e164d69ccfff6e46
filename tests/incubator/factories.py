import datetime
from decimal import Decimal

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from incubator.models import (
    Application,
    Competition,
    ExchangeRate,
    Investor,
    Participant,
    ScoreCriterion,
    Season,
    Startup,
    TeamMember,
)
from tests.factories import UserFactory

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


class SeasonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Season
        skip_postgeneration_save = True

    number = factory.Sequence(lambda n: n + 1)
    title = factory.LazyAttribute(lambda o: f"Season {o.number}")
    title_uz = factory.LazyAttribute(lambda o: f"{o.number}-mavsum")
    title_ru = factory.LazyAttribute(lambda o: f"Сезон {o.number}")
    title_en = factory.LazyAttribute(lambda o: f"Season {o.number}")
    application_opens = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=5))
    application_closes = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=10))
    programme_start = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=20))
    programme_end = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=120))

    @factory.post_generation
    def criteria(obj, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        for order, (name, weight) in enumerate([("Problem", 2), ("Solution", 2), ("Team", 1)]):
            ScoreCriterion.objects.create(season=obj, name=name, name_en=name, name_uz=name, weight=weight, order=order)


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application
        skip_postgeneration_save = True

    season = factory.SubFactory(SeasonFactory)
    applicant = factory.SubFactory(UserFactory)
    team_name = factory.Sequence(lambda n: f"Team {n}")
    project_title = factory.Sequence(lambda n: f"Project {n}")
    problem = "Farmers waste water."
    solution = "A soil sensor."
    industry = "agritech"
    stage = "prototype"
    pitch_deck = factory.LazyFunction(lambda: ContentFile(PDF_BYTES, name="deck.pdf"))
    status = Application.Status.DRAFT

    @factory.lazy_attribute
    def submitted_at(self):
        return None if self.status == Application.Status.DRAFT else timezone.now()

    @factory.post_generation
    def members(obj, create, extracted, **kwargs):
        if not create:
            return
        TeamMember.objects.create(application=obj, name=obj.applicant.full_name, role="Lead", email=obj.applicant.email)
        for i, email in enumerate(extracted or []):
            TeamMember.objects.create(application=obj, name=f"Member {i}", role="Dev", email=email)


class InvestorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Investor

    name = factory.Sequence(lambda n: f"Fund {n}")
    kind = "fund"


class StartupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Startup

    name = factory.Sequence(lambda n: f"Startup {n}")
    slug = factory.Sequence(lambda n: f"startup-{n}")
    one_line_pitch = "Pitch"
    one_line_pitch_en = "Pitch"
    industry = "agritech"
    stage = "mvp"
    season = factory.SubFactory(SeasonFactory)
    is_public = True


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    season = factory.SubFactory(SeasonFactory)
    name = factory.Sequence(lambda n: f"Participant {n}")
    email = factory.Sequence(lambda n: f"participant{n}@example.uz")


class ExchangeRateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExchangeRate

    currency = "USD"
    date = datetime.date(2025, 4, 18)
    rate_to_uzs = Decimal("12940.00")


class CompetitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Competition

    name = factory.Sequence(lambda n: f"Competition {n}")
    slug = factory.Sequence(lambda n: f"competition-{n}")
    kind = "competition"


def application_form_data(**extra) -> dict:
    """POST data of the application form with one team member (a draft save unless told)."""
    data = {
        "team_name": "Aqlli Bog'",
        "project_title": "Smart irrigation",
        "problem": "Water is wasted.",
        "solution": "Soil sensors.",
        "industry": "agritech",
        "stage": "prototype",
        "members-TOTAL_FORMS": "1",
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "1",
        "members-MAX_NUM_FORMS": "6",
        "members-0-name": "Aziza",
        "members-0-role": "Lead",
        "members-0-email": "aziza@example.uz",
        "action": "save",
    }
    data.update(extra)
    return data

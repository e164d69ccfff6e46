"""Content in three languages (issue 15, item 5): an Investor Day's venue, an investor's name and a
competition's organiser are stored in uz, ru and en, edited in the admin in the three languages and
shown in the page's language; uz-cyrl shows the Uzbek in Cyrillic."""

import datetime
import importlib
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from incubator.models import Competition, Investment, Investor, InvestorDay

from .factories import SeasonFactory, StartupFactory

pytestmark = pytest.mark.django_db

VENUE = {
    "uz": "Andijon yoshlar texnoparki, konferensiya zali",
    "ru": "Андижанский молодёжный технопарк, конференц-зал",
    "en": "Andijan Youth Technopark, conference hall",
}
AGENCY = {"uz": "Yoshlar ishlari agentligi", "ru": "Агентство по делам молодёжи", "en": "Youth Affairs Agency"}
MINISTRY = {"uz": "Ekologiya vazirligi", "ru": "Министерство экологии", "en": "Ministry of Ecology"}
ANGEL = "Farhod Yoʻldoshev"  # a person's name: the same in every language
PREFIX = {"uz": "", "ru": "/ru", "en": "/en"}


def tr(field, values):
    return {field: values["uz"], **{f"{field}_{lang}": value for lang, value in values.items()}}


@pytest.fixture
def day():
    organiser = Investor.objects.create(kind="government", **tr("name", AGENCY))
    ministry = Investor.objects.create(kind="government", **tr("name", MINISTRY))
    angel = Investor.objects.create(kind="angel", **tr("name", {"uz": ANGEL, "ru": ANGEL, "en": ANGEL}))
    day = InvestorDay.objects.create(
        date=datetime.date(2025, 4, 18),
        organiser=organiser,
        **tr("title", {"uz": "Investorlar kuni", "ru": "День инвесторов", "en": "Investor Day"}),
        **tr("venue", VENUE),
    )
    startup = StartupFactory(season=SeasonFactory())
    for investor in (organiser, ministry, angel):
        Investment.objects.create(
            startup=startup,
            investor=investor,
            amount=Decimal("1000000"),
            currency="UZS",
            date=day.date,
            kind="grant",
            investor_day=day,
            uzs_value=Decimal("1000000"),
        )
    return day


@pytest.mark.parametrize("lang", ["uz", "ru", "en"])
def test_investor_day_pages_show_venue_and_organisations_in_the_language(client, day, lang):
    others = [other for other in ("uz", "ru", "en") if other != lang]
    listing = client.get(f"{PREFIX[lang]}/innox/investor-days/").content.decode()
    detail = client.get(f"{PREFIX[lang]}/innox/investor-days/{day.pk}/").content.decode()
    for page in (listing, detail):
        assert VENUE[lang] in page and AGENCY[lang] in page
        for other in others:
            assert VENUE[other] not in page and AGENCY[other] not in page
    # the investments' table: every investor in the page's language, a person's name as written
    assert MINISTRY[lang] in detail and ANGEL in detail
    assert all(MINISTRY[other] not in detail for other in others)


def test_investor_day_page_in_uzbek_cyrillic_is_the_uzbek_transliterated(client, day):
    page = client.get(f"/uz-cyrl/innox/investor-days/{day.pk}/").content.decode()
    assert "Андижон ёшлар технопарки, конференция зали" in page
    assert "Ёшлар ишлари агентлиги" in page and "Экология вазирлиги" in page
    assert "Фарҳод Йўлдошев" in page  # a name is transliterated like the rest of the Uzbek text
    assert VENUE["uz"] not in page and VENUE["en"] not in page and AGENCY["ru"] not in page


def test_an_investor_named_only_in_uzbek_falls_back_to_it(client, day):
    Investor.objects.filter(pk=day.organiser_id).update(name_ru=None, name_en=None)
    InvestorDay.objects.filter(pk=day.pk).update(venue_ru="", venue_en="")
    page = client.get(f"/en/innox/investor-days/{day.pk}/").content.decode()
    assert AGENCY["uz"] in page and VENUE["uz"] in page


def _admin(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_admin_investor_day_form_has_the_three_languages_and_saves_them(client, day):
    _admin(client)
    url = f"/en/admin/incubator/investorday/{day.pk}/change/"
    form = client.get(url).content.decode()
    for lang in ("uz", "ru", "en"):
        assert f'name="venue_{lang}"' in form and f'name="title_{lang}"' in form
    assert 'name="venue"' not in form
    venue = {"uz": "Texnopark, 2-zal", "ru": "Технопарк, зал 2", "en": "Technopark, hall 2"}
    data = {
        "date": "2025-04-18",
        "organiser": day.organiser_id,
        **{f"title_{lang}": value for lang, value in {"uz": "Kun", "ru": "День", "en": "Day"}.items()},
        **{f"venue_{lang}": value for lang, value in venue.items()},
        **{f"description_{lang}": "" for lang in ("uz", "ru", "en")},
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    day.refresh_from_db()
    assert (day.venue_uz, day.venue_ru, day.venue_en) == (venue["uz"], venue["ru"], venue["en"])
    assert (day.title_uz, day.title_ru, day.title_en) == ("Kun", "День", "Day")


def test_admin_investor_form_saves_the_three_names(client):
    _admin(client)
    form = client.get("/en/admin/incubator/investor/add/").content.decode()
    assert all(f'name="name_{lang}"' in form for lang in ("uz", "ru", "en"))
    response = client.post(
        "/en/admin/incubator/investor/add/",
        {**{f"name_{lang}": value for lang, value in MINISTRY.items()}, "kind": "government", "website": ""},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    investor = Investor.objects.get(name_en=MINISTRY["en"])
    assert (investor.name_uz, investor.name_ru) == (MINISTRY["uz"], MINISTRY["ru"])


def test_admin_investors_named_only_in_uzbek_do_not_clash(client):
    """A name is unique in each language; the languages left empty are NULL, not a shared ""."""
    _admin(client)
    for name in ("Sardor Ismoilov", "Farhod Yoʻldoshev"):
        response = client.post(
            "/en/admin/incubator/investor/add/",
            {"name_uz": name, "name_ru": "", "name_en": "", "kind": "angel", "website": ""},
        )
        assert response.status_code == 302, response.content.decode()[:3000]
    assert list(Investor.objects.order_by("name_uz").values_list("name_uz", "name_ru", "name_en")) == [
        ("Farhod Yoʻldoshev", None, None),
        ("Sardor Ismoilov", None, None),
    ]


def test_admin_investor_needs_its_uzbek_name(client):
    _admin(client)
    response = client.post(
        "/en/admin/incubator/investor/add/",
        {"name_uz": "", "name_ru": "", "name_en": "Only English", "kind": "fund", "website": ""},
    )
    assert response.status_code == 200 and not Investor.objects.exists()


def test_admin_competition_form_has_the_organiser_in_three_languages(client):
    _admin(client)
    form = client.get("/en/admin/incubator/competition/add/").content.decode()
    assert all(f'name="organiser_{lang}"' in form for lang in ("uz", "ru", "en"))


def test_migration_copies_the_old_value_into_the_uzbek_column():
    """0009 moves what the untranslated columns held into the default language's column."""
    migration = importlib.import_module("incubator.migrations.0009_translated_venue_investor_organiser")
    organiser = Investor.objects.create(name="Youth Affairs Agency", kind="government")
    day = InvestorDay.objects.create(title="Day", date=datetime.date(2025, 4, 18), organiser=organiser)
    competition = Competition.objects.create(name="EcoExpo", slug="ecoexpo", kind="competition")
    # the rows as 0008 left them: only the untranslated columns (rewrite(False): "venue" is that column)
    Investor.objects.rewrite(False).filter(pk=organiser.pk).update(name_uz=None, name_ru=None, name_en=None)
    InvestorDay.objects.rewrite(False).filter(pk=day.pk).update(venue="Conference hall", venue_uz=None, venue_en=None)
    Competition.objects.rewrite(False).filter(pk=competition.pk).update(
        organiser="Ministry of Ecology", organiser_uz=None
    )

    state = MigrationLoader(connection).project_state(("incubator", "0009_translated_venue_investor_organiser"))
    migration.copy_into_default_language(state.apps, None)

    assert Investor.objects.filter(pk=organiser.pk).values_list("name_uz", "name_en").get() == (
        "Youth Affairs Agency",
        None,
    )
    assert InvestorDay.objects.filter(pk=day.pk).values_list("venue_uz", flat=True).get() == "Conference hall"
    assert Competition.objects.filter(pk=competition.pk).values_list("organiser_uz", flat=True).get() == (
        "Ministry of Ecology"
    )

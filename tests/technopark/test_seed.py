"""`manage.py seed_demo` loads the core demo data and is idempotent."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.core.management import call_command

from technopark import seed
from technopark.models import District, NewsArticle, User
from technopark.seed import DEMO_DIR, DEMO_PASSWORD, STAFF, YOUTH_EMAIL, youth_pool

PRESS_TOUR_AT = datetime.datetime(2025, 7, 16, 19, 30, tzinfo=ZoneInfo("Asia/Tashkent"))


def row_counts():
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


@pytest.mark.django_db
def test_seed_demo_twice_leaves_the_same_data():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    first = row_counts()
    news = NewsArticle.objects.get()
    first_news = (news.pk, news.title_uz, news.published_at)

    call_command("seed_demo", stdout=out)

    assert row_counts() == first
    assert District.objects.count() == 16
    news = NewsArticle.objects.get()
    assert (news.pk, news.title_uz, news.published_at) == first_news
    assert news.published_at == PRESS_TOUR_AT
    assert (news.title_uz, news.title_ru, news.title_en) == (
        "Andijon yoshlar texnoparkida press-tur oʻtkazildi",
        "В Андижанском молодёжном технопарке прошёл пресс-тур",
        "Press Tour Held at the Andijan Youth Technopark",
    )
    assert out.getvalue().count("core: 16 districts, 1 news, staff accounts") == 2


@pytest.mark.django_db
def test_core_seed_data():
    seed.run(stdout=io.StringIO())

    assert District.objects.count() == 16
    assert list(District.objects.filter(is_city=True).values_list("name_en", flat=True)) == [
        "Andijan city",
        "Xonobod city",
    ]
    assert District.objects.get(name_en="Asaka district").name_ru == "Асакинский район"

    news = NewsArticle.objects.get()
    assert news.slug == "press-tour-andijan-youth-technopark"
    assert news.published_at == PRESS_TOUR_AT
    assert news.title_en == "Press Tour Held at the Andijan Youth Technopark"
    assert news.title_uz == "Andijon yoshlar texnoparkida press-tur oʻtkazildi"
    assert news.title_ru == "В Андижанском молодёжном технопарке прошёл пресс-тур"
    assert news.title == news.title_uz
    for lang in ("uz", "ru", "en"):
        lines = (DEMO_DIR / f"press_release.{lang}.txt").read_text(encoding="utf-8").splitlines()
        assert getattr(news, f"lead_{lang}") == lines[3]
        assert getattr(news, f"body_{lang}").split("\n\n") == lines[4:]
    assert "8 300" in news.body_uz and "8 300" in news.body_ru and "8,300" in news.body_en

    staff = {u.email: u for u in User.objects.filter(email__in=[email for email, _n, _r in STAFF])}
    assert len(staff) == 8
    for email, _name, role in STAFF:
        person = staff[email]
        assert person.is_staff
        assert person.check_password(DEMO_PASSWORD)
        assert person.is_superuser is (role is None)
        assert list(person.groups.values_list("name", flat=True)) == ([role] if role else [])
    youth = User.objects.get(email=YOUTH_EMAIL)
    assert youth.check_password(DEMO_PASSWORD)
    assert not youth.is_staff
    assert youth.district.name_en == "Andijan city"
    # the demo account can enrol, apply and book without a confirmation mail first
    assert youth.email_confirmed


@pytest.mark.django_db
def test_the_press_release_is_the_first_article_on_the_news_page(client):
    seed.run(stdout=io.StringIO())
    content = client.get("/ru/news/").content.decode()
    assert "В Андижанском молодёжном технопарке прошёл пресс-тур" in content
    assert 'datetime="2025-07-16T19:30:00+05:00"' in content
    detail = client.get("/en/news/press-tour-andijan-youth-technopark/").content.decode()
    assert "<h1>Press Tour Held at the Andijan Youth Technopark</h1>" in detail
    assert "Cabinet of Ministers of the Republic of Uzbekistan No. 313 dated May 22, 2020" in detail


@pytest.mark.django_db
def test_youth_pool_is_stable_and_clean(districts):
    first = youth_pool(40, offset=10)
    again = youth_pool(40, offset=10)
    assert [u.pk for u in first] == [u.pk for u in again]
    assert User.objects.count() == 40
    assert [u.email for u in first][:2] == ["youth00010@demo.technopark.uz", "youth00011@demo.technopark.uz"]
    assert all(u.full_name == u.full_name.strip() and "  " not in u.full_name for u in first)
    assert all(not u.has_usable_password() for u in first)
    assert all(12 <= u.age_on(datetime.date(2025, 7, 1)) <= 28 for u in first)

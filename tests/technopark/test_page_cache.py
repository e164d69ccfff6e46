"""The whole-page cache for anonymous visitors (technopark/page_cache.py).

The pages are refreshed by a version per namespace, raised after commit by each app's
receivers. pytest-django runs each test in a transaction that is never committed, so writes
whose effect on the cache is tested go inside ``django_capture_on_commit_callbacks(execute=True)``:
leaving that block is the commit.
"""

import datetime

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from technopark import page_cache
from technopark.models import NewsArticle
from tests.fablab.factories import BookingFactory, EquipmentFactory
from tests.factories import PASSWORD, NewsArticleFactory, UserFactory
from tests.programs.factories import CourseFactory

pytestmark = pytest.mark.django_db


def test_second_anonymous_visit_is_served_from_the_cache_without_queries(client, django_assert_num_queries):
    NewsArticleFactory(title_uz="Birinchi yangilik")
    first = client.get(reverse("news_list"))
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get(reverse("news_list"))
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert "Birinchi yangilik" in second.content.decode()


def test_each_language_has_its_own_page(client):
    client.get("/about/")
    russian = client.get("/ru/about/")
    assert russian["X-Page-Cache"] == "miss"
    assert russian["Content-Language"] == "ru"


def test_a_committed_row_makes_the_pages_of_its_namespace_stale(client, django_capture_on_commit_callbacks):
    NewsArticleFactory(title_uz="Eski yangilik")
    client.get(reverse("news_list"))
    with django_capture_on_commit_callbacks(execute=True):
        NewsArticleFactory(title_uz="Yangi yangilik")
    response = client.get(reverse("news_list"))
    assert response["X-Page-Cache"] == "miss"
    assert "Yangi yangilik" in response.content.decode()


def test_the_version_is_raised_after_the_commit_not_before(client, django_capture_on_commit_callbacks):
    """Raised before the commit, another request could store the old page under the new version."""
    client.get(reverse("news_list"))
    with django_capture_on_commit_callbacks() as callbacks:
        with transaction.atomic():  # as a service writes
            NewsArticleFactory(title_uz="Hali saqlanmagan")
            NewsArticleFactory(title_uz="Yana biri")
        assert client.get(reverse("news_list"))["X-Page-Cache"] == "hit"
    assert len(callbacks) == 1  # two rows, one raise per transaction
    callbacks[0]()
    assert client.get(reverse("news_list"))["X-Page-Cache"] == "miss"


def test_a_refused_post_keeps_the_pages_cached(client, django_capture_on_commit_callbacks):
    client.get(reverse("news_list"))
    with django_capture_on_commit_callbacks(execute=True):
        refused = Client(enforce_csrf_checks=True).post(reverse("signup"), {"email": "x@example.uz"})
        wrong = Client().post(reverse("login"), {"username": "nobody@example.uz", "password": "wrong"})
    assert refused.status_code == 403
    assert wrong.status_code == 200
    assert client.get(reverse("news_list"))["X-Page-Cache"] == "hit"


def test_a_sign_in_keeps_the_pages_cached(client, django_capture_on_commit_callbacks):
    person = UserFactory()
    client.get(reverse("news_list"))
    client.get(reverse("home"))
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(reverse("login"), {"username": person.email, "password": PASSWORD})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.last_login is not None  # a row was saved, the session too
    assert client.get(reverse("news_list"))["X-Page-Cache"] == "hit"
    assert client.get(reverse("home"))["X-Page-Cache"] == "hit"


def test_a_change_to_a_course_refreshes_programme_pages_and_not_fablab_ones(client, django_capture_on_commit_callbacks):
    course = CourseFactory(title_en="Frontend basics")
    machine = EquipmentFactory()
    pages = {
        "programmes": "/en/programmes/",
        "course": f"/en/programmes/courses/{course.slug}/",
        "fablab": "/en/fablab/",
        "machine": f"/en/fablab/equipment/{machine.slug}/",
        "news": "/en/news/",
        "home": "/en/",
    }
    for path in pages.values():
        client.get(path)
    assert {name: client.get(path)["X-Page-Cache"] for name, path in pages.items()} == dict.fromkeys(pages, "hit")

    with django_capture_on_commit_callbacks(execute=True):
        course.title_en = "Frontend for beginners"
        course.save()

    states = {name: client.get(path)["X-Page-Cache"] for name, path in pages.items()}
    assert states == {
        "programmes": "miss",
        "course": "miss",
        "fablab": "hit",
        "machine": "hit",
        "news": "hit",
        "home": "miss",  # the home page shows every app's figures
    }
    assert "Frontend for beginners" in client.get(pages["course"]).content.decode()


def test_a_write_in_a_management_command_refreshes_the_pages(client, django_capture_on_commit_callbacks):
    yesterday = timezone.now() - datetime.timedelta(days=1)
    booking = BookingFactory(status="confirmed", start=yesterday, end=yesterday + datetime.timedelta(hours=1))
    machine_page = f"/en/fablab/equipment/{booking.equipment.slug}/"
    client.get(machine_page)
    assert client.get(machine_page)["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        call_command("fablab_complete_bookings", stdout=open("/dev/null", "w"))  # noqa: SIM115
    booking.refresh_from_db()
    assert booking.status == "completed"
    assert client.get(machine_page)["X-Page-Cache"] == "miss"


def test_an_admin_edit_refreshes_the_pages(client, admin_client, django_capture_on_commit_callbacks):
    article = NewsArticleFactory(title_uz="Admin oldin")
    client.get(reverse("news_list"))
    fields = ("slug", "title_uz", "title_ru", "title_en", "lead_uz", "lead_ru", "lead_en", "body_uz", "body_ru")
    data = {field: getattr(article, field) or "" for field in fields}
    data.update(
        title_uz="Admin keyin",
        body_uz=article.body_uz or "matn",
        published_at_0=timezone.localtime(article.published_at).strftime("%Y-%m-%d"),
        published_at_1=timezone.localtime(article.published_at).strftime("%H:%M:%S"),
        is_published="on",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("admin:technopark_newsarticle_change", args=[article.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    assert NewsArticle.objects.get(pk=article.pk).title_uz == "Admin keyin"
    page = client.get(reverse("news_list"))
    assert page["X-Page-Cache"] == "miss"
    assert "Admin keyin" in page.content.decode()


def test_cached_pages_carry_validators_and_public_cache_control(client, settings):
    settings.PAGE_CACHE_MAX_AGE = 45
    first = client.get("/en/news/")
    second = client.get("/en/news/")
    for response in (first, second):
        assert response["ETag"].startswith('"')
        assert response["Last-Modified"].endswith("GMT")
        assert sorted(part.strip() for part in response["Cache-Control"].split(",")) == ["max-age=45", "public"]
        assert "Cookie" in response["Vary"]
    assert second["ETag"] == first["ETag"]
    # The unprefixed Uzbek page is chosen by the path alone, and says which headers it varies on.
    assert {"Accept-Language", "Cookie"} <= {v.strip() for v in client.get("/news/")["Vary"].split(",")}


def test_conditional_requests_get_304_until_the_page_changes(client, django_capture_on_commit_callbacks):
    first = client.get("/en/news/")
    etag, last_modified = first["ETag"], first["Last-Modified"]
    not_modified = client.get("/en/news/", HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    assert not_modified["ETag"] == etag
    assert client.get("/en/news/", HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304

    with django_capture_on_commit_callbacks(execute=True):
        NewsArticleFactory(title_en="Fresh news", title_uz="Yangi")
    changed = client.get("/en/news/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert "Fresh news" in changed.content.decode()


def test_logged_in_people_are_never_served_a_cached_page(client, user):
    client.get(reverse("home"))  # an anonymous copy is stored
    client.force_login(user)
    response = client.get(reverse("home"))
    assert "X-Page-Cache" not in response
    assert "public" not in response.get("Cache-Control", "")
    assert user.full_name in response.content.decode() or reverse("dashboard") in response.content.decode()


def test_pages_with_a_csrf_form_are_not_stored(client):
    first = client.get(reverse("login"))
    assert "csrfmiddlewaretoken" in first.content.decode()
    assert "X-Page-Cache" not in first
    assert "X-Page-Cache" not in client.get(reverse("login"))


def test_a_page_whose_view_declares_nothing_is_not_stored(client, user):
    client.force_login(user)
    client.get(reverse("dashboard"))
    client.logout()
    response = client.get(reverse("robots_txt"))
    assert "X-Page-Cache" not in response


def test_every_app_watches_its_own_namespace():
    assert set(page_cache.NAMESPACES) == {"technopark", "programs", "incubator", "fablab"}
    assert page_cache.ROUTES["programs:course_detail"] == ("programs",)
    assert page_cache.ROUTES["fablab:equipment_detail"] == ("fablab",)


def test_the_cache_can_be_turned_off(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.get(reverse("about"))
    assert "X-Page-Cache" not in client.get(reverse("about"))


def test_a_cache_outage_serves_pages_uncached(client, monkeypatch):
    """Unit level; tests/infra stops a real Redis under gunicorn."""

    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    for method in ("get_many", "set", "set_many", "add"):
        monkeypatch.setattr(page_cache.cache, method, down, raising=False)
    NewsArticleFactory(title_uz="Kesh ishlamayapti")
    response = client.get(reverse("news_list"))
    assert response.status_code == 200
    assert "X-Page-Cache" not in response
    assert "Kesh ishlamayapti" in response.content.decode()
    page_cache.bump("technopark")  # a write during the outage does not fail either

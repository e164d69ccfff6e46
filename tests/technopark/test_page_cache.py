"""The whole-page cache for anonymous visitors (technopark/page_cache.py)."""

import pytest
from django.urls import reverse

from technopark.models import NewsArticle
from tests.factories import NewsArticleFactory

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


def test_a_saved_row_makes_cached_pages_stale(client):
    NewsArticleFactory(title_uz="Eski yangilik")
    client.get(reverse("news_list"))
    NewsArticleFactory(title_uz="Yangi yangilik")
    response = client.get(reverse("news_list"))
    assert response["X-Page-Cache"] == "miss"
    assert "Yangi yangilik" in response.content.decode()


def test_a_post_request_makes_cached_pages_stale(client):
    """Bulk writes send no signals; the POST that caused them still refreshes the pages."""
    client.get(reverse("news_list"))
    NewsArticle.objects.bulk_create([NewsArticle(title="Ommaviy", title_uz="Ommaviy", slug="ommaviy", body="x")])
    assert client.get(reverse("news_list"))["X-Page-Cache"] == "hit"
    client.post(reverse("login"), {"username": "nobody@example.uz", "password": "wrong"})
    response = client.get(reverse("news_list"))
    assert response["X-Page-Cache"] == "miss"
    assert "Ommaviy" in response.content.decode()


def test_logged_in_people_are_never_served_a_cached_page(client, user):
    client.get(reverse("home"))  # an anonymous copy is stored
    client.force_login(user)
    response = client.get(reverse("home"))
    assert "X-Page-Cache" not in response
    assert user.full_name in response.content.decode() or reverse("dashboard") in response.content.decode()


def test_pages_with_a_csrf_form_are_not_stored(client):
    first = client.get(reverse("login"))
    assert "csrfmiddlewaretoken" in first.content.decode()
    assert "X-Page-Cache" not in first
    assert "X-Page-Cache" not in client.get(reverse("login"))


def test_the_cache_can_be_turned_off(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.get(reverse("about"))
    assert "X-Page-Cache" not in client.get(reverse("about"))

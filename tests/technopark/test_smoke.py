import pytest
from django.urls import reverse

from tests.factories import NewsArticleFactory


@pytest.mark.django_db
def test_healthz_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_home_query_count_is_fixed(client, django_assert_num_queries, count):
    NewsArticleFactory.create_batch(count)
    with django_assert_num_queries(3):
        response = client.get(reverse("home"))
    assert response.status_code == 200

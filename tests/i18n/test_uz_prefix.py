"""/uz/... answers a permanent redirect to the unprefixed Uzbek address (issue 15, item 3)."""

import pytest


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ("/uz/", "/"),
        ("/uz", "/"),
        ("/uz/news/", "/news/"),
        ("/uz/programmes/?age=14&page=2", "/programmes/?age=14&page=2"),
        ("/uz/account/login/?next=/my/", "/account/login/?next=/my/"),
    ],
)
def test_uz_prefix_redirects_permanently(client, db, path, target):
    response = client.get(path)
    assert response.status_code == 301
    assert response["Location"] == target


def test_redirect_target_is_the_uzbek_page(client, db):
    response = client.get("/uz/about/", follow=True)
    assert response.redirect_chain == [("/about/", 301)]
    assert response.status_code == 200
    assert response.wsgi_request.LANGUAGE_CODE == "uz"


def test_post_keeps_its_method(client, db):
    response = client.post("/uz/search/", {"q": "x"})
    assert response.status_code == 308
    assert response["Location"] == "/search/"


@pytest.mark.parametrize("path", ["/uzbek/", "/ru/news/", "/news/uz/"])
def test_other_paths_are_not_redirected(client, db, path):
    response = client.get(path)
    assert response.status_code != 301

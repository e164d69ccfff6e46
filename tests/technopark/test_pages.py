"""Public pages: home, about, news, the language switcher, error pages and /healthz."""

import datetime
import re

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from impact.selectors import QUERIES_PER_COMPUTE
from technopark import views
from technopark.models import NewsArticle
from tests.factories import NewsArticleFactory


def switcher_links(response):
    """{language code: href} of the language menu."""
    content = response.content.decode()
    return dict(
        (code, href)
        for href, code in re.findall(r'<a class="dropdown-item[^"]*" href="([^"]*)" hreflang="([a-z-]+)"', content)
    )


# --- language switching ------------------------------------------------------------


@pytest.mark.django_db
def test_the_switcher_on_about_links_to_the_same_page_in_each_language(client):
    response = client.get("/about/")
    assert response.status_code == 200
    assert switcher_links(response) == {
        "uz": "/about/",
        "uz-cyrl": "/uz-cyrl/about/",
        "ru": "/ru/about/",
        "en": "/en/about/",
    }
    content = response.content.decode()
    assert '<html lang="uz">' in content
    assert "<h1>Texnopark haqida</h1>" in content

    ru = client.get(switcher_links(response)["ru"])
    ru_content = ru.content.decode()
    assert '<html lang="ru">' in ru_content
    assert "<h1>О технопарке</h1>" in ru_content
    assert "постановлением Кабинета Министров Республики Узбекистан № 313 от 22 мая 2020 года" in ru_content
    assert switcher_links(ru) == switcher_links(response)

    en = client.get(switcher_links(ru)["en"])
    en_content = en.content.decode()
    assert '<html lang="en">' in en_content
    assert "<h1>About the technopark</h1>" in en_content
    assert "No. 313 of 22 May 2020" in en_content

    uz = client.get(switcher_links(en)["uz"])
    assert "<h1>Texnopark haqida</h1>" in uz.content.decode()

    cyrillic = client.get(switcher_links(uz)["uz-cyrl"])
    assert '<html lang="uz-cyrl">' in cyrillic.content.decode()
    assert "<h1>Технопарк ҳақида</h1>" in cyrillic.content.decode()


@pytest.mark.django_db
def test_the_switcher_keeps_the_article_and_the_page_number(client):
    NewsArticleFactory(slug="robotics-club")
    article = client.get("/en/news/robotics-club/")
    assert switcher_links(article) == {
        "uz": "/news/robotics-club/",
        "uz-cyrl": "/uz-cyrl/news/robotics-club/",
        "ru": "/ru/news/robotics-club/",
        "en": "/en/news/robotics-club/",
    }
    listing = client.get("/ru/news/?page=1")
    assert switcher_links(listing) == {
        "uz": "/news/?page=1",
        "uz-cyrl": "/uz-cyrl/news/?page=1",
        "ru": "/ru/news/?page=1",
        "en": "/en/news/?page=1",
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "nav"),
    [
        ("/", ["Dasturlar", "FabLab", "Yangiliklar", "Biz haqimizda", "Natijalar", "Kirish", "Roʻyxatdan oʻtish"]),
        ("/ru/", ["Программы", "FabLab", "Новости", "О нас", "Результаты", "Войти", "Регистрация"]),
        ("/en/", ["Programmes", "FabLab", "News", "About", "Impact", "Log in", "Sign up"]),
    ],
)
def test_navigation_is_in_the_language_of_the_page(client, path, nav):
    content = client.get(path).content.decode()
    header = content[content.index("<header>") : content.index("</header>")]
    texts = [t.strip() for t in re.findall(r'class="(?:nav-link|btn [^"]*)" href="[^"]*">([^<]+)</a>', header)]
    assert texts == [nav[0], "InnoX", *nav[1:]]


# --- home and news -----------------------------------------------------------------


@pytest.mark.django_db
def test_home_shows_the_headline_figures_computed_from_the_records(client):
    from tests.factories import UserFactory

    UserFactory.create_batch(3)  # registered but took part in nothing: not counted
    content = client.get("/").content.decode()
    assert '<p class="figure-value mb-0" data-figure="people">0</p>' in content
    assert '<p class="figure-value mb-0" data-figure="startups">0</p>' in content
    russian = client.get("/ru/").content.decode()
    assert "молодых людей приняли участие" in russian


@pytest.mark.django_db
def test_home_shows_the_three_latest_published_articles(client):
    now = timezone.now()
    for day in range(1, 5):
        NewsArticleFactory(title_uz=f"Yangilik {day}", published_at=now - datetime.timedelta(days=day))
    NewsArticleFactory(title_uz="Qoralama", is_published=False)
    NewsArticleFactory(title_uz="Ertangi", published_at=now + datetime.timedelta(days=1))

    response = client.get("/")

    assert [a.title for a in response.context["latest_news"]] == ["Yangilik 1", "Yangilik 2", "Yangilik 3"]
    content = response.content.decode()
    assert "Yangilik 4" not in content
    assert "Qoralama" not in content
    assert "Ertangi" not in content
    assert "csrfmiddlewaretoken" not in content  # anonymous public pages carry nothing personal


@pytest.mark.django_db
def test_home_without_news_says_so(client):
    assert "Hozircha yangiliklar yoʻq." in client.get("/").content.decode()
    assert "Новостей пока нет." in client.get("/ru/").content.decode()


@pytest.mark.django_db
def test_news_list_is_paginated_newest_first(client):
    now = timezone.now()
    for n in range(12):
        NewsArticleFactory(title_en=f"Story {n:02d}", published_at=now - datetime.timedelta(hours=n + 1))

    first = client.get("/en/news/")
    second = client.get("/en/news/?page=2")

    assert [a.title for a in first.context["page_obj"]] == [f"Story {n:02d}" for n in range(10)]
    assert [a.title for a in second.context["page_obj"]] == ["Story 10", "Story 11"]
    assert "Page 1 of 2" in first.content.decode()
    assert "Page 2 of 2" in second.content.decode()


@pytest.mark.django_db
def test_news_detail_in_each_language(client):
    NewsArticleFactory(
        slug="investor-day",
        title_uz="Investorlar kuni",
        title_ru="День инвестора",
        title_en="Investor Day",
        lead_uz="Uchta startap investitsiya oldi.",
        lead_ru="Три стартапа получили инвестиции.",
        lead_en="Three startups raised investment.",
        body_uz="SpaceAgro va EduCompass 20 000 dollardan oldi.",
        body_ru="SpaceAgro и EduCompass получили по 20 000 долларов.",
        body_en="SpaceAgro and EduCompass raised $20,000 each.",
        published_at=datetime.datetime(2025, 4, 18, 10, 0, tzinfo=datetime.UTC),
    )
    for path, title, lead, body in [
        ("/news/investor-day/", "Investorlar kuni", "Uchta startap", "SpaceAgro va EduCompass"),
        ("/ru/news/investor-day/", "День инвестора", "Три стартапа", "SpaceAgro и EduCompass"),
        ("/en/news/investor-day/", "Investor Day", "Three startups", "raised $20,000 each"),
    ]:
        content = client.get(path).content.decode()
        assert f"<h1>{title}</h1>" in content
        assert f"<title>{title} · " in content
        assert lead in content
        assert body in content
        assert 'datetime="2025-04-18T15:00:00+05:00"' in content  # shown in Tashkent time


@pytest.mark.django_db
def test_unpublished_and_future_articles_are_not_found(client):
    NewsArticleFactory(slug="draft", is_published=False)
    NewsArticleFactory(slug="tomorrow", published_at=timezone.now() + datetime.timedelta(days=1))
    assert client.get("/news/draft/").status_code == 404
    assert client.get("/news/tomorrow/").status_code == 404
    assert list(client.get("/news/").context["page_obj"]) == []


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 5])
def test_home_query_count_does_not_grow_with_the_news(client, django_assert_num_queries, count):
    NewsArticleFactory.create_batch(count)
    # SAVEPOINT, the latest news, RELEASE SAVEPOINT (ATOMIC_REQUESTS), and the impact figures
    # (impact.selectors.QUERIES_PER_COMPUTE) on a cold cache
    with django_assert_num_queries(3 + QUERIES_PER_COMPUTE):
        response = client.get("/")
    assert len(response.context["latest_news"]) == min(count, 3)


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 5])
def test_news_list_query_count_does_not_grow_with_the_news(client, django_assert_num_queries, count):
    NewsArticleFactory.create_batch(count)
    # SAVEPOINT, COUNT for the paginator, the page of articles, RELEASE SAVEPOINT
    with django_assert_num_queries(4):
        response = client.get("/news/")
    assert len(response.context["page_obj"]) == count


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 5])
def test_news_detail_query_count(client, django_assert_num_queries, count):
    articles = NewsArticleFactory.create_batch(count)
    with django_assert_num_queries(3):
        response = client.get(articles[-1].get_absolute_url())
    assert response.context["article"] == articles[-1]


# --- error pages -------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "lang", "heading", "text"),
    [
        ("/no-such-page/", "uz", "Sahifa topilmadi", "Siz izlayotgan sahifa mavjud emas"),
        ("/ru/no-such-page/", "ru", "Страница не найдена", "Страница, которую вы ищете, не существует"),
        ("/en/no-such-page/", "en", "Page not found", "The page you are looking for does not exist"),
        ("/en/news/no-such-article/", "en", "Page not found", "The page you are looking for does not exist"),
    ],
)
def test_custom_404_page_in_each_language(client, path, lang, heading, text):
    response = client.get(path)
    assert response.status_code == 404
    content = response.content.decode()
    assert f'<html lang="{lang}">' in content
    assert f'<h1 class="h3 mb-3">{heading}</h1>' in content
    assert text in content
    assert 'class="navbar-brand' in content  # the site's own layout, not Django's plain page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lang", "heading", "text"),
    [
        ("uz", "Nimadir notoʻgʻri ketdi", "Bizning tomonimizda xatolik yuz berdi."),
        ("ru", "Что-то пошло не так", "На нашей стороне произошла ошибка."),
        ("en", "Something went wrong", "An error occurred on our side."),
    ],
)
def test_500_handler_renders_its_template(lang, heading, text):
    request = RequestFactory().get("/")
    with translation.override(lang):
        response = views.error_500(request)
    assert response.status_code == 500
    content = response.content.decode()
    assert f'<html lang="{lang}">' in content
    assert f'<h1 class="h3">{heading}</h1>' in content
    assert text in content


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("/account/signup/", "Shakl muddati oʻtgan yoki boshqa saytdan yuborilgan."),
        ("/ru/account/login/", "Срок действия формы истёк, или она была отправлена с другого сайта."),
        ("/en/account/password/reset/", "The form expired or was sent from another site."),
    ],
)
def test_a_post_without_csrf_token_gets_the_custom_403_page(path, text, districts):
    client = Client(enforce_csrf_checks=True)
    response = client.post(path, {"email": "someone@example.uz", "username": "someone@example.uz"})
    assert response.status_code == 403
    content = response.content.decode()
    assert text in content
    assert 'class="navbar-brand' in content


@pytest.mark.django_db
def test_403_handler_page(rf):
    with translation.override("ru"):
        response = views.error_403(rf.get("/ru/"))
    assert response.status_code == 403
    assert "У вас нет прав для просмотра этой страницы." in response.content.decode()


# --- health ------------------------------------------------------------------------


@pytest.mark.django_db
def test_healthz_reports_the_database(client, django_assert_num_queries):
    # SELECT 1 only: /healthz is outside ATOMIC_REQUESTS, which would need the database first
    with django_assert_num_queries(1):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_only_answers_get(client):
    assert client.post("/healthz").status_code == 405


def test_public_urls_are_translated_by_prefix():
    with translation.override("ru"):
        assert reverse("news_list") == "/ru/news/"
    with translation.override("uz"):
        assert reverse("news_list") == "/news/"
    assert NewsArticle._meta.ordering == ["-published_at", "-id"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/uz-cyrl/", "/ru/", "/en/"])
def test_the_switcher_names_each_language_in_itself(client, path):
    content = client.get(path).content.decode()
    names = re.findall(r'hreflang="[a-z-]+" lang="([a-z-]+)">([^<]+)</a>', content)
    # Uzbek in both scripts side by side, as government sites offer it
    assert names == [("uz", "Oʻzbekcha"), ("uz-cyrl", "Ўзбекча"), ("ru", "Русский"), ("en", "English")]

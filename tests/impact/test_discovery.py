"""Site search, sitemap.xml, robots.txt, news feeds and Open Graph tags."""

import xml.etree.ElementTree as ET

import pytest

from technopark.search import highlight
from tests.factories import NewsArticleFactory


@pytest.fixture
def news(db):
    return NewsArticleFactory(
        slug="press-tour",
        title="Texnoparkda press-tur",
        title_uz="Texnoparkda press-tur",
        title_ru="Пресс-тур в технопарке",
        title_en="Press tour at the technopark",
        lead="Yoshlar texnoparki",
        lead_uz="Yoshlar texnoparki <b>jurnalistlar</b> uchun",
        lead_ru="Молодёжный технопарк для журналистов",
        lead_en="The youth technopark welcomed journalists",
        body="Robototexnika",
        body_uz="Robototexnika & <script>alert(1)</script> dasturlash",
        body_ru="Робототехника и программирование",
        body_en="Robotics and programming",
    )


def results(response):
    return response.context["results"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("prefix", "query", "title"),
    [
        ("", "texnopark", "Texnoparkda press-tur"),
        ("/ru", "технопарки", "Пресс-тур в технопарке"),  # Russian stemming
        ("/en", "journalist", "Press tour at the technopark"),  # English stemming
        ("/en", "progr", "Press tour at the technopark"),  # prefix of a word
    ],
)
def test_search_finds_news_in_the_current_language(client, news, prefix, query, title):
    response = client.get(f"{prefix}/search/", {"q": query})
    assert [(r.kind.key, r.title, r.url) for r in results(response)] == [("news", title, f"{prefix}/news/press-tour/")]


@pytest.mark.django_db
def test_search_ignores_other_languages_and_unpublished(client, news):
    assert results(client.get("/en/search/", {"q": "texnoparkda"})) == []
    NewsArticleFactory(title_en="Draft robots", is_published=False)
    assert [r.title for r in results(client.get("/en/search/", {"q": "robotics"}))] == ["Press tour at the technopark"]


@pytest.mark.django_db
def test_search_highlights_matches_and_escapes_the_rest(client, news):
    response = client.get("/search/", {"q": "dasturlash"})
    html = response.content.decode()
    headline = str(results(response)[0].headline)
    assert "<mark>dasturlash</mark>" in headline
    assert "<mark>dasturlash</mark>" in html
    assert "alert(1)" in headline and "<script>" not in headline  # ts_headline drops tags
    assert "&amp;" in headline and "<" not in headline.replace("<mark>", "").replace("</mark>", "")
    assert highlight("a <b> \ue000x\ue001") == "a &lt;b&gt; <mark>x</mark>"


@pytest.mark.django_db
def test_search_without_words_and_with_tsquery_syntax(client, news):
    response = client.get("/en/search/", {"q": "  !!& | :* "})
    assert response.status_code == 200
    assert "Type a word of at least one letter or digit." in response.content.decode()
    response = client.get("/en/search/", {"q": "robot & | !"})
    assert [r.title for r in results(response)] == ["Press tour at the technopark"]


@pytest.mark.django_db
def test_search_kind_filter(client, news):
    assert results(client.get("/en/search/", {"q": "robotics", "kind": "startups"})) == []
    assert len(results(client.get("/en/search/", {"q": "robotics", "kind": "news"}))) == 1
    # An unknown kind means every kind.
    assert len(results(client.get("/en/search/", {"q": "robotics", "kind": "bogus"}))) == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("prefix", "word"),
    [("", "tomchilatib"), ("/ru", "орошение"), ("/en", "irrigation")],
)
def test_search_finds_a_startup_by_a_word_of_its_description(client, dataset, prefix, word):
    response = client.get(f"{prefix}/search/", {"q": word})
    found = [(r.kind.key, r.title, r.url) for r in results(response)]
    assert found == [("startups", "AgroSmart", f"{prefix}/innox/startups/agrosmart/")]
    assert "<mark>" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 13])
def test_search_query_count_is_fixed(client, db, django_assert_num_queries, count):
    for i in range(count):
        NewsArticleFactory(title_en=f"Robotics news {i}", body_en="robotics")
    # count + page + the page's highlights + SAVEPOINT/RELEASE, whatever the number of kinds and results
    with django_assert_num_queries(5):
        response = client.get("/en/search/", {"q": "robotics"})
    assert response.context["page_obj"].paginator.count == count
    assert len(results(response)) == min(count, 10)


@pytest.mark.django_db
def test_sitemap_lists_pages_in_every_language(client, news, dataset):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = {el.text for el in ET.fromstring(response.content).findall("s:url/s:loc", ns)}
    for path in [
        "/",
        "/ru/",
        "/en/",
        "/news/press-tour/",
        "/ru/news/press-tour/",
        "/en/impact/",
        "/innox/startups/agrosmart/",
        "/en/fablab/equipment/m0/",
        "/ru/fablab/solutions/s1/",
    ]:
        assert f"http://testserver{path}" in locs, path
    assert "http://testserver/innox/startups/edunext/" in locs


@pytest.mark.django_db
def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Disallow: /admin/" in text
    assert "Disallow: /ru/my/" in text


@pytest.mark.django_db
def test_rss_and_atom_feeds_of_news(client, news):
    rss = ET.fromstring(client.get("/ru/news/feed/rss/").content)
    assert [i.findtext("title") for i in rss.iter("item")] == ["Пресс-тур в технопарке"]
    assert rss.find("channel").findtext("language") == "ru"
    atom = client.get("/en/news/feed/atom/")
    assert atom["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(atom.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert [e.findtext("a:title", namespaces=ns) for e in root.findall("a:entry", ns)] == [
        "Press tour at the technopark"
    ]


@pytest.mark.django_db
def test_open_graph_tags_of_a_news_article(client, news, settings):
    settings.SITE_URL = "https://technopark.example"
    html = client.get("/en/news/press-tour/").content.decode()
    assert '<meta property="og:title" content="Press tour at the technopark">' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:description" content="The youth technopark welcomed journalists">' in html
    assert '<meta property="og:image" content="https://technopark.example/static/img/og-default.png">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert '<meta property="og:locale" content="en_US">' in html
    assert 'type="application/rss+xml"' in html


@pytest.mark.django_db
def test_header_has_a_search_form(client):
    html = client.get("/ru/").content.decode()
    assert 'action="/ru/search/"' in html
    assert 'name="q"' in html


# --- Odd input on the search page ----------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("params", [{}, {"q": ""}, {"q": "   "}, {"q": "!?…—«»,.;:()[]{}<>&|*_'\"\\/"}, {"q": "___"}])
def test_search_without_a_word_asks_for_one(client, news, params):
    response = client.get("/en/search/", params)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="search-count"' not in html and "search-results" not in html
    expected = "Type a word of at least one letter or digit." if params.get("q", "").strip() else "Search courses"
    assert expected in html


@pytest.mark.django_db
def test_search_with_a_500_character_query(client, news):
    text = "robotics " + "x" * 491
    response = client.get("/en/search/", {"q": text})
    assert response.status_code == 200
    assert response.context["q"] == text[:200]  # cut to the input's maxlength
    assert response.context["page_obj"].paginator.count == 0  # robotics AND xxxx…: nothing has both
    many_words = " ".join(["robot"] * 100)  # 500 characters, only the first 8 words are used
    assert [r.title for r in results(client.get("/en/search/", {"q": many_words}))] == ["Press tour at the technopark"]


@pytest.mark.django_db
@pytest.mark.parametrize(("page", "shown"), [("999", 2), ("-1", 2), ("abc", 1), ("0", 2), ("9" * 30, 2)])
def test_search_page_out_of_range_shows_a_real_page(client, db, page, shown):
    for i in range(13):
        NewsArticleFactory(title_en=f"Robotics news {i}", body_en="robotics")
    response = client.get("/en/search/", {"q": "robotics", "page": page})
    assert response.status_code == 200
    assert response.context["page_obj"].number == shown
    assert len(results(response)) == (3 if shown == 2 else 10)


# --- Sitemap, Open Graph ----------------------------------------------------------------------

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


@pytest.mark.django_db
def test_sitemap_has_every_kind_of_detail_page_in_three_languages_with_alternates(client, news, dataset):
    root = ET.fromstring(client.get("/sitemap.xml").content)
    entries = {
        url.findtext("s:loc", namespaces=SITEMAP_NS): {
            link.get("hreflang"): link.get("href") for link in url.findall("x:link", SITEMAP_NS)
        }
        for url in root.findall("s:url", SITEMAP_NS)
    }
    for path in [
        "/programmes/courses/web-1/",
        "/innox/startups/agrosmart/",
        "/fablab/equipment/m0/",
        "/fablab/solutions/s0/",
        "/news/press-tour/",
    ]:
        alternates = {
            "uz": f"http://testserver{path}",
            "uz-Cyrl": f"http://testserver/uz-cyrl{path}",
            "ru": f"http://testserver/ru{path}",
            "en": f"http://testserver/en{path}",
            "x-default": f"http://testserver{path}",
        }
        for lang in ("uz", "uz-Cyrl", "ru", "en"):
            loc = alternates[lang]
            assert entries.get(loc) == alternates, loc


def png_upload(name="cover.png"):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "#0b5ed7").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.mark.django_db
def test_open_graph_image_of_a_news_article_is_its_cover(client, news, settings):
    settings.SITE_URL = "https://technopark.example"
    news.cover = png_upload()
    news.save()
    html = client.get("/ru/news/press-tour/").content.decode()
    url = f"https://technopark.example{news.cover.url}"
    assert f'<meta property="og:image" content="{url}">' in html
    assert f'<meta name="twitter:image" content="{url}">' in html
    assert '<meta property="og:title" content="Пресс-тур в технопарке">' in html


@pytest.mark.django_db
def test_open_graph_of_a_startup_page_uses_its_logo(client, dataset, settings):
    settings.SITE_URL = "https://technopark.example"
    startup = dataset["agro"]
    startup.is_public = True
    startup.logo = png_upload("logo.png")
    startup.save()
    html = client.get("/en/innox/startups/agrosmart/").content.decode()
    assert '<meta property="og:title" content="AgroSmart">' in html
    assert f'<meta property="og:image" content="https://technopark.example{startup.logo.url}">' in html


@pytest.mark.django_db
def test_open_graph_of_an_equipment_page_uses_its_photo(client, dataset, settings):
    settings.SITE_URL = "https://technopark.example"
    machine = dataset["machines"][0]
    machine.photo = png_upload("printer.png")
    machine.save()
    html = client.get("/en/fablab/equipment/m0/").content.decode()
    assert '<meta property="og:title" content="Printer 0 (en)">' in html
    assert f'<meta property="og:image" content="https://technopark.example{machine.photo.url}">' in html

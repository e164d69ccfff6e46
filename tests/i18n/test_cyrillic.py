"""Ўзбекча (uz-cyrl at /uz-cyrl/): the interface from the generated catalogues, the content
transliterated at render time, staff overrides, messages, sign-up and profile, sitemap, page
cache (issue 15, item 6)."""

import datetime
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import formats, translation

from notifications.services import render_message
from technopark.models import TransliterationOverride
from technopark.transliteration import transliterate, transliterate_html
from tests.factories import NewsArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.DOTALL)


def _h1(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", H1.search(response.content.decode()).group(1)).split())


def test_uz_cyrl_is_a_site_language_beside_the_latin():
    codes = [code for code, _name in settings.LANGUAGES]
    assert codes[:2] == ["uz", "uz-cyrl"]
    assert dict(settings.LANGUAGES)["uz-cyrl"] == "Ўзбекча"
    assert translation.to_locale("uz-cyrl") == "uz_Cyrl"
    # no content columns for it: modeltranslation keeps three languages
    assert tuple(settings.MODELTRANSLATION_LANGUAGES) == ("uz", "ru", "en")


def test_modeltranslation_reads_the_uzbek_latin_value_for_uz_cyrl():
    from modeltranslation.utils import get_language

    article = NewsArticleFactory(title_uz="Yoshlar texnoparki yangiligi", title_ru="Новость технопарка")
    with translation.override("uz-cyrl"):
        assert get_language() == "uz"
        article.refresh_from_db()
        assert article.title == "Yoshlar texnoparki yangiligi"
    with translation.override("ru"):
        article.refresh_from_db()
        assert article.title == "Новость технопарка"


def test_interface_formats_and_plurals_in_cyrillic():
    with translation.override("uz-cyrl"):
        assert translation.gettext("Log in") == "Кириш"
        assert translation.gettext("This field is required.") == "Ушбу майдон тўлдирилиши шарт."  # Django's own
        assert formats.date_format(datetime.date(2026, 11, 30)) == "2026-йил 30-ноябрь"
        assert formats.date_format(datetime.datetime(2026, 9, 1, 15, 0), "DATETIME_FORMAT") == (
            "2026-йил 1-сентябрь, 15:00"
        )
        one = translation.ngettext("%(counter)s result", "%(counter)s results", 1) % {"counter": 1}
        many = translation.ngettext("%(counter)s result", "%(counter)s results", 5) % {"counter": 5}
    assert (one, many) == ("1 та натижа", "5 та натижа")  # nplurals=1, as in uz


def test_a_page_in_cyrillic_with_its_content_transliterated(client):
    NewsArticleFactory(title_uz="Yoshlar texnoparkida yangi oʻquv yili", slug="yangi-yil")
    response = client.get("/uz-cyrl/news/")
    assert response.status_code == 200
    assert response["Content-Language"] == "uz-cyrl"
    page = response.content.decode()
    assert '<html lang="uz-cyrl">' in page
    assert "Ёшлар технопаркида янги ўқув йили" in page
    assert "Yoshlar texnoparkida" not in page
    assert 'href="/uz-cyrl/news/yangi-yil/"' in page  # addresses untouched
    assert re.search(r"[А-Яа-яЎўҚқҒғҲҳ]", _h1(response))
    assert not re.search(r"[A-Za-z]", _h1(response))
    # the switcher names Uzbek in both scripts, each in itself
    assert re.search(r'lang="uz">Oʻzbekcha</a>', page)
    assert re.search(r'lang="uz-cyrl">Ўзбекча</a>', page)


def test_russian_and_latin_pages_are_untouched(client):
    NewsArticleFactory(title_uz="Yoshlar texnoparkida yangi oʻquv yili", title_ru="Новый учебный год")
    assert "Yoshlar texnoparkida yangi oʻquv yili" in client.get("/news/").content.decode()
    assert "Новый учебный год" in client.get("/ru/news/").content.decode()


@pytest.mark.parametrize("path", ["/uz-cyrl/", "/uz-cyrl/news/", "/uz-cyrl/about/"])
def test_the_uz_prefix_redirect_does_not_catch_uz_cyrl(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.wsgi_request.LANGUAGE_CODE == "uz-cyrl"


def test_uz_cyrl_without_its_slash_goes_to_the_cyrillic_home(client):
    response = client.get("/uz-cyrl", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/uz-cyrl/"


def test_html_transliteration_leaves_code_forms_addresses_and_other_languages_alone():
    document = (
        '<html lang="uz-cyrl"><head><title>Yangiliklar</title>'
        '<meta name="description" content="Andijon yoshlar texnoparki">'
        '<meta property="og:url" content="https://technopark.uz/uz-cyrl/news/">'
        "<style>.yangi{color:red}</style><script>var matn = 'Salom';</script></head><body>"
        '<h1 title="Bosh sahifa">Bosh sahifa</h1>'
        '<img src="/media/yangi.png" alt="Yangi bino">'
        '<input name="q" value="Salom dunyo" placeholder="Qidirish" aria-label="Qidiruv">'
        '<input type="submit" value="Yuborish">'
        "<textarea name=matn>Salom dunyo</textarea>"
        "<pre>pip install yangi</pre><p>Buyruq: <code>manage.py seed_demo</code></p>"
        '<a href="/uz-cyrl/kurslar/" lang="uz">Oʻzbekcha</a> <span lang="en">English <b>text</b></span>'
        "<p>Savollar: info@technopark.uz, https://t.me/technopark &amp; O&#x27;zbekiston</p>"
        "<p>Курс для молодёжи</p><!-- izoh --></body></html>"
    )
    result = transliterate_html(document, overrides=None)
    assert "<title>Янгиликлар</title>" in result
    assert 'content="Андижон ёшлар технопарки"' in result
    assert 'content="https://technopark.uz/uz-cyrl/news/"' in result
    assert "<style>.yangi{color:red}</style><script>var matn = 'Salom';</script>" in result
    assert '<h1 title="Бош саҳифа">Бош саҳифа</h1>' in result
    assert 'src="/media/yangi.png" alt="Янги бино"' in result
    assert 'value="Salom dunyo" placeholder="Қидириш" aria-label="Қидирув"' in result
    assert '<input type="submit" value="Юбориш">' in result
    assert "<textarea name=matn>Salom dunyo</textarea>" in result
    assert "<pre>pip install yangi</pre><p>Буйруқ: <code>manage.py seed_demo</code></p>" in result
    assert '<a href="/uz-cyrl/kurslar/" lang="uz">Oʻzbekcha</a>' in result
    assert '<span lang="en">English <b>text</b></span>' in result
    assert "Саволлар: info@technopark.uz, https://t.me/technopark &amp; Ўзбекистон" in result
    assert "<p>Курс для молодёжи</p><!-- izoh -->" in result


def test_a_staff_override_wins_over_the_rules_and_empties_the_page_cache(client, django_capture_on_commit_callbacks):
    NewsArticleFactory(title_uz="FabLab ustaxonasida sirka tayyorlash", slug="fablab")
    first = client.get("/uz-cyrl/news/")
    assert "FabLab устахонасида сирка тайёрлаш" in first.content.decode()
    assert client.get("/uz-cyrl/news/")["X-Page-Cache"] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        TransliterationOverride.objects.create(latin="FabLab", cyrillic="ФабЛаб")
        # an interface word, which arrives already in Cyrillic from the catalogues
        TransliterationOverride.objects.create(latin="Yangiliklar", cyrillic="Хабарлар")
    response = client.get("/uz-cyrl/news/")
    assert response["X-Page-Cache"] == "miss"
    page = response.content.decode()
    assert "ФабЛаб устахонасида сирка тайёрлаш" in page
    assert "Хабарлар" in page and "Янгиликлар" not in page
    # the Latin page is not affected
    assert "FabLab ustaxonasida" in client.get("/news/").content.decode()


def test_override_keeps_whole_words_and_case():
    TransliterationOverride.objects.create(latin="o'quv", cyrillic="ўқув")  # folded when saved
    assert TransliterationOverride.objects.get().latin == "oʻquv"
    TransliterationOverride.objects.create(latin="sirk", cyrillic="цирк")
    assert transliterate("Oʻquv markazi, sirka va sirk") == "Ўқув маркази, сирка ва цирк"


def test_messages_follow_the_persons_cyrillic(db):
    person = UserFactory(full_name="Aziza Abdullayeva", preferred_language="uz-cyrl")
    message = render_message(
        "registration/messages/confirm_email",
        {"person": person},
        "uz-cyrl",
        link=("confirm_email", {"token": "abc-123"}),
    )
    assert not re.search(r"[A-Za-z]", message["subject"])
    assert "Азиза Абдуллаева" in message["text"]
    assert "/uz-cyrl/account/confirm/abc-123/" in message["text"]
    assert "InnoX" in message["text"] and "FabLab" in message["text"]
    assert "Азиза Абдуллаева" in message["html"]
    assert 'href="' + message["url"] in message["html"] or "/uz-cyrl/account/confirm/abc-123/" in message["html"]


def test_sign_up_and_profile_offer_uzbek_in_cyrillic(client):
    page = client.get("/uz-cyrl/account/signup/").content.decode()
    assert re.search(r'<option value="uz-cyrl" selected>Ўзбекча</option>', page)
    assert '<option value="uz">' in page
    person = UserFactory(preferred_language="uz")
    client.force_login(person)
    url = reverse("profile")
    form = client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data["preferred_language"] = "uz-cyrl"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    person.refresh_from_db()
    assert person.preferred_language == "uz-cyrl"


def test_sitemap_alternates_name_the_script(client):
    NewsArticleFactory(slug="yangilik")
    xml = client.get("/sitemap.xml").content.decode()
    assert 'hreflang="uz-Cyrl"' in xml
    assert "/uz-cyrl/news/yangilik/" in xml
    assert 'hreflang="uz-cyrl"' not in xml


def test_the_page_cache_keeps_each_language_apart(client):
    NewsArticleFactory(title_uz="Yangi kurslar", slug="kurslar")
    assert client.get("/news/")["X-Page-Cache"] == "miss"
    cyrillic = client.get("/uz-cyrl/news/")
    assert cyrillic["X-Page-Cache"] == "miss"
    again = client.get("/uz-cyrl/news/")
    assert again["X-Page-Cache"] == "hit"
    assert "Янги курслар" in again.content.decode()
    assert "Yangi kurslar" in client.get("/news/").content.decode()

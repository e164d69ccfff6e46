"""Uzbek typed in Cyrillic finds the content stored in Latin: the site search (technopark.search,
in uz and uz-cyrl) and every admin search box (technopark.admin_site), on the demo data.

technopark.transliteration.cyrillic_to_latin reads the 1995 correspondence backwards; the word
list of test_transliteration.py is read back to its Latin.
"""

import json

import pytest
from django.contrib import admin
from django.core.cache import cache
from django.utils import translation

from technopark.admin_site import CyrillicSearchMixin
from technopark.search import build_query, query_words
from technopark.text import OKINA, TUTUQ, latin_to_cyrillic
from technopark.transliteration import cyrillic_to_latin

from .test_transliteration import WORDS

# Latin spellings that the Cyrillic cannot tell apart: цирк is sirk (and tsirk), цех is sex (and
# tsex); потенциал is potensial as well as potentsial.
AMBIGUOUS = {"tsirk", "tsex", "potentsial"}
READ_BACK = [(latin, cyrillic) for latin, cyrillic in WORDS if latin not in AMBIGUOUS]


@pytest.mark.parametrize(("latin", "cyrillic"), READ_BACK, ids=[w for w, _ in READ_BACK])
def test_the_word_list_reads_back_to_its_latin(latin, cyrillic):
    assert cyrillic_to_latin(cyrillic) == latin
    assert cyrillic_to_latin(latin_to_cyrillic(latin)) == latin


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        ("робототехника", "robototexnika"),
        ("Веб дастурлаш", "Veb dasturlash"),
        ("Веб-дастурлаш ва робототехника, 1-сентябрдан", "Veb-dasturlash va robototexnika, 1-sentabrdan"),
        ("Ўзбекистон", "O\u02bbzbekiston"),
        ("ЎЗБЕКИСТОН ШАҲАР", "O\u02bbZBEKISTON SHAHAR"),
        ("Фарғона", "Farg\u02bbona"),
        ("маълумотлар таҳлили", "ma\u02bclumotlar tahlili"),
        ("Исҳоқ", "Is\u02bchoq"),  # сҳ is not ш
        ("объект", "obyekt"),
        ("компьютер", "kompyuter"),
        ("батальон", "batalyon"),
        ("Абдуллаева", "Abdullayeva"),
        ("ер", "yer"),
        ("поэзия", "poeziya"),
        ("милиция", "militsiya"),
        ("функция", "funksiya"),
        ("ЦИРК", "SIRK"),
        ("концертлар", "konsertlar"),
        ("SMM\u02bcдан", "SMM\u02bcdan"),  # a suffix glued to a Latin name
        ("Хонобод шаҳри, 7-сон", "Xonobod shahri, 7-son"),
    ],
)
def test_cyrillic_to_latin(cyrillic, latin):
    assert cyrillic_to_latin(cyrillic) == latin


def test_latin_digits_and_punctuation_are_left_alone():
    for text in ["", "Python va Django", "oʻquv markazi", "2026-yil 15:00", "info@technopark.uz", "IT"]:
        assert cyrillic_to_latin(text) == text
    once = cyrillic_to_latin("Андижон ёшлар технопарки")
    assert once == "Andijon yoshlar texnoparki" and cyrillic_to_latin(once) == once
    assert set(cyrillic_to_latin("ўғъ")) <= set("og" + OKINA + TUTUQ)


def test_query_words_read_cyrillic_as_latin_in_uzbek_only():
    assert query_words("Веб ДАСТУРЛАШ", "uz") == ["veb", "dasturlash"]
    assert query_words("ўқув маъно", "uz-cyrl") == ["oʻquv", "maʻno"]  # ʼ folded to ʻ, as the vectors are
    assert query_words("робототехника", "ru") == ["робототехника"]
    with translation.override("uz-cyrl"):
        assert query_words("робототехника") == ["robototexnika"]
    assert build_query("робот kurs", "uz").source_expressions[1].value == "(робот:* | robot:*) & kurs:*"
    assert build_query("робот", "ru").source_expressions[1].value == "робот:*"


# --- The site search, on the demo data ---------------------------------------------------------


def found(client, path, q):
    cache.clear()  # the anonymous page cache must not answer from another test
    response = client.get(path, {"q": q})
    assert response.status_code == 200
    return response, [(r.kind.key, r.key) for r in response.context["results"] or []]


@pytest.mark.parametrize("prefix", ["/uz-cyrl", ""])
def test_site_search_finds_latin_content_typed_in_cyrillic(client, demo_data, prefix):
    _response, results = found(client, f"{prefix}/search/", "робототехника")
    assert ("courses", "robotics-lego") in results  # LEGO robototexnikasi
    assert ("solutions", "laser-cut-robotics-kit") in results  # Lazerda kesilgan robototexnika toʻplami
    _response, results = found(client, f"{prefix}/search/", "Веб дастурлаш")
    assert ("courses", "mobile-android-kotlin") in results  # Kotlin bilan Android dasturlash
    assert ("courses", "web-react") in results  # React bilan zamonaviy veb-ilovalar
    _response, results = found(client, f"{prefix}/search/", "маълумотлар таҳлили")
    assert results[0] == ("courses", "data-excel-sql")  # Excel va SQL bilan maʼlumotlar tahlili
    _response, results = found(client, f"{prefix}/search/", "ўқитиш")
    assert ("courses", "ai-python-ml") in results  # Python va mashinali oʻqitish asoslari


def test_the_same_results_as_the_latin_query(client, demo_data):
    _response, cyrillic = found(client, "/uz-cyrl/search/", "Андижон ёшлар")
    _response, latin = found(client, "/uz-cyrl/search/", "Andijon yoshlar")
    assert cyrillic == latin and cyrillic


def test_the_cyrillic_page_shows_the_results_in_cyrillic_with_the_query_as_typed(client, demo_data):
    response, _results = found(client, "/uz-cyrl/search/", "робототехника")
    page = response.content.decode()
    assert "LEGO робототехникаси" in page
    assert "<mark>" in page
    assert 'value="робототехника"' in page


def test_russian_is_searched_as_typed(client, demo_data):
    _response, results = found(client, "/ru/search/", "робототехника")
    assert ("courses", "robotics-lego") in results  # Робототехника LEGO
    _response, results = found(client, "/ru/search/", "Веб дастурлаш")
    assert results == []  # Uzbek words are not in the Russian texts, and are not read as Latin there


# --- The admin's search boxes --------------------------------------------------------------------


def test_every_registered_admin_reads_cyrillic():
    assert admin.site._registry
    for model, model_admin in admin.site._registry.items():
        assert isinstance(model_admin, CyrillicSearchMixin), model


@pytest.fixture
def superuser_client(client, demo_data):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(email="admin@technopark.uz"))
    return client


def changelist(client, path, q):
    response = client.get(path, {"q": q})
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


def test_admin_changelists_find_latin_content_typed_in_cyrillic(superuser_client):
    courses = changelist(superuser_client, "/uz-cyrl/admin/programs/course/", "робототехникаси")
    assert [c.slug for c in courses] == ["robotics-lego"]
    directions = changelist(superuser_client, "/uz-cyrl/admin/programs/direction/", "Веб дастурлаш")
    assert [d.name_uz for d in directions] == ["Veb dasturlash"]
    people = changelist(superuser_client, "/uz-cyrl/admin/technopark/user/", "Дилноза Абдуллаева")
    assert people and all(p.full_name == "Dilnoza Abdullayeva" for p in people)
    # the Latin admin too: the keyboard, not the page, decides the script
    assert [c.slug for c in changelist(superuser_client, "/admin/programs/course/", "робототехникаси")] == [
        "robotics-lego"
    ]


def test_admin_search_still_finds_cyrillic_as_typed(superuser_client):
    courses = changelist(superuser_client, "/ru/admin/programs/course/", "Робототехника LEGO")
    assert [c.slug for c in courses] == ["robotics-lego"]  # title_ru, matched as typed
    assert changelist(superuser_client, "/uz-cyrl/admin/programs/course/", "қўнғироқ") == []


def test_admin_autocomplete_finds_latin_content_typed_in_cyrillic(superuser_client):
    params = {"app_label": "programs", "model_name": "masterclass", "field_name": "host_school"}
    response = superuser_client.get("/uz-cyrl/admin/autocomplete/", {**params, "term": "Хонобод умумтаълим"})
    assert response.status_code == 200
    names = sorted(r["text"] for r in json.loads(response.content)["results"])
    assert names and all("Xonobod" in n and "umumtaʼlim" in n for n in names)

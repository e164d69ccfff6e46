"""Site search: stored vectors kept current by PostgreSQL, GIN indexes, trigram matches for typos,
one Uzbek apostrophe, highlights computed only for the page shown, fixed query counts."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from programs.models import Course
from technopark.search import fold_for_search, query_words
from technopark.text import APOSTROPHE_VARIANTS
from tests.factories import NewsArticleFactory
from tests.programs.factories import CourseFactory

pytestmark = pytest.mark.django_db


def found(client, q, prefix="", **params):
    cache.clear()  # the anonymous page cache must not answer: these tests change rows in between
    response = client.get(f"{prefix}/search/", {"q": q, **params})
    assert response.status_code == 200
    return [(r.kind.key, r.title) for r in response.context["results"] or []]


def test_the_stored_vector_follows_an_update_made_outside_django(client):
    course = CourseFactory(title_uz="Veb-dasturlash asoslari", description_uz="HTML va CSS")
    assert found(client, "asoslari") == [("courses", "Veb-dasturlash asoslari")]
    # A raw UPDATE: only the database can have refreshed the generated column.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE programs_course SET title_uz = 'Grafik dizayn' WHERE id = %s", [course.pk])
    assert found(client, "asoslari") == []
    assert found(client, "dizayn") == [("courses", "Grafik dizayn")]


@pytest.mark.parametrize(
    ("table", "index"),
    [
        ("programs_course", "programs_course_search_uz"),
        ("programs_course", "programs_course_trgm_ru"),
        ("technopark_newsarticle", "technopark_news_search_en"),
        ("incubator_startup", "incubator_startup_search_ru"),
        ("incubator_startup", "incubator_startup_trgm_uz"),
        ("fablab_equipment", "fablab_equipment_search_uz"),
        ("fablab_engineeringsolution", "fablab_solution_search_en"),
    ],
)
def test_every_kind_has_gin_indexes(table, index):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = %s AND indexname = %s", [table, index])
        (definition,) = cursor.fetchone()
    assert "USING gin" in definition
    if "trgm" in index:
        assert "gin_trgm_ops" in definition and "translate" in definition


def test_the_planner_can_use_the_indexes_for_a_search():
    CourseFactory.create_batch(3)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM programs_course WHERE search_uz @@ to_tsquery('simple', 'robot:*') "
            "OR lower(translate(title_uz, %s, %s)) %%> 'robot'",
            [APOSTROPHE_VARIANTS, "ʻ" * len(APOSTROPHE_VARIANTS)],
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "programs_course_search_uz" in plan and "programs_course_trgm_uz" in plan


@pytest.mark.parametrize(
    ("prefix", "typed", "title"),
    [
        ("", "robototexnka", "LEGO robototexnikasi"),
        ("", "dasturlsh", "Python dasturlash"),
        ("/ru", "робототехнека", "Робототехника LEGO"),
        ("/en", "robotcs", "LEGO robotics"),
    ],
)
def test_a_typo_still_finds_the_course(client, prefix, typed, title):
    CourseFactory(title_uz="LEGO robototexnikasi", title_ru="Робототехника LEGO", title_en="LEGO robotics")
    CourseFactory(title_uz="Python dasturlash", title_ru="Программирование на Python", title_en="Python programming")
    CourseFactory(title_uz="Grafik dizayn", title_ru="Графический дизайн", title_en="Graphic design")
    assert found(client, typed, prefix) == [("courses", title)]


def test_an_exact_match_ranks_above_a_near_match(client):
    CourseFactory(title_uz="Robototexnika", description_uz="")
    CourseFactory(title_uz="Robototexnik", description_uz="")
    assert [title for _kind, title in found(client, "robototexnika")][:1] == ["Robototexnika"]


@pytest.mark.parametrize("typed", ["o'quv", "o‘quv", "o’quv", "o`quv", "oʻquv", "oʼquv", "Oʻquv"])
def test_every_uzbek_apostrophe_finds_the_same_word(client, typed):
    CourseFactory(title_uz="Oʻquv markazi kursi", description_uz="Yangi gʻoyalar")
    CourseFactory(title_uz="Ma'no va mazmun", description_uz="")  # stored with an ASCII apostrophe
    assert found(client, typed) == [("courses", "Oʻquv markazi kursi")]


@pytest.mark.parametrize("typed", ["ma'no", "maʼno", "ma’no", "maʻno"])
def test_the_tutuq_belgisi_in_any_spelling_finds_the_word(client, typed):
    CourseFactory(title_uz="Ma'no va mazmun", description_uz="")
    CourseFactory(title_uz="Mazmunli dam", description_uz="")
    assert found(client, typed) == [("courses", "Ma'no va mazmun")]


def test_an_ascii_apostrophe_in_the_stored_text_is_found_with_the_official_one(client):
    CourseFactory(title_uz="G'alaba sari", description_uz="")
    assert found(client, "gʻalaba") == [("courses", "G'alaba sari")]
    assert found(client, "g‘alaba") == [("courses", "G'alaba sari")]


def test_folding_in_python():
    assert fold_for_search("o'quv o‘quv o’quv o`quv oʻquv ma’no") == "oʻquv oʻquv oʻquv oʻquv oʻquv maʻno"
    assert query_words("O'quv  & markazi!") == ["oʻquv", "markazi"]


def test_highlights_are_computed_only_for_the_page_shown(client):
    for i in range(13):
        CourseFactory(title_uz=f"Robot kursi {i:02}", slug=f"robot-{i:02}", description_uz="robot yigʻish")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/search/", {"q": "robot"})
    shown = [r.key for r in response.context["results"]]
    assert len(shown) == 10
    assert all("<mark>robot</mark>" in str(r.headline) for r in response.context["results"])
    with_headline = [q["sql"] for q in queries.captured_queries if "ts_headline" in q["sql"]]
    assert len(with_headline) == 1
    hidden = {f"robot-{i:02}" for i in range(13)} - set(shown)
    assert all(f"'{slug}'" in with_headline[0] for slug in shown)
    assert not any(f"'{slug}'" in with_headline[0] for slug in hidden)


def _catalogue(times: int):
    from tests.fablab.factories import EngineeringSolutionFactory, EquipmentFactory
    from tests.incubator.factories import StartupFactory

    for i in range(times):
        NewsArticleFactory(title_uz=f"Robot yangiligi {i}", body_uz="robot")
        CourseFactory(title_uz=f"Robot kursi {i}", description_uz="robot")
        StartupFactory(name=f"Robot startup {i}", one_line_pitch_uz="robot")
        EquipmentFactory(name_uz=f"Robot stanok {i}", purpose_uz="robot")
        EngineeringSolutionFactory(title_uz=f"Robot yechim {i}", description_uz="robot")


@pytest.mark.parametrize("times", [2, 20])  # 1× and 10× the data
def test_search_query_count_does_not_grow_with_the_data(client, django_assert_num_queries, times):
    _catalogue(times)
    # count + page + the page's highlights, and the request's SAVEPOINT/RELEASE
    with django_assert_num_queries(5):
        response = client.get("/search/", {"q": "robot"})
    assert response.context["page_obj"].paginator.count == 5 * times
    assert len(response.context["results"]) == 10
    # a typo costs the same
    with django_assert_num_queries(5):
        response = client.get("/search/", {"q": "robott"})
    assert response.context["page_obj"].paginator.count == 5 * times


def test_courses_are_found_only_while_public(client):
    course = CourseFactory(title_uz="Kiberxavfsizlik", is_active=False)
    assert found(client, "kiberxavfsizlik") == []
    Course.objects.filter(pk=course.pk).update(is_active=True)
    assert found(client, "kiberxavfsizlik") == [("courses", "Kiberxavfsizlik")]

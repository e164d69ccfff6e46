"""NUL bytes and undecodable bytes anywhere in a request answer 400 (in the visitor's language)."""

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/admin/incubator/application/", "status__exact=%00"),
        ("/admin/fablab/booking/", "status__exact=%ff"),
        ("/admin/programs/enrolment/", "q=a%00b"),
        ("/search/", "q=%c3%28"),
        ("/ru/search/", "q=%00"),
    ],
)
def test_nul_or_undecodable_query_answers_400(superuser_client, path, query):
    response = superuser_client.get(path, QUERY_STRING=query)
    assert response.status_code == 400


def test_the_400_page_speaks_the_visitors_language(client):
    response = client.get("/ru/search/", QUERY_STRING="q=%00")
    assert response.status_code == 400
    assert 'lang="ru"' in response.content.decode()


@pytest.mark.parametrize("body", ["username=a%00b&password=x", "username=%ff%fe&password=x"])
def test_nul_or_undecodable_form_field_answers_400(client, body):
    response = client.post("/account/login/", body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400


def test_nul_in_a_multipart_field_answers_400(client):
    response = client.post("/account/login/", {"username": "a\x00b", "password": "x"})
    assert response.status_code == 400


@pytest.mark.parametrize("fmt", ["99", "-1", "abc", "%00"])
def test_unknown_export_format_is_not_a_server_error(superuser_client, fmt):
    response = superuser_client.post(
        "/admin/incubator/application/export/",
        f"format={fmt}&resource=0",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code in (200, 400)


def test_ordinary_percent_encoded_non_ascii_input_is_not_refused(client):
    response = client.get("/search/", QUERY_STRING="q=O%CA%BBzbekiston+%D0%90%D0%BD%D0%B4%D0%B8%D0%B6%D0%B0%D0%BD")
    assert response.status_code == 200


@pytest.mark.parametrize("value", ["-9223372036854775809", "%2B998901234567", "99999999999"])
@pytest.mark.parametrize("part", ["year", "month", "day"])
def test_an_overflowing_date_hierarchy_part_answers_400(superuser_client, part, value):
    # Found by the 1,000-case fuzz: Django's date hierarchy raised OverflowError (a 500).
    response = superuser_client.get(f"/admin/axes/accessattempt/?attempt_time__{part}={value}")
    assert response.status_code == 400
    assert superuser_client.get("/admin/axes/accessattempt/?attempt_time__year=2026").status_code == 200


@pytest.mark.parametrize("value", ["true", "99999999999999999999999", "-1.5", "{}"])
def test_an_autocomplete_field_given_no_id_is_a_form_error_not_a_500(superuser_client, value):
    # Found by the admin add forms' fuzz: the autocomplete widget, shown again with the form's
    # errors, looked the value up in the database and raised ValueError / a database error.
    from programs.models import Masterclass

    response = superuser_client.post("/en/admin/programs/masterclass/add/", {"title_uz": "Robot", "host_school": value})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Masterclass.objects.exists()


def test_a_masterclass_without_a_host_school_or_a_venue_is_a_form_error_not_a_500(superuser_client):
    # Found with the test above: the model's check named a field ("venue") the admin's form does not
    # have (it has venue_uz/_ru/_en), and Django's form raised ValueError.
    from programs.models import Masterclass
    from tests.programs.factories import DirectionFactory

    data = {
        "title_uz": "Robot",
        "direction": DirectionFactory().pk,
        "date": "2026-12-15",
        "attendances-TOTAL_FORMS": "0",
        "attendances-INITIAL_FORMS": "0",
    }
    response = superuser_client.post("/en/admin/programs/masterclass/add/", data)
    assert response.status_code == 200
    assert "Give a host school or a venue." in response.content.decode()
    assert not Masterclass.objects.exists()

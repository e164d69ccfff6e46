"""Who may see what: the dashboard and profile ladder, and the staff roles' core permissions."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from technopark.roles import (
    EDITOR,
    FABLAB_MANAGER,
    INCUBATOR_MANAGER,
    PEOPLE_ADMINISTRATOR,
    PROGRAMME_COORDINATOR,
    REVIEWER,
    ROLES,
)
from tests.conftest import make_staff
from tests.factories import UserFactory


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["dashboard", "profile", "password_change"])
def test_anonymous_visitors_are_sent_to_the_login_page(client, name):
    url = reverse(name)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


@pytest.mark.django_db
def test_anonymous_login_redirect_keeps_the_language(client):
    response = client.get("/ru/my/")
    assert response["Location"] == "/ru/account/login/?next=/ru/my/"


@pytest.mark.django_db
def test_the_dashboard_shows_only_the_signed_in_persons_data(client):
    laylo = UserFactory(full_name="Laylo Karimova", email="laylo@example.uz")
    UserFactory(full_name="Temur Rahimov", email="temur@example.uz")
    client.force_login(laylo)

    response = client.get(reverse("dashboard"))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Salom, Laylo Karimova!" in content
    assert "Temur Rahimov" not in content
    assert "temur@example.uz" not in content


@pytest.mark.django_db
def test_the_profile_form_holds_only_the_signed_in_persons_data(client):
    laylo = UserFactory(full_name="Laylo Karimova", email="laylo@example.uz", phone="+998901110000")
    UserFactory(full_name="Temur Rahimov", email="temur@example.uz", phone="+998902220000")
    client.force_login(laylo)

    response = client.get(reverse("profile"))

    assert response.context["form"].instance == laylo
    content = response.content.decode()
    assert "laylo@example.uz" in content
    assert 'value="+998901110000"' in content
    assert "Temur Rahimov" not in content
    assert "+998902220000" not in content


@pytest.mark.django_db
def test_a_profile_post_changes_only_the_signed_in_person(client):
    laylo = UserFactory(full_name="Laylo Karimova")
    temur = UserFactory(full_name="Temur Rahimov")
    client.force_login(laylo)
    client.post(
        reverse("profile"),
        {
            "id": temur.pk,
            "full_name": "Changed Name",
            "phone": "+998901234567",
            "birth_date": "2006-06-06",
            "gender": "female",
            "district": laylo.district_id,
            "organisation": "School",
            "preferred_language": "uz",
        },
    )
    laylo.refresh_from_db()
    temur.refresh_from_db()
    assert laylo.full_name == "Changed Name"
    assert temur.full_name == "Temur Rahimov"


# --- staff roles ---------------------------------------------------------------------


def core_permissions(group_name):
    return set(
        Group.objects.get(name=group_name)
        .permissions.filter(content_type__app_label="technopark")
        .values_list("codename", flat=True)
    )


@pytest.mark.django_db
def test_the_five_staff_groups_exist():
    assert set(ROLES) == {
        "Programme coordinator",
        "Incubator manager",
        "Reviewer",
        "FabLab manager",
        "Editor",
        "People administrator",
    }
    assert set(Group.objects.filter(name__in=ROLES).values_list("name", flat=True)) == set(ROLES)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (
            EDITOR,
            {
                "add_newsarticle",
                "change_newsarticle",
                "delete_newsarticle",
                "view_newsarticle",
                # Cyrillic spellings that override the generated Ўзбекча (technopark 0008)
                "add_transliterationoverride",
                "change_transliterationoverride",
                "delete_transliterationoverride",
                "view_transliterationoverride",
            },
        ),
        (REVIEWER, set()),
        (PROGRAMME_COORDINATOR, {"view_district"}),
        (INCUBATOR_MANAGER, {"view_district"}),
        (FABLAB_MANAGER, {"view_district"}),
        (PEOPLE_ADMINISTRATOR, {"add_user", "change_user", "view_user", "view_district"}),
    ],
)
def test_each_role_has_exactly_its_core_permissions(role, expected):
    assert core_permissions(role) == expected


@pytest.mark.django_db
def test_the_editor_has_no_permission_outside_the_news():
    editor_perms = Group.objects.get(name=EDITOR).permissions.all()
    assert {p.content_type.app_label for p in editor_perms} == {"technopark"}
    assert Permission.objects.filter(group__name=EDITOR, content_type__model="user").count() == 0


@pytest.mark.django_db
def test_the_editor_manages_news_in_the_admin_but_not_people(client):
    client.force_login(make_staff(EDITOR))
    assert client.get("/admin/technopark/newsarticle/").status_code == 200
    assert client.get("/admin/technopark/newsarticle/add/").status_code == 200
    assert client.get("/admin/technopark/user/").status_code == 403
    assert client.get("/admin/technopark/district/").status_code == 403


@pytest.mark.django_db
def test_a_coordinator_does_not_open_the_people(client):
    # Least privilege (issue 10): only superusers and the people administrator open the accounts;
    # a coordinator sees the students of the intakes through the enrolments.
    coordinator = make_staff(PROGRAMME_COORDINATOR)
    person = UserFactory()
    client.force_login(coordinator)
    assert client.get("/admin/technopark/user/").status_code == 403
    assert client.get(f"/admin/technopark/user/{person.pk}/change/").status_code == 403
    assert client.get("/admin/technopark/newsarticle/").status_code == 403
    assert client.get("/admin/technopark/user/add/").status_code == 403


@pytest.mark.django_db
def test_a_reviewer_sees_nothing_of_the_core_in_the_admin(client):
    client.force_login(make_staff(REVIEWER))
    assert client.get("/admin/technopark/user/").status_code == 403
    assert client.get("/admin/technopark/newsarticle/").status_code == 403
    response = client.get("/admin/")
    assert response.status_code == 200
    assert all(app["app_label"] != "technopark" for app in response.context["app_list"])


@pytest.mark.django_db
def test_a_young_person_cannot_enter_the_admin(client, user):
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "header", "django_text"),
    [
        ("/admin/", "Andijon yoshlar texnoparki", "Chiqish"),
        ("/ru/admin/", "Андижанский молодёжный технопарк", "Выйти"),
        ("/en/admin/", "Andijan Youth Technopark", "Log out"),
    ],
)
def test_the_admin_is_branded_in_three_languages(client, path, header, django_text):
    client.force_login(make_staff(EDITOR))
    response = client.get(path)
    assert response.context["site_header"] == header
    content = response.content.decode()
    assert f'<a href="{path}">{header}</a>' in content
    assert django_text in content  # Django's own admin catalog for the language

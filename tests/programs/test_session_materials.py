"""Staff add a session's materials on the staff session page (issue 12, item 3): the intake's
instructor or a coordinator gives a link, or a file kept in the private storage, or a homework
link; its students then see it on My technopark. Refusals are shown, nothing is saved."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image

from programs.models import Enrolment, Intake, SessionMaterial
from tests.factories import UserFactory

from .factories import EnrolmentFactory, IntakeFactory, SessionFactory

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def teacher(db):
    return UserFactory(full_name="Otabek Nazarov")


@pytest.fixture
def session(db, teacher):
    intake = IntakeFactory(status=Intake.Status.RUNNING, instructor=teacher)
    return SessionFactory(intake=intake, topic="CSS grid")


@pytest.fixture
def student(session):
    return EnrolmentFactory(intake=session.intake, user=UserFactory(full_name="Laylo Yusupova")).user


def _path(name, session_pk, lang="en"):
    with translation.override(lang):
        return reverse(name, args=[session_pk])


def _add(client, session, lang="en", **data):
    return client.post(_path("programs:session_material_add", session.pk, lang), data)


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, "PNG")
    return buffer.getvalue()


def test_the_instructor_adds_a_link_and_a_homework_and_students_see_them(client, teacher, session, student):
    client.force_login(teacher)
    page = _text(client.get(_path("programs:session_attendance", session.pk)))
    assert "Materials and homework" in page and "No materials yet." in page
    response = _add(client, session, kind="material", title="Grid cheatsheet", url="https://example.uz/grid")
    assert response.status_code == 302
    assert response.url == _path("programs:session_attendance", session.pk)
    response = _add(client, session, kind="homework", title="Build a gallery", url="https://example.uz/hw1")
    page = _text(client.get(response.url))
    assert "Added to the session: Build a gallery." in page
    assert '<a href="https://example.uz/grid" rel="noopener">Grid cheatsheet</a>' in page
    assert "Homework: <a" in page
    assert list(session.materials.values_list("kind", "title")) == [
        ("homework", "Build a gallery"),
        ("material", "Grid cheatsheet"),
    ]
    client.force_login(student)
    dashboard = _text(client.get("/en/my/"))
    assert "Grid cheatsheet" in dashboard and "Build a gallery" in dashboard


def test_a_coordinator_uploads_a_pdf_into_the_private_storage(client, coordinator, session, student, other_user):
    client.force_login(coordinator)
    upload = SimpleUploadedFile("handout.pdf", b"%PDF-1.4 grid handout", content_type="application/pdf")
    assert _add(client, session, kind="material", title="Handout", file=upload).status_code == 302
    material = SessionMaterial.objects.get(session=session)
    assert material.url == "" and material.file.name.endswith(".pdf")
    assert "/files/" in material.file.url  # served by technopark.files, not from MEDIA_URL
    for person, status in ((student, 200), (other_user, 404)):
        client.force_login(person)
        response = client.get(material.file.url)
        assert response.status_code == status, person
        if status == 200:
            assert b"".join(response.streaming_content) == b"%PDF-1.4 grid handout"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "material", "title": "Nothing"}, "Give either a link or a file."),
        (
            {
                "kind": "material",
                "title": "Both",
                "url": "https://example.uz/a",
                "file": ("a.pdf", b"%PDF-1.4 a"),
            },
            "Give either a link or a file.",
        ),
        ({"kind": "material", "title": "Fake", "file": ("fake.pdf", b"MZ not a pdf")}, "This file is not a PDF"),
        ({"kind": "material", "title": "Photo", "file": ("photo.jpg", "png")}, "its content is not a JPEG picture"),
        ({"kind": "material", "title": "Tool", "file": ("tool.exe", b"MZ")}, "Materials may be files of these kinds"),
        ({"kind": "homework", "title": "Upload", "file": ("hw.pdf", b"%PDF-1.4 hw")}, "Homework is given as a link."),
        ({"kind": "material", "title": "Bad link", "url": "javascript:alert(1)"}, "Enter a valid URL."),
        ({"kind": "lecture", "title": "Odd", "url": "https://example.uz/"}, "Select a valid choice."),
    ],
)
def test_refusals_are_shown_once_and_nothing_is_saved(client, teacher, session, data, message):
    data = dict(data)
    if "file" in data:
        name, content = data["file"]
        data["file"] = SimpleUploadedFile(name, _png() if content == "png" else content)
    client.force_login(teacher)
    response = _add(client, session, **data)
    assert response.status_code == 400
    assert _text(response).count(message) == 1, _text(response)
    assert SessionMaterial.objects.count() == 0


def test_a_file_over_the_size_limit_is_refused(client, teacher, session, settings):
    settings.MAX_UPLOAD_SIZE = 1024
    client.force_login(teacher)
    upload = SimpleUploadedFile("big.pdf", b"%PDF-1.4 " + b"x" * 2048)
    response = _add(client, session, kind="material", title="Big", file=upload)
    assert response.status_code == 400
    assert "The file is too large" in _text(response)
    assert SessionMaterial.objects.count() == 0


def test_refusal_in_uzbek_and_russian(client, teacher, session):
    client.force_login(teacher)
    uz = _text(client.post(_path("programs:session_material_add", session.pk, "uz"), {"title": "x"}))
    assert "Havola yoki faylni kiriting (ikkalasidan bittasini)." in uz
    assert "Darsga qoʻshish" in uz
    ru = _text(_add(client, session, lang="ru", title="x", kind="material"))
    assert "Укажите либо ссылку, либо файл." in ru
    assert "Материалы и домашние задания" in ru and "Добавить в занятие" in ru
    client.post(
        _path("programs:session_material_add", session.pk, "ru"),
        {"kind": "material", "title": "Шпаргалка", "url": "https://example.uz/"},
    )
    page = _text(client.get(_path("programs:session_attendance", session.pk, "ru")))
    assert "Добавлено в занятие: Шпаргалка." in page


def test_only_the_intakes_instructor_and_coordinators_add(client, session, student, other_staff):
    url = _path("programs:session_material_add", session.pk, "uz")
    data = {"kind": "material", "title": "Sneaky", "url": "https://example.uz/x"}
    response = client.post(url, data)
    assert response.status_code == 302 and response.url.startswith("/account/login/")
    other_teacher = UserFactory()
    IntakeFactory(status=Intake.Status.RUNNING, instructor=other_teacher)
    for person in (student, other_staff, other_teacher):
        client.force_login(person)
        assert client.post(url, data).status_code == 403, person
    assert client.get(url).status_code == 405
    assert client.post(_path("programs:session_material_add", 999999, "uz"), data).status_code == 404
    assert SessionMaterial.objects.count() == 0
    assert Enrolment.objects.filter(user=student).exists()

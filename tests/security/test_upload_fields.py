"""Every file field of every model — so every form and the admin, which use the model's checks —
refuses a file over the size limit, a page or script named as an allowed kind, and an allowed
content under a name that is not allowed; and accepts a real file of an allowed kind (so the
refusals are not a field that refuses everything). The fields are found, not listed: a new file
field is checked the day it is added."""

import io

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from PIL import Image

from programs.models import MATERIAL_EXTENSIONS, SessionMaterial

BIG = 10 * 1024 * 1024 + 300 * 1024  # 10.3 MB
PAGE = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def png():
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 120, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


def good_file(field):
    """(name, content) of a real file the field takes."""
    if isinstance(field, models.ImageField):
        return "picture.png", png()
    return "slides.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


FILE_FIELDS = sorted(
    (
        (f"{model._meta.label}.{field.name}", field)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    ),
    key=lambda item: item[0],
)


def refused(field, name, content) -> list[str]:
    try:
        field.run_validators(SimpleUploadedFile(name, content))
    except ValidationError as error:
        return [e.code for e in error.error_list]
    return []


def test_the_file_fields_are_found():
    names = [name for name, _field in FILE_FIELDS]
    assert "incubator.Application.pitch_deck" in names and "programs.SessionMaterial.file" in names
    assert len(names) >= 8


@pytest.mark.parametrize(("label", "field"), FILE_FIELDS, ids=[name for name, _f in FILE_FIELDS])
def test_every_file_field_checks_size_name_and_content(label, field):
    name, content = good_file(field)
    assert refused(field, name, content) == [], label
    assert "too_large" in refused(field, name, content + b"\0" * (BIG - len(content))), label
    extension = name.rsplit(".", 1)[1]
    assert refused(field, f"team-logo.{extension}", PAGE), label  # a page named as an allowed kind
    for bad_name in ("team-logo.html", "logo.svg", "run.exe", "page.htm"):
        assert refused(field, bad_name, content), (label, bad_name)


@pytest.mark.parametrize("extension", MATERIAL_EXTENSIONS)
def test_session_materials_content_must_agree_with_each_allowed_kind(extension):
    field = SessionMaterial._meta.get_field("file")
    assert refused(field, f"lesson.{extension}", PAGE if extension not in ("txt", "py", "ino") else b"a\0b")
    real = {
        "pdf": good_file(models.FileField())[1],
        "png": png(),
        "txt": "Darsga tayyorlaning: oʻqing.\n".encode(),
        "py": b"print('salom')\n",
        "ino": b"void setup() {}\nvoid loop() {}\n",
    }
    if extension in ("jpg", "jpeg"):
        buffer = io.BytesIO()
        Image.new("RGB", (8, 8)).save(buffer, format="JPEG")
        real[extension] = buffer.getvalue()
    real.setdefault(extension, b"PK\x03\x04" + b"\0" * 26)  # Office, OpenDocument and .zip are ZIP files
    assert refused(field, f"lesson.{extension}", real[extension]) == []


@pytest.mark.django_db
def test_the_admin_session_page_refuses_a_page_named_slides_pdf(client):
    from tests.factories import UserFactory
    from tests.programs.factories import SessionFactory

    session = SessionFactory()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = f"/en/admin/programs/session/{session.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields if name != "intake"}
    data.update({"intake": session.intake_id, "date": session.date.isoformat()})
    data.update(
        {
            "materials-TOTAL_FORMS": "1",
            "materials-INITIAL_FORMS": "0",
            "materials-MIN_NUM_FORMS": "0",
            "materials-MAX_NUM_FORMS": "1000",
            "materials-0-kind": "material",
            "materials-0-title": "Slides",
            "materials-0-order": "0",
            "materials-0-file": SimpleUploadedFile("slides.pdf", PAGE, content_type="application/pdf"),
        }
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert "its content is not a file of that kind" in response.content.decode()
    assert not SessionMaterial.objects.filter(session=session).exists()

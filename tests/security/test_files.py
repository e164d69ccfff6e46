"""Private files stay private; uploads are checked by name and content, re-encoded, size-limited
on every field (admin included), and files of rolled-back transactions are deleted."""

import io
import os
import re
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections
from django.test import Client
from PIL import Image

from incubator.models import Application, Startup
from technopark.roles import REVIEWER
from technopark.storage import private_storage
from tests.conftest import make_staff
from tests.factories import UserFactory
from tests.incubator.factories import PDF_BYTES, ApplicationFactory, SeasonFactory, application_form_data


def png_bytes(size=(8, 8), exif_gps=False, fmt="PNG"):
    image = Image.new("RGB", size, (200, 30, 30))
    buffer = io.BytesIO()
    options = {}
    if exif_gps:
        exif = Image.Exif()
        exif[0x010F] = "PhoneMaker"  # Make
        exif[0x8825] = {1: "N", 2: (40.0, 47.0, 0.0), 3: "E", 4: (72.0, 20.0, 0.0)}  # GPS: Andijan
        options["exif"] = exif
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def login(client, user):
    client.force_login(user)
    return client


# --- Private storage and the permission-checking view -----------------------------------------


@pytest.fixture
def submitted(db):
    application = ApplicationFactory(status=Application.Status.SUBMITTED)
    return application


@pytest.mark.django_db
def test_pitch_deck_lives_outside_media_root_and_links_through_the_view(submitted, settings):
    name = submitted.pitch_deck.name
    assert os.path.exists(os.path.join(settings.PRIVATE_MEDIA_ROOT, name))
    assert not os.path.exists(os.path.join(settings.MEDIA_ROOT, name))
    assert submitted.pitch_deck.url == f"/files/{name}"
    assert not submitted.pitch_deck.url.startswith(settings.MEDIA_URL)


@pytest.mark.django_db
def test_who_may_download_a_pitch_deck(client, submitted):
    url = submitted.pitch_deck.url
    # Anonymous: sent to the login page; another young person: 404.
    assert client.get(url).status_code == 302
    assert login(client, UserFactory()).get(url).status_code == 404
    # The owner, a reviewer who may see it (pool), and the incubator manager: the PDF.
    for person in (submitted.applicant, make_staff(REVIEWER), make_staff("Incubator manager")):
        response = login(Client(), person).get(url)
        assert response.status_code == 200, person
        assert b"".join(response.streaming_content) == PDF_BYTES
        assert response["Content-Type"] == "application/pdf"
        assert response["Cache-Control"] == "private, no-store"
    # A reviewer who declared a conflict of interest: 404.
    from incubator.models import ConflictOfInterest

    conflicted = make_staff(REVIEWER)
    ConflictOfInterest.objects.create(application=submitted, reviewer=conflicted, reason="My cousin")
    assert login(Client(), conflicted).get(url).status_code == 404


@pytest.mark.django_db
def test_a_draft_deck_is_not_open_to_reviewers(client):
    draft = ApplicationFactory(status=Application.Status.DRAFT)
    assert login(client, make_staff(REVIEWER)).get(draft.pitch_deck.url).status_code == 404


@pytest.mark.django_db
def test_production_hands_the_file_to_nginx(client, submitted, settings):
    settings.PRIVATE_MEDIA_ACCEL_PREFIX = "/_private/"
    response = login(client, submitted.applicant).get(submitted.pitch_deck.url)
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/_private/{submitted.pitch_deck.name}"
    assert response.content == b""
    response = client.get(f"/en/innox/applications/{submitted.pk}/pitch-deck/")
    assert response["X-Accel-Redirect"] == f"/_private/{submitted.pitch_deck.name}"


@pytest.mark.django_db
def test_media_url_does_not_serve_private_files(client, submitted, settings):
    assert client.get(f"{settings.MEDIA_URL}{submitted.pitch_deck.name}").status_code == 404


@pytest.mark.django_db
def test_admin_links_the_deck_through_the_view(client, submitted):
    login(client, UserFactory(is_staff=True, is_superuser=True))
    content = client.get(f"/admin/incubator/application/{submitted.pk}/change/").content.decode()
    assert f'href="/files/{submitted.pitch_deck.name}"' in content
    assert "/media/innox/pitch-decks" not in content


@pytest.mark.django_db
def test_startup_logo_is_copied_to_public_storage(submitted, settings):
    from incubator import services
    from incubator.models import Participant

    submitted.logo = SimpleUploadedFile("logo.png", png_bytes())
    submitted.status = Application.Status.ACCEPTED
    submitted.save()
    Participant.objects.create(season=submitted.season, name="A", email="a@example.uz", application=submitted)
    startup = services.startup_create_from_application(
        application=submitted, actor=UserFactory(is_superuser=True), name="Suv", one_line_pitch="Water"
    )
    startup = Startup.objects.get(pk=startup.pk)
    assert startup.logo.url.startswith(settings.MEDIA_URL)
    assert startup.logo.name != submitted.logo.name
    assert os.path.exists(os.path.join(settings.MEDIA_ROOT, startup.logo.name))


# --- Upload checks ---------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("team-logo.html", png_bytes(), "Pictures must be PNG, JPEG, WebP or GIF files"),
        ("logo.svg", png_bytes(), "Pictures must be PNG, JPEG, WebP or GIF files"),
        ("logo.pdf", png_bytes(), "Pictures must be PNG, JPEG, WebP or GIF files"),
        ("logo.jpg", png_bytes(), "The file&#x27;s name says .jpg but its content is not a JPEG picture."),
    ],
)
def test_logo_extension_must_be_allowed_and_agree_with_the_content(client, name, content, message):
    SeasonFactory()
    user = UserFactory()
    login(client, user)
    response = client.post(
        "/en/innox/apply/", application_form_data(logo=SimpleUploadedFile(name, content, content_type="image/png"))
    )
    assert message in response.content.decode()
    assert Application.objects.count() == 0


@pytest.mark.django_db
def test_pitch_deck_named_otherwise_than_pdf_is_refused(client):
    SeasonFactory()
    login(client, UserFactory())
    deck = SimpleUploadedFile("deck.html", PDF_BYTES, content_type="application/pdf")
    response = client.post("/en/innox/apply/", application_form_data(pitch_deck=deck))
    assert "The pitch deck must be a PDF file (.pdf)." in response.content.decode()
    assert Application.objects.count() == 0


@pytest.mark.django_db
def test_uploaded_image_is_reencoded_without_exif_and_named_by_the_server(client, settings):
    SeasonFactory()
    user = UserFactory()
    login(client, user)
    original = png_bytes(exif_gps=True, fmt="JPEG")
    assert Image.open(io.BytesIO(original)).getexif()  # the upload carries GPS
    logo = SimpleUploadedFile("my home photo.jpeg", original, content_type="image/jpeg")
    client.post("/en/innox/apply/", application_form_data(logo=logo))
    stored = Application.objects.get().logo
    assert re.fullmatch(r"innox/logos/[0-9a-f]{32}\.jpg", stored.name)
    with private_storage().open(stored.name, "rb") as handle:
        data = handle.read()
    assert data != original
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG"
    assert not image.getexif()
    assert b"PhoneMaker" not in data


BIG = 10 * 1024 * 1024 + 300 * 1024  # 10.3 MB


def big_png():
    return png_bytes() + b"\0" * (BIG - len(png_bytes()))


ADMIN_IMAGE_FIELDS = [
    ("technopark", "newsarticle", "cover"),
    ("incubator", "startup", "logo"),
    # An application's logo is no longer editable in the admin (the applicant's own data; see
    # test_admin_rules.py): the 10 MB limit on it is tested through the application form above.
    ("fablab", "equipment", "photo"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("app", "model", "field"), ADMIN_IMAGE_FIELDS)
def test_a_10_3_mb_image_is_refused_on_every_admin_image_field(client, app, model, field):
    login(client, UserFactory(is_staff=True, is_superuser=True))
    url = f"/admin/{app}/{model}/add/"
    form = client.get(url).context["adminform"].form
    upload = SimpleUploadedFile("big.png", big_png(), content_type="image/png")
    response = client.post(url, {field: upload})
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors.as_data().get(field, [])
    assert "too_large" in [e.code for e in errors], (errors, list(form.fields))


@pytest.mark.django_db
def test_a_10_3_mb_image_is_refused_on_the_solution_photo_field():
    from django.core.exceptions import ValidationError

    from fablab.models import SolutionPhoto
    from tests.fablab.factories import EngineeringSolutionFactory

    photo = SolutionPhoto(solution=EngineeringSolutionFactory(), image=SimpleUploadedFile("big.png", big_png()))
    with pytest.raises(ValidationError) as raised:
        photo.full_clean()
    assert [e.code for e in raised.value.error_dict["image"]] == ["too_large"]


# --- Files of rolled-back transactions ------------------------------------------------------

THREADS = 10


def _together(work, n=THREADS):
    barrier = threading.Barrier(n)
    results = [None] * n

    def run(i):
        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as exc:  # noqa: BLE001
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def stored_files(root):
    return sorted(os.path.relpath(os.path.join(d, f), root) for d, _dirs, files in os.walk(root) for f in files)


@pytest.mark.django_db(transaction=True)
def test_ten_simultaneous_submissions_of_one_application_leave_no_orphan_files(settings):
    SeasonFactory()
    user = UserFactory()
    clients = [login(Client(), user) for _ in range(THREADS)]

    def submit(i):
        data = application_form_data(
            team_name=f"Team {i}",
            pitch_deck=SimpleUploadedFile(f"deck{i}.pdf", PDF_BYTES, content_type="application/pdf"),
            logo=SimpleUploadedFile(f"logo{i}.png", png_bytes(), content_type="image/png"),
            action="submit",
        )
        return clients[i].post("/en/innox/apply/", data)

    responses = _together(submit)
    assert not [r for r in responses if isinstance(r, Exception)], responses
    assert all(r.status_code < 500 for r in responses)
    application = Application.objects.get()
    assert stored_files(settings.PRIVATE_MEDIA_ROOT) == sorted([application.pitch_deck.name, application.logo.name])


@pytest.mark.django_db(transaction=True)
def test_ten_simultaneous_edits_of_one_draft_leave_only_the_last_files(settings):
    from incubator import services

    user = UserFactory()
    application = ApplicationFactory(applicant=user, season=SeasonFactory())
    members = [{"name": "A", "role": "", "email": "a@example.uz"}]

    def edit(i):
        deck = SimpleUploadedFile(f"deck{i}.pdf", PDF_BYTES, content_type="application/pdf")
        return services.application_save_draft(
            applicant=user,
            season=application.season,
            data={"team_name": f"T{i}"},
            members=members,
            pitch_deck=deck,
            application=Application.objects.get(pk=application.pk),
        )

    results = _together(edit)
    assert not [r for r in results if isinstance(r, Exception)], results
    application.refresh_from_db()
    assert stored_files(settings.PRIVATE_MEDIA_ROOT) == [application.pitch_deck.name]

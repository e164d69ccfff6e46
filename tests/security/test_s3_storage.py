"""The optional S3-compatible storage (technopark/storage_s3.py), tested against a local
S3-compatible server (moto's standalone server, in a thread of the test process): private files go
to the private bucket and out only through the permission check, as a redirect to an address
signed for a minute; public media go to the public bucket under plain addresses; files of a
rolled-back transaction are deleted from the bucket too; the settings refuse one bucket for both."""

import logging
import socket
import urllib.error
import urllib.request
import uuid
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, override_settings
from moto.server import ThreadedMotoServer
from storages.backends.s3 import S3Storage

from incubator.models import Application
from security.models import AccessRecord
from technopark import registry, uploads
from technopark.roles import INCUBATOR_MANAGER
from technopark.uploads import sweep
from tests.conftest import make_staff
from tests.factories import UserFactory
from tests.incubator.factories import PDF_BYTES, SeasonFactory, application_form_data
from tests.security.test_files import png_bytes
from tests.security.test_settings_fail_closed import _run

CREDENTIALS = {"aws_access_key_id": "technopark-test", "aws_secret_access_key": "technopark-test-secret"}
REGION = "us-east-1"


@pytest.fixture(scope="module")
def s3_endpoint():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # the server's line per request
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


def s3_client(endpoint):
    return boto3.client("s3", endpoint_url=endpoint, region_name=REGION, **CREDENTIALS)


def keys(endpoint, bucket):
    listing = s3_client(endpoint).list_objects_v2(Bucket=bucket)
    return sorted(item["Key"] for item in listing.get("Contents", []))


def fetch(url):
    """(status, body) of a plain GET, as a browser without the portal's session would make it."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - the local test server
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.fixture
def buckets(s3_endpoint, monkeypatch):
    """Fresh public and private buckets, configured as the settings do for S3_BUCKET and
    S3_PRIVATE_BUCKET; the private file fields use the private bucket's storage."""
    names = {"public": f"public-{uuid.uuid4().hex[:12]}", "private": f"private-{uuid.uuid4().hex[:12]}"}
    client = s3_client(s3_endpoint)
    for name in names.values():
        client.create_bucket(Bucket=name)
    common = {
        "endpoint_url": s3_endpoint,
        "region_name": REGION,
        "access_key": CREDENTIALS["aws_access_key_id"],
        "secret_key": CREDENTIALS["aws_secret_access_key"],
        "signature_version": "s3v4",
    }
    config = {
        "default": {
            "BACKEND": "technopark.storage_s3.PublicS3Storage",
            "OPTIONS": {**common, "bucket_name": names["public"], "default_acl": "public-read"},
        },
        "private": {
            "BACKEND": "technopark.storage_s3.PrivateS3Storage",
            "OPTIONS": {**common, "bucket_name": names["private"], "querystring_expire": 60},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=config):
        # A field's storage is fixed when its model is loaded; point every private file field at
        # the private bucket, as the settings do at start-up when S3_BUCKET is set.
        for model, field_name, _visible_to in registry.private_file_rules():
            monkeypatch.setattr(model._meta.get_field(field_name), "storage", storages["private"])
        yield names
    # This test's own transaction is rolled back after it ends: forget the files it wrote in the
    # buckets, or a later request's sweep would try to delete them from a server that has stopped.
    uploads._local.pending = [
        entry for entry in getattr(uploads._local, "pending", []) if not isinstance(entry["storage"], S3Storage)
    ]


@pytest.fixture
def submitted(client, buckets):
    SeasonFactory()
    applicant = UserFactory()
    client.force_login(applicant)
    data = application_form_data(
        pitch_deck=SimpleUploadedFile("deck.pdf", PDF_BYTES, content_type="application/pdf"),
        logo=SimpleUploadedFile("team-logo.png", png_bytes(), content_type="image/png"),
        action="submit",
    )
    response = client.post("/en/innox/apply/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Application.objects.get(applicant=applicant)


@pytest.mark.django_db
def test_private_files_are_stored_in_the_private_bucket_only(s3_endpoint, buckets, submitted):
    application = submitted
    assert keys(s3_endpoint, buckets["private"]) == sorted([application.pitch_deck.name, application.logo.name])
    assert keys(s3_endpoint, buckets["public"]) == []
    assert application.logo.name.endswith(".png") and "team-logo" not in application.logo.name
    # Forms, templates and the admin link through the permission check, not to the bucket.
    assert application.pitch_deck.url == f"/files/{application.pitch_deck.name}"
    # Without a signature the bucket refuses the object.
    assert fetch(f"{s3_endpoint}/{buckets['private']}/{application.pitch_deck.name}")[0] == 403


@pytest.mark.django_db
def test_a_private_file_is_handed_out_only_after_the_check_by_a_short_lived_signed_address(
    client, s3_endpoint, buckets, submitted
):
    url = submitted.pitch_deck.url
    # The owner: a redirect to the bucket, signed for 60 seconds; the address gives the deck.
    response = client.get(url)
    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-store"
    signed = response["Location"]
    assert signed.startswith(f"{s3_endpoint}/{buckets['private']}/")
    query = parse_qs(urlsplit(signed).query)
    assert query["X-Amz-Expires"] == ["60"] and query["X-Amz-Signature"]
    assert fetch(signed) == (200, PDF_BYTES)

    # Anonymous: the login page; another young person: 404, with no address to the bucket.
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/account/login/")
    stranger = Client()
    stranger.force_login(UserFactory())
    assert stranger.get(url).status_code == 404

    # The incubator manager downloads it, named, and the download is in the access log.
    manager = make_staff(INCUBATOR_MANAGER)
    staff = Client()
    staff.force_login(manager)
    response = staff.get(f"/en/innox/applications/{submitted.pk}/pitch-deck/")
    assert response.status_code == 302
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query["response-content-disposition"] == ['inline; filename="pitch-deck.pdf"']
    assert fetch(response["Location"]) == (200, PDF_BYTES)
    assert staff.get(url).status_code == 302
    recorded = set(AccessRecord.objects.filter(actor_id=manager.pk).values_list("action", "what"))
    assert recorded == {("view", "incubator:pitch_deck"), ("view", "private_file")}


@pytest.mark.django_db
def test_public_media_go_to_the_public_bucket_under_plain_addresses(s3_endpoint, buckets):
    from tests.fablab.factories import EquipmentFactory

    equipment = EquipmentFactory()
    equipment.photo = SimpleUploadedFile("my phone photo.png", png_bytes(), content_type="image/png")
    equipment.save()
    name = equipment.photo.name
    assert keys(s3_endpoint, buckets["public"]) == [name]
    assert keys(s3_endpoint, buckets["private"]) == []
    address = equipment.photo.url
    assert address == f"{s3_endpoint}/{buckets['public']}/{name}" and "X-Amz-Signature" not in address
    status, body = fetch(address)
    assert status == 200 and body.startswith(b"\x89PNG")


@pytest.mark.django_db
def test_files_of_a_rolled_back_transaction_are_deleted_from_the_bucket(s3_endpoint, buckets):
    private = storages["private"]
    sweep()  # files that earlier tests wrote in their own (rolled-back) test transactions
    kept = private.save("innox/pitch-decks/kept.pdf", ContentFile(PDF_BYTES))
    with pytest.raises(RuntimeError), transaction.atomic():
        lost = private.save("innox/pitch-decks/lost.pdf", ContentFile(PDF_BYTES))
        assert keys(s3_endpoint, buckets["private"]) == sorted([kept, lost])
        raise RuntimeError("the view failed after the upload")
    assert sweep() == 1
    assert keys(s3_endpoint, buckets["private"]) == [kept]


def test_the_settings_choose_s3_only_with_two_buckets():
    script = (
        "from django.core.files.storage import storages; "
        "p = storages['private']; d = storages['default']; "
        "print(type(d).__name__, d.bucket_name, d.querystring_auth, type(p).__name__, p.bucket_name, "
        "p.querystring_auth, p.querystring_expire, p.default_acl, p.url('innox/x.pdf'))"
    )
    s3 = {"S3_BUCKET": "tp-public", "S3_ENDPOINT_URL": "http://127.0.0.1:9"}
    result = _run(
        ["shell", "--no-imports", "-c", script], **s3, S3_PRIVATE_BUCKET="tp-private", PRIVATE_FILE_URL_SECONDS="45"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "PublicS3Storage",
        "tp-public",
        "False",
        "PrivateS3Storage",
        "tp-private",
        "True",
        "45",
        "private",
        "/files/innox/x.pdf",
    ]
    for private_bucket in (None, "tp-public"):
        result = _run(["check"], **s3, S3_PRIVATE_BUCKET=private_bucket)
        assert result.returncode != 0
        assert result.stderr.strip().splitlines() == [
            "technopark: S3_BUCKET is set without a separate S3_PRIVATE_BUCKET: private files would be public."
        ]
    # Without S3_BUCKET the file system stays the default.
    result = _run(
        ["shell", "--no-imports", "-c", script.split("; print")[0] + "; print(type(d).__name__, type(p).__name__)"]
    )
    assert result.stdout.split() == ["TrackedFileSystemStorage", "PrivateStorage"]

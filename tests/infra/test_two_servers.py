"""Two app servers, one system (issue 14, item 10): two gunicorn processes on different ports
over one database, one Redis and one media directory, as behind a load balancer."""

import re
import tempfile
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from incubator.models import Application
from technopark.hashers import OwaspArgon2idPasswordHasher
from tests.factories import NewsArticleFactory, UserFactory
from tests.incubator.factories import SeasonFactory, application_form_data

from .conftest import Client, database_url

pytestmark = [pytest.mark.fault, pytest.mark.django_db(transaction=True)]

PASSWORD = "Ikki-server-bir-tizim-2025"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"  # noqa: E501


def _person(**fields):
    person = UserFactory(**fields)
    # The servers run the production hashers (Argon2id first), not the tests' fast MD5.
    person.password = OwaspArgon2idPasswordHasher().encode(PASSWORD, OwaspArgon2idPasswordHasher().salt())
    person.save(update_fields=["password"])
    return person


def _sign_in(client: Client, email: str):
    client.get("/account/login/")  # the CSRF cookie
    response = client.post("/account/login/", {"username": email, "password": PASSWORD})
    assert response.status == 302, response.text[:500]
    assert client.cookie("sessionid")


@pytest.fixture(scope="module")
def two_servers(django_db_setup, django_db_blocker, module_redis_server, module_gunicorn_factory):
    """Started once for the module; each test writes its own rows (transactional tests)."""
    media = Path(tempfile.mkdtemp(prefix="tp-shared-media-"))
    with django_db_blocker.unblock():
        url = database_url(connection.settings_dict)
    return (
        module_gunicorn_factory(url, redis_url=module_redis_server.url, media_root=media, GUNICORN_WORKERS="1"),
        module_gunicorn_factory(url, redis_url=module_redis_server.url, media_root=media, GUNICORN_WORKERS="1"),
    )


def test_sign_in_on_one_server_and_continue_on_the_other(two_servers):
    a, b = two_servers
    person = _person(full_name="Dilnoza Karimova")
    browser = Client(a.base)
    _sign_in(browser, person.email)

    dashboard = browser.on(b.base).get("/en/my/")
    assert dashboard.status == 200
    assert "Dilnoza Karimova" in dashboard.text
    assert Client(b.base).get("/en/my/").status == 302  # without the session: to the login page


def test_upload_on_one_server_and_download_on_the_other(two_servers):
    a, b = two_servers
    SeasonFactory()
    person = _person()
    browser = Client(a.base)
    _sign_in(browser, person.email)

    browser.get("/en/innox/apply/")
    saved = browser.post(
        "/en/innox/apply/", application_form_data(), files={"pitch_deck": ("deck.pdf", PDF, "application/pdf")}
    )
    assert saved.status == 302, re.sub(r"\s+", " ", saved.text)[:800]
    application = Application.objects.get(applicant=person)
    assert application.pitch_deck

    download = browser.on(b.base).get(f"/en/innox/applications/{application.pk}/pitch-deck/")
    assert download.status == 200
    assert download.body == PDF
    assert download.headers["Content-Type"] == "application/pdf"
    # Somebody else gets nothing, on either server.
    stranger = _person()
    other = Client(b.base)
    _sign_in(other, stranger.email)
    assert other.get(f"/en/innox/applications/{application.pk}/pitch-deck/").status == 404


def test_the_page_cache_stays_coherent_across_servers(two_servers):
    a, b = two_servers
    article = NewsArticleFactory(title_uz="Eski sarlavha", title_en="Old headline", published_at=timezone.now())
    visitor = Client(b.base)
    assert visitor.get("/en/news/").headers["X-Page-Cache"] == "miss"
    assert visitor.get("/en/news/").headers["X-Page-Cache"] == "hit"
    assert Client(a.base).get("/en/news/").headers["X-Page-Cache"] == "hit"  # one cache for both

    staff = Client(a.base)
    member = _person(is_staff=True, is_superuser=True)
    device = TOTPDevice.objects.create(user=member, name="authenticator", confirmed=True)
    _sign_in(staff, member.email)
    change = f"/admin/technopark/newsarticle/{article.pk}/change/"
    # The servers run production settings: staff need the second step (STAFF_REQUIRE_2FA is on).
    asked = staff.get(change)
    assert asked.status == 302 and asked.headers["Location"].startswith("/account/two-step/verify/")
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    assert staff.post("/account/two-step/verify/", {"code": code, "next": change}).status == 302
    assert staff.get(change).status == 200
    fields = ("slug", "title_uz", "title_ru", "title_en", "lead_uz", "lead_ru", "lead_en", "body_uz", "body_ru")
    data = {field: getattr(article, field) or "" for field in fields}
    published = timezone.localtime(article.published_at)
    data.update(
        title_en="New headline",
        body_uz=article.body_uz or "matn",
        published_at_0=published.strftime("%Y-%m-%d"),
        published_at_1=published.strftime("%H:%M:%S"),
        is_published="on",
    )
    saved = staff.post(change, data)
    assert saved.status == 302, re.sub(r"\s+", " ", saved.text)[:800]

    page = visitor.get("/en/news/")  # server B, after a change made through server A
    assert page.headers["X-Page-Cache"] == "miss"
    assert "New headline" in page.text and "Old headline" not in page.text
    assert visitor.get("/en/news/").headers["X-Page-Cache"] == "hit"

"""Two-step sign-in for staff (STAFF_REQUIRE_2FA): TOTP with real codes, recovery codes, and no
admin or staff page before the second step."""

import datetime
import re

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from technopark.roles import FABLAB_MANAGER
from tests.conftest import make_staff
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-staff-passphrase-2026"


@pytest.fixture(autouse=True)
def _required(settings):
    settings.STAFF_REQUIRE_2FA = True


@pytest.fixture
def staff():
    person = make_staff(FABLAB_MANAGER)
    person.set_password(PASSWORD)
    person.save()
    return person


def sign_in(client, person):
    response = client.post(reverse("login"), {"username": person.email, "password": PASSWORD})
    assert response.status_code == 302
    return response


def code_of(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def set_up(client, staff) -> list[str]:
    sign_in(client, staff)
    assert client.get(reverse("security:setup")).status_code == 200
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    page = client.post(reverse("security:setup"), {"code": code_of(device), "next": "/admin/"})
    assert page.status_code == 200
    return re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page.content.decode())


def test_a_staff_member_without_a_device_is_sent_to_set_one_up(client, staff):
    sign_in(client, staff)
    for page in ("/admin/", "/admin/fablab/booking/", reverse("fablab:staff_day")):
        response = client.get(page)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("security:setup") + "?next=")
    setup = client.get(reverse("security:setup") + "?next=/admin/")
    html = setup.content.decode()
    assert setup.status_code == 200
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert "style=" not in svg and "<script" not in html.split("<main", 1)[-1].split("</main>")[0]
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    assert device.config_url.startswith("otpauth://totp/")


def test_a_wrong_code_confirms_nothing_and_a_right_one_gives_ten_recovery_codes(client, staff):
    sign_in(client, staff)
    client.get(reverse("security:setup"))
    device = TOTPDevice.objects.get(user=staff)
    wrong = f"{(int(code_of(device)) + 1) % 1_000_000:06d}"
    response = client.post(reverse("security:setup"), {"code": wrong})
    assert response.status_code == 200 and "Bu kod notoʻgʻri" in response.content.decode()
    assert client.get("/admin/").status_code == 302
    device.refresh_from_db()
    assert not device.confirmed
    device.throttle_reset()
    codes = client.post(reverse("security:setup"), {"code": code_of(device), "next": "/admin/"})
    found = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", codes.content.decode())
    assert len(found) == 10 and len(set(found)) == 10
    assert StaticToken.objects.filter(device__user=staff).count() == 10
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/").status_code == 200
    assert client.get(reverse("fablab:staff_day")).status_code == 200


def test_the_next_sign_in_asks_for_a_fresh_code(client, staff, time_machine):
    set_up(client, staff)
    client.logout()
    sign_in(client, staff)
    response = client.get("/admin/fablab/booking/")
    assert response["Location"] == reverse("security:verify") + "?next=%2Fadmin%2Ffablab%2Fbooking%2F"
    device = TOTPDevice.objects.get(user=staff, confirmed=True)
    used = code_of(device)
    refused = client.post(reverse("security:verify"), {"code": used, "next": "/admin/fablab/booking/"})
    assert refused.status_code == 200  # a code already used does not sign in twice
    assert client.get("/admin/").status_code == 302
    time_machine.move_to(datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(seconds=65))
    device.refresh_from_db()
    device.throttle_reset()
    ok = client.post(reverse("security:verify"), {"code": code_of(device), "next": "/admin/fablab/booking/"})
    assert ok.status_code == 302 and ok["Location"] == "/admin/fablab/booking/"
    assert client.get("/admin/fablab/booking/").status_code == 200


def test_a_recovery_code_signs_in_once(client, staff):
    codes = set_up(client, staff)
    client.logout()
    sign_in(client, staff)
    assert client.post(reverse("security:verify"), {"code": codes[3].upper(), "next": "/admin/"}).status_code == 302
    assert client.get("/admin/").status_code == 200
    assert StaticToken.objects.filter(device__user=staff).count() == 9
    client.logout()
    sign_in(client, staff)
    again = client.post(reverse("security:verify"), {"code": codes[3]})
    assert again.status_code == 200 and "allaqachon ishlatilgan" in again.content.decode()
    assert client.get("/admin/").status_code == 302


def test_a_password_alone_does_not_enrol_a_new_authenticator(client, staff):
    set_up(client, staff)
    client.logout()
    sign_in(client, staff)
    response = client.get(reverse("security:setup"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("security:verify"))
    assert TOTPDevice.objects.filter(user=staff).count() == 1


def test_young_people_are_not_asked_and_the_switch_turns_it_off(client, staff, settings):
    young = UserFactory()
    client.force_login(young)
    assert client.get(reverse("dashboard")).status_code == 200
    assert client.get(reverse("security:setup")).status_code == 404
    settings.STAFF_REQUIRE_2FA = False
    client.logout()
    sign_in(client, staff)
    assert client.get("/admin/fablab/booking/").status_code == 200


def test_the_people_administrator_resets_a_lost_authenticator(client, staff):
    from technopark.roles import PEOPLE_ADMINISTRATOR

    set_up(client, staff)
    device = TOTPDevice.objects.get(user=staff)
    people_admin = make_staff(PEOPLE_ADMINISTRATOR)
    client.force_login(people_admin)
    # force_login skips the second step of the people administrator: verify them as well
    client.logout()
    people_admin.set_password(PASSWORD)
    people_admin.save()
    codes = set_up(client, people_admin)
    assert codes
    url = f"/admin/otp_totp/totpdevice/{device.pk}/delete/"
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not TOTPDevice.objects.filter(user=staff).exists()


def test_after_a_wrong_code_even_the_right_one_waits(client, staff, time_machine):
    """Six digits could be guessed by trying them all: each wrong code makes the next try wait
    (django-otp's throttling, doubling with each failure), so the right code sent straight after a
    wrong one is refused too."""
    set_up(client, staff)
    client.logout()
    time_machine.move_to(datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(seconds=65))
    sign_in(client, staff)
    device = TOTPDevice.objects.get(user=staff, confirmed=True)
    right = code_of(device)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    assert client.post(reverse("security:verify"), {"code": wrong}).status_code == 200
    assert client.post(reverse("security:verify"), {"code": right}).status_code == 200  # too soon
    assert client.get("/admin/").status_code == 302
    time_machine.move_to(datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(seconds=2))
    device.refresh_from_db()
    ok = client.post(reverse("security:verify"), {"code": code_of(device), "next": "/admin/"})
    assert ok.status_code == 302 and ok["Location"] == "/admin/"

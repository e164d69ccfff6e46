"""Exchange rates by themselves: the daily job against a local HTTP server serving a fixture file
of the Central Bank; a failed fetch or a malformed answer changes nothing and tells the incubator
managers once a day; an investment uses its date's rate or the last one published before it
(weekends, holidays) and says which date's rate it used."""

import datetime
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from incubator import jobs, services
from incubator.models import ExchangeRate
from notifications.models import Notification

from .factories import InvestorFactory, StartupFactory
from .test_messages import PREFIX

pytestmark = pytest.mark.django_db
FIXTURE = Path(__file__).parent / "fixtures" / "cbu_rates_2026-11-27.json"
PATH = "/uz/arkhiv-kursov-valyut/json/"


@pytest.fixture
def bank(httpserver, settings):
    settings.CBU_RATES_URL = httpserver.url_for(PATH)
    settings.CBU_RATES_TIMEOUT = 5
    return httpserver


def test_the_fixture_day_is_loaded(bank, manager):
    bank.expect_request(PATH).respond_with_data(FIXTURE.read_bytes(), content_type="application/json")
    assert jobs.load_exchange_rates() == {"status": "ok", "created": 1, "updated": 0}
    assert ExchangeRate.objects.get().rate_to_uzs == Decimal("12055.3100")
    assert not Notification.objects.filter(kind="incubator.rates_failed").exists()


@pytest.mark.parametrize(
    "answer",
    [
        {"response_data": "Bad gateway", "status": 502},
        {"response_data": FIXTURE.read_text()[:200], "status": 200},  # cut short: not JSON
        {"response_data": json.dumps({"error": "maintenance"}), "status": 200},  # JSON, not rate records
    ],
    ids=["http-502", "truncated", "not-records"],
)
def test_failure_changes_nothing_and_tells_the_managers_once_a_day(bank, manager, user, time_machine, answer):
    time_machine.move_to(datetime.datetime(2026, 11, 28, 10, 5, tzinfo=datetime.UTC))
    ExchangeRate.objects.create(currency="USD", date=datetime.date(2026, 11, 27), rate_to_uzs=Decimal("12055.31"))
    bank.expect_request(PATH).respond_with_data(**answer)
    assert jobs.load_exchange_rates()["status"] == "failed"
    assert jobs.load_exchange_rates()["status"] == "failed"  # a second run the same day: no second message
    assert list(ExchangeRate.objects.values_list("date", "rate_to_uzs")) == [
        (datetime.date(2026, 11, 27), Decimal("12055.3100"))
    ]
    [notice] = Notification.objects.filter(kind="incubator.rates_failed")
    assert notice.recipient == manager  # the incubator managers only
    time_machine.move_to(datetime.datetime(2026, 11, 29, 10, 5, tzinfo=datetime.UTC))
    jobs.load_exchange_rates()
    assert Notification.objects.filter(kind="incubator.rates_failed").count() == 2  # the next day, again


SUBJECTS = {
    "uz": "28.11.2026 uchun valyuta kurslari yuklanmadi",
    "ru": "Курсы валют на 28.11.2026 не загружены",
    "en": "Exchange rates for 28.11.2026 were not loaded",
}


@pytest.mark.parametrize("language", list(PREFIX))
def test_the_managers_notice_in_each_language(bank, manager, tasks, time_machine, language):
    time_machine.move_to(datetime.datetime(2026, 11, 28, 10, 5, tzinfo=datetime.UTC))
    manager.preferred_language = language
    manager.save()
    bank.expect_request(PATH).respond_with_data("Service unavailable", status=503)
    jobs.load_exchange_rates()
    tasks()
    [email] = mail.outbox
    assert email.subject == SUBJECTS[language] and email.to == [manager.email]
    assert "503" in email.body and f"{PREFIX[language]}/admin/incubator/exchangerate/" in email.body


def test_an_unreachable_bank_tells_the_managers_too(settings, manager):
    settings.CBU_RATES_URL = "http://127.0.0.1:9/json/"
    assert jobs.load_exchange_rates()["status"] == "failed"
    assert Notification.objects.filter(kind="incubator.rates_failed", recipient=manager).count() == 1


@pytest.fixture
def friday_rate():
    return ExchangeRate.objects.create(
        currency="USD", date=datetime.date(2026, 11, 27), rate_to_uzs=Decimal("12055.31")
    )


def test_a_weekend_investment_uses_fridays_rate_and_says_so(client, friday_rate):
    startup = StartupFactory(slug="tokcha")
    sunday = datetime.date(2026, 11, 29)
    investment = services.investment_record(
        startup=startup, investor=InvestorFactory(), amount=Decimal("1000"), currency="USD", date=sunday, kind="grant"
    )
    assert (investment.rate_date, investment.rate_to_uzs, investment.uzs_value) == (
        datetime.date(2026, 11, 27),
        Decimal("12055.31"),
        Decimal("12055310.00"),
    )
    page = client.get("/en/innox/startups/tokcha/").content.decode()
    assert "at the rate of 27.11.2026" in page


def test_the_days_own_rate_wins_over_an_earlier_one(friday_rate):
    ExchangeRate.objects.create(currency="USD", date=datetime.date(2026, 11, 30), rate_to_uzs=Decimal("12070"))
    rate, day = services.rate_on(currency="USD", date=datetime.date(2026, 11, 30))
    assert (rate, day) == (Decimal("12070.0000"), datetime.date(2026, 11, 30))


def test_a_rate_published_after_the_day_is_never_used():
    ExchangeRate.objects.create(currency="USD", date=datetime.date(2026, 12, 1), rate_to_uzs=Decimal("12070"))
    with pytest.raises(ValidationError, match="no USD exchange rate for 30.11.2026"):
        services.rate_on(currency="USD", date=datetime.date(2026, 11, 30))


def test_a_rate_older_than_the_lookback_is_missing_not_stale(friday_rate):
    late = friday_rate.date + datetime.timedelta(days=services.RATE_LOOKBACK_DAYS + 1)
    with pytest.raises(ValidationError, match="or the 10 days before it"):
        services.rate_on(currency="USD", date=late)
    assert services.rate_on(currency="USD", date=late - datetime.timedelta(days=1))[1] == friday_rate.date


def test_uzs_investments_need_no_rate():
    investment = services.investment_record(
        startup=StartupFactory(),
        investor=InvestorFactory(),
        amount=Decimal("5000000"),
        currency="UZS",
        date=datetime.date(2026, 11, 29),
        kind="grant",
    )
    assert (investment.rate_date, investment.rate_to_uzs, investment.uzs_value) == (None, None, Decimal("5000000"))

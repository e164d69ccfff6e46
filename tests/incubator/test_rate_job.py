"""The daily exchange-rate job: fetches the Central Bank's JSON from ``CBU_RATES_URL`` (here a local
HTTP server), stores the currencies investments use, and changes nothing when the fetch fails or
the answer is malformed."""

import datetime
import json
from decimal import Decimal

import pytest

from incubator import jobs
from incubator.models import ExchangeRate

pytestmark = pytest.mark.django_db

CBU_DAY = [
    {"id": 69, "Code": "840", "Ccy": "USD", "Nominal": "1", "Rate": "12061.77", "Date": "28.11.2026"},
    {"id": 21, "Code": "978", "Ccy": "EUR", "Nominal": "1", "Rate": "13950.12", "Date": "28.11.2026"},
]


@pytest.fixture
def bank(httpserver, settings):
    settings.CBU_RATES_URL = httpserver.url_for("/uz/arkhiv-kursov-valyut/json/")
    settings.CBU_RATES_TIMEOUT = 5
    return httpserver


def test_loads_the_days_usd_rate(bank):
    bank.expect_request("/uz/arkhiv-kursov-valyut/json/").respond_with_data(
        "\ufeff" + json.dumps(CBU_DAY), content_type="application/json"
    )
    assert jobs.load_exchange_rates() == {"status": "ok", "created": 1, "updated": 0}
    assert list(ExchangeRate.objects.values_list("currency", "date", "rate_to_uzs")) == [
        ("USD", datetime.date(2026, 11, 28), Decimal("12061.7700"))
    ]
    assert jobs.load_exchange_rates()["updated"] == 1  # a second run the same day updates, never duplicates
    assert ExchangeRate.objects.count() == 1


@pytest.mark.parametrize(
    "answer",
    [
        {"response_data": "Service unavailable", "status": 503},
        {"response_data": "<html>not json</html>", "status": 200},
        {"response_data": json.dumps([{"Ccy": "USD", "Rate": "-1", "Date": "28.11.2026"}]), "status": 200},
        {"response_data": json.dumps([{"Ccy": "USD", "Rate": "12000", "Date": "2026-11-28"}]), "status": 200},
    ],
    ids=["http-503", "not-json", "negative-rate", "bad-date"],
)
def test_a_failed_or_malformed_answer_changes_nothing(bank, answer):
    ExchangeRate.objects.create(currency="USD", date=datetime.date(2026, 11, 28), rate_to_uzs=Decimal("12000"))
    bank.expect_request("/uz/arkhiv-kursov-valyut/json/").respond_with_data(**answer)
    result = jobs.load_exchange_rates()
    assert result["status"] == "failed" and result["error"]
    assert list(ExchangeRate.objects.values_list("rate_to_uzs", flat=True)) == [Decimal("12000.0000")]


def test_an_unreachable_bank_changes_nothing(settings):
    settings.CBU_RATES_URL = "http://127.0.0.1:9/json/"  # nothing listens on the discard port
    assert jobs.load_exchange_rates()["status"] == "failed"
    assert ExchangeRate.objects.count() == 0

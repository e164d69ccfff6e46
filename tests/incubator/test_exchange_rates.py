"""Exchange rates: the Central Bank file loader refuses bad files with a clear message and stores
nothing; an investment's UZS value is the amount times the rate of its own date."""

import datetime
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from incubator.models import ExchangeRate, Investment

from .factories import ExchangeRateFactory, InvestorFactory, StartupFactory

pytestmark = pytest.mark.django_db

GOOD = {"id": 69, "Code": "840", "Ccy": "USD", "Nominal": "1", "Rate": "12940.00", "Date": "18.04.2025"}


def _load(tmp_path, content: bytes | str):
    path = tmp_path / "cbu.json"
    if isinstance(content, str):
        content = content.encode()
    path.write_bytes(content)
    call_command("load_exchange_rates", str(path))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('[{"Ccy": "USD", ', "is not valid JSON (line 1, column 17: Expecting property name enclosed in double"),
        ("", "is not valid JSON (line 1, column 1: Expecting value)"),
        (b"\xff\xd8\xff\xe0 a JPEG", "is not a UTF-8 text file, so not the Central Bank's JSON."),
        ("42", "Expected a JSON list of rate records."),
        ('"USD"', "Expected a JSON list of rate records."),
        (json.dumps([GOOD, "USD 12940"]), "Record 2 is not a Central Bank rate record"),
        (json.dumps([[1, 2]]), "Record 1 is not a Central Bank rate record"),
        (json.dumps([{"Ccy": "USD", "Rate": "12940"}]), "Record 1 is not a Central Bank rate record"),
        (json.dumps([{**GOOD, "Date": "2025-04-18"}]), "(it needs Ccy, Rate and Date as dd.mm.yyyy)"),
        (json.dumps([{**GOOD, "Date": "31.02.2025"}]), "Record 1 is not a Central Bank rate record"),
        (json.dumps([{**GOOD, "Rate": "abc"}]), "Record 1 is not a Central Bank rate record"),
        (json.dumps([{**GOOD, "Rate": "NaN"}]), "Record 1 is not a Central Bank rate record"),
        (json.dumps([{**GOOD, "Rate": None}]), "Record 1 is not a Central Bank rate record"),
        (json.dumps([{**GOOD, "Nominal": "Infinity"}]), "Record 1 is not a Central Bank rate record"),
        (json.dumps([{**GOOD, "Ccy": "US DOLLAR"}]), "Record 1 is not a Central Bank rate record"),
        (json.dumps([GOOD, {**GOOD, "Rate": "-1"}]), "Record 2: a rate must be positive"),
        (json.dumps([{**GOOD, "Nominal": "0"}]), "Record 1: a rate must be positive"),
        (json.dumps([{**GOOD, "Rate": "1e12"}]), "Record 1: the rate 1000000000000.0000 is too large"),
    ],
)
def test_malformed_file_is_a_clear_error_and_stores_nothing(tmp_path, content, message):
    with pytest.raises(CommandError) as info:
        _load(tmp_path, content)
    assert message in str(info.value)
    assert ExchangeRate.objects.count() == 0


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match=r"Cannot read .*nope\.json: No such file or directory\."):
        call_command("load_exchange_rates", str(tmp_path / "nope.json"))


def test_file_with_bom_and_nominal_loads(tmp_path):
    rows = [GOOD, {**GOOD, "Ccy": "JPY", "Nominal": "10", "Rate": "905.10"}]
    _load(tmp_path, b"\xef\xbb\xbf" + json.dumps(rows).encode())
    assert sorted(ExchangeRate.objects.values_list("currency", "date", "rate_to_uzs")) == [
        ("JPY", datetime.date(2025, 4, 18), Decimal("90.5100")),
        ("USD", datetime.date(2025, 4, 18), Decimal("12940.0000")),
    ]


# --- the investment's UZS value in the admin ------------------------------------------------


def _investment_form(startup, investor, **extra):
    return {
        "startup": startup.pk,
        "investor": investor.pk,
        "amount": "20000",
        "currency": "USD",
        "date": "2025-04-18",
        "kind": "equity",
        "investor_day": "",
        "note": "",
        **extra,
    }


def test_admin_refuses_a_date_without_a_rate(client, manager):
    ExchangeRateFactory(date=datetime.date(2025, 4, 18), rate_to_uzs=Decimal("12940.00"))
    startup, investor = StartupFactory(), InvestorFactory()
    client.force_login(manager)
    response = client.post(
        "/en/admin/incubator/investment/add/", _investment_form(startup, investor, date="2025-04-17")
    )
    assert response.status_code == 200
    assert (
        "There is no USD exchange rate for 17.04.2025 or the 10 days before it. Add it under Exchange rates "
        "(or load the Central Bank&#x27;s file with load_exchange_rates) and try again."
    ) in response.content.decode()
    assert Investment.objects.count() == 0


def test_admin_values_investment_at_the_rate_of_its_date(client, manager):
    ExchangeRateFactory(date=datetime.date(2025, 4, 17), rate_to_uzs=Decimal("12000.00"))
    ExchangeRateFactory(date=datetime.date(2025, 4, 18), rate_to_uzs=Decimal("12940.00"))
    startup, investor = StartupFactory(), InvestorFactory()
    client.force_login(manager)
    response = client.post("/en/admin/incubator/investment/add/", _investment_form(startup, investor))
    assert response.status_code == 302
    investment = Investment.objects.get()
    assert (investment.amount, investment.currency, investment.uzs_value) == (
        Decimal("20000.00"),
        "USD",
        Decimal("258800000.00"),
    )
    # Moving it to another day revalues it at that day's rate.
    response = client.post(
        f"/en/admin/incubator/investment/{investment.pk}/change/",
        _investment_form(startup, investor, date="2025-04-17"),
    )
    assert response.status_code == 302
    investment.refresh_from_db()
    assert investment.uzs_value == Decimal("240000000.00")


@pytest.mark.parametrize("amount", ["0", "-100"])
def test_admin_refuses_zero_or_negative_amount(client, manager, amount):
    startup, investor = StartupFactory(), InvestorFactory()
    client.force_login(manager)
    response = client.post(
        "/en/admin/incubator/investment/add/", _investment_form(startup, investor, amount=amount, currency="UZS")
    )
    assert "The amount must be greater than zero." in response.content.decode()
    assert Investment.objects.count() == 0

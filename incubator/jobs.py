"""Scheduled work of InnoX that is not a reminder (registered in ``IncubatorConfig.ready``)."""

import json
import logging
import urllib.error
import urllib.request

from django.conf import settings
from django.core.exceptions import ValidationError

from .models import Currency
from .services import exchange_rates_load

logger = logging.getLogger(__name__)


def load_exchange_rates() -> dict:
    """Fetch the Central Bank of Uzbekistan's rates of the day (``CBU_RATES_URL``, the format that
    ``manage.py load_exchange_rates`` reads) and store the currencies investments use.

    A failed fetch or a malformed answer stores nothing and is logged; the next day's run tries again.
    """
    url = settings.CBU_RATES_URL
    currencies = {code for code in Currency.values if code != Currency.UZS}
    try:
        request = urllib.request.Request(url, headers={"Accept": "application/json"})
        with urllib.request.urlopen(request, timeout=settings.CBU_RATES_TIMEOUT) as response:  # noqa: S310
            rows = json.loads(response.read().decode("utf-8-sig"))
        if isinstance(rows, dict):
            rows = [rows]
        created, updated = exchange_rates_load(rows=rows, currencies=currencies)
    except (OSError, ValueError, urllib.error.URLError) as error:  # network, HTTP status, JSON, encoding
        logger.warning("Exchange rates not loaded from %s: %s", url, error)
        return {"status": "failed", "error": f"{type(error).__name__}: {error}"[:500]}
    except ValidationError as error:
        logger.warning("Exchange rates not loaded from %s: %s", url, " ".join(error.messages))
        return {"status": "failed", "error": " ".join(error.messages)[:500]}
    return {"status": "ok", "created": created, "updated": updated}

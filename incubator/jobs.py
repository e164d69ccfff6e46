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

    A failed fetch or a malformed answer stores nothing, is logged, and the incubator managers are told
    (once a day); the next run tries again.
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
        reason = f"{type(error).__name__}: {error}"[:500]
        _tell_managers(reason)
        return {"status": "failed", "error": reason}
    except ValidationError as error:
        logger.warning("Exchange rates not loaded from %s: %s", url, " ".join(error.messages))
        reason = " ".join(error.messages)[:500]
        _tell_managers(reason)
        return {"status": "failed", "error": reason}
    return {"status": "ok", "created": created, "updated": updated}


def _tell_managers(reason: str) -> int:
    """Tell every incubator manager that today's rates were not loaded: once a day each (the
    job may run again the same day), in their language, with the reason."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from notifications.services import notify
    from technopark.roles import INCUBATOR_MANAGER

    today = timezone.localdate()
    managers = get_user_model().objects.filter(groups__name=INCUBATOR_MANAGER, is_active=True).distinct()
    sent = 0
    for manager in managers.order_by("pk"):
        sent += (
            notify(
                manager,
                topic="incubator",
                kind="incubator.rates_failed",
                template="incubator/messages/rates_failed",
                context={"reason": reason, "day": today, "url": settings.CBU_RATES_URL},
                link=("admin:incubator_exchangerate_changelist", {}),
                dedupe_key=f"incubator:rates-failed:{today.isoformat()}:{manager.pk}",
            )
            is not None
        )
    return sent

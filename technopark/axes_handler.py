"""Login lockout per account and per address (django-axes).

``AXES_LOCKOUT_PARAMETERS = ["ip_address", ["username", "ip_address"]]``: axes keeps one count
per address (all accounts) and one per account from that address. Axes compares both with one
limit; this handler gives the address its own, higher limit (``AXES_IP_FAILURE_LIMIT``), so a
school lab behind one address is not locked by one pupil's ten wrong passwords, while a client
spraying one password over many accounts is stopped. A successful login clears only that
account's count: logging in to an account of one's own must not wipe the address's count.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from django.conf import settings
from django.db.models import Sum


class AccountAndAddressHandler(AxesDatabaseHandler):
    def _counts(self, request, credentials) -> tuple[int, int]:
        per_address, per_account = (
            attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        return per_address, per_account

    def get_failures(self, request, credentials=None) -> int:
        per_address, per_account = self._counts(request, credentials)
        if per_address >= settings.AXES_IP_FAILURE_LIMIT:
            return max(per_account, get_failure_limit(request, credentials))
        return per_account

    def reset_user_attempts(self, request, credentials=None) -> int:
        per_account = self.filter_user_attempts(request, credentials)[-1]
        count, _ = per_account.delete()
        return count

"""The personal-data access log: every staff view, export or change of personal data is recorded.

What counts as personal data is named in the settings (the composition root names the apps):
``PERSONAL_DATA_MODELS`` — admin models ("app_label.model_name") whose change list, change page,
history, export or edits are recorded — and ``PERSONAL_DATA_PAGES`` — staff pages by URL name
("namespace:name"), recorded when they answer.

Records are written by :class:`AccessLogMiddleware` after the view has returned. ``ATOMIC_REQUESTS``
wraps the view alone, so by then the request's transaction is over (committed, or rolled back
after the data was read) and the record is written on the request's own persistent connection in
autocommit: kept whatever happened to the view's changes, without opening a new database
connection per staff request (that cost ~10 ms and a PostgreSQL backend each time). If the record
cannot be written the response is withheld (503): no trace, no data.
"""

import logging

from django.conf import settings
from django.contrib import admin
from django.db import connections
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import AccessRecord

logger = logging.getLogger(__name__)

INSERT = (
    "INSERT INTO security_accessrecord (at, actor_id, actor_email, action, what, object_id, path, ip) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
)

ADMIN_VIEWS = ("changelist", "change", "history", "export", "add", "delete")


def write(*, user, action: str, what: str, object_id: str = "", path: str = "", ip: str | None = None) -> None:
    """Insert one record (one INSERT on the default connection, outside the view's transaction)."""
    row = (timezone.now(), user.pk, user.email[:254], str(action), what[:200], str(object_id)[:64], path[:1000], ip)
    with connections["default"].cursor() as cursor:
        cursor.execute(INSERT, row)


def _admin_models() -> dict[str, str]:
    """``app_model`` (as in admin URL names) -> ``app_label.model_name`` of audited admin models."""
    audited = {label.lower() for label in settings.PERSONAL_DATA_MODELS}
    names = {}
    for model in admin.site._registry:
        label = f"{model._meta.app_label}.{model._meta.model_name}"
        if label in audited:
            names[f"{model._meta.app_label}_{model._meta.model_name}"] = label
    return names


def classify(request, response) -> tuple[str, str, str] | None:
    """(action, what, object id) when this request showed, exported or changed personal data."""
    match = getattr(request, "resolver_match", None)
    if match is None or not match.url_name:
        return None
    is_file = "attachment" in response.get("Content-Disposition", "")
    # A private file in S3-compatible storage is handed out as a redirect to a signed address
    # (technopark.files.serve_private_file marks it): that is the download, so it is recorded too.
    if request.method == "GET" and (response.status_code == 200 or getattr(response, "hands_out_file", False)):
        action = AccessRecord.Action.EXPORT if is_file else AccessRecord.Action.VIEW
    elif request.method == "POST" and response.status_code == 200 and is_file:
        action = AccessRecord.Action.EXPORT
    elif request.method == "POST" and response.status_code == 302:
        action = AccessRecord.Action.CHANGE
    else:
        return None

    if match.namespace == "admin":
        prefix, _sep, view = match.url_name.rpartition("_")
        if view not in ADMIN_VIEWS:
            return None
        label = _admin_models().get(prefix)
        if label is None:
            return None
        if view in ("add", "delete", "export") and action == AccessRecord.Action.VIEW:
            return None  # an empty form or a confirmation page shows nothing of a person yet
        return action, label, match.kwargs.get("object_id", "")

    name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
    if name not in settings.PERSONAL_DATA_PAGES:
        return None
    object_id = next((str(match.kwargs[k]) for k in ("pk", "number", "slug", "name") if k in match.kwargs), "")
    return action, name, object_id


class AccessLogMiddleware:
    """After a staff member's request that showed, exported or changed personal data, record it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not settings.PERSONAL_DATA_AUDIT:
            return response
        found = classify(request, response)
        if found is None:
            return response
        action, what, object_id = found
        try:
            write(
                user=user,
                action=action,
                what=what,
                object_id=object_id,
                path=request.get_full_path(),
                ip=request.META.get("REMOTE_ADDR") or None,
            )
        except Exception:
            logger.exception("The personal-data access record could not be written; the response is withheld.")
            return HttpResponse(
                _("This page cannot be shown right now. Please try again in a minute."),
                status=503,
                content_type="text/plain; charset=utf-8",
            )
        return response

"""A person's own data: everything the portal holds about them, as JSON, and deletion on request.

The export is built from the models themselves: every row of every installed model that points at
the person (a foreign key or one-to-one field to the user model), so a new app or model is covered
without anyone remembering to add it. Deletion runs each app's registered steps (technopark.registry)
and then anonymises the account: the rows the technopark must keep (certificates issued, attendance,
investments, reviews) stay for the figures, but no longer name the person.
"""

import datetime
import json
import uuid
from decimal import Decimal
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from . import registry

SKIPPED_FIELDS = {"password"}


def _value(value):
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or ""
    return value


def _row(instance) -> dict:
    data = {}
    for field in instance._meta.concrete_fields:
        if field.name in SKIPPED_FIELDS:
            continue
        if isinstance(field, models.ForeignKey):
            data[field.name] = getattr(instance, field.attname)
        else:
            data[field.name] = _value(getattr(instance, field.attname))
    return data


def _user_links():
    """(model, field name) for every field of every model that points at the user model."""
    User = get_user_model()
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, (models.ForeignKey, models.OneToOneField)) and field.related_model is User:
                yield model, field.name


def export_personal_data(user) -> dict:
    account = _row(user)
    account["groups"] = list(user.groups.values_list("name", flat=True))
    data = {"exported_at": timezone.now().isoformat(), "account": account, "records": {}}
    for model, field in _user_links():
        label = f"{model._meta.app_label}.{model._meta.model_name}"
        rows = [_row(obj) for obj in model._default_manager.filter(**{field: user}).order_by("pk")]
        if rows:
            data["records"].setdefault(label, {})[field] = rows
    return data


def export_json(user) -> bytes:
    return json.dumps(export_personal_data(user), ensure_ascii=False, indent=2, default=str).encode()


@transaction.atomic
def erase_person(user) -> None:
    """Delete what can go and anonymise the account; the person is logged out everywhere."""
    User = get_user_model()
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.anonymised_at:
        return
    for step in registry.erasure_steps():
        step(user)
    born = user.birth_date
    user.email = f"deleted-{user.pk}-{uuid.uuid4().hex[:8]}@deleted.invalid"
    user.full_name = ""
    user.phone = ""
    user.organisation = ""
    user.guardian_name = ""
    user.guardian_phone = ""
    # The year of birth, gender and district stay for the age-band and district figures only.
    user.birth_date = born.replace(month=1, day=1) if born else None
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.set_unusable_password()
    user.anonymised_at = timezone.now()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    SessionStore = import_module(settings.SESSION_ENGINE).SessionStore  # noqa: N806 - a class
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            # Through the session engine, so a copy kept in the cache (cached_db) goes too.
            SessionStore(session_key=session.session_key).delete()

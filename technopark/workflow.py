"""State machines with history, written once for every app.

An app declares a ``Workflow``: its status choices, the transition table (from status → the
statuses it may move to) and its history model (a subclass of ``StatusChangeBase`` with a
foreign key to the object). ``Workflow.move`` is the only way a status changes: it checks the
table, saves the new status and writes a history row (who, when, from, to, why) in the caller's
transaction. A disallowed move raises a translated ``ValidationError`` and changes nothing.

The core knows no domain model here: the apps pass theirs in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

#: ``from_status`` of the history row that records an object's creation.
CREATED = ""


class StatusChangeBase(models.Model):
    """One move of an object's status: who, when, from, to and why."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    from_status = models.CharField(_("from"), max_length=20, blank=True)
    to_status = models.CharField(_("to"), max_length=20)
    at = models.DateTimeField(_("at"), default=timezone.now)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.from_status or '—'} → {self.to_status}"


@dataclass(frozen=True)
class Workflow:
    """A transition table and the history model that logs every move through it."""

    statuses: type[models.TextChoices]
    transitions: Mapping[str, frozenset[str]]
    history: type[StatusChangeBase]
    subject: str  # the history model's foreign key to the object, e.g. "enrolment"
    refusal: str  # "An enrolment cannot go from “%(from)s” to “%(to)s”." (lazy, translated)
    initial: frozenset[str] = frozenset()  # statuses an object may be created in

    def __post_init__(self):
        known = set(self.statuses.values)
        table = set(self.transitions) | {s for targets in self.transitions.values() for s in targets}
        if not table <= known or not set(self.initial) <= known:
            raise ValueError(f"The transition table of {self.history.__name__} names unknown statuses.")

    def missing(self) -> set[str]:
        """Statuses the table does not list (a status with no way out is listed with an empty set)."""
        return set(self.statuses.values) - set(self.transitions)

    def allowed(self, from_status: str, to_status: str) -> bool:
        if from_status == CREATED:
            return to_status in self.initial
        return to_status in self.transitions.get(from_status, ())

    def targets(self, from_status: str) -> frozenset[str]:
        return frozenset(self.transitions.get(from_status, ()))

    def _label(self, status: str) -> str:
        return self.statuses(status).label if status in self.statuses.values else status

    def check(self, from_status: str, to_status: str) -> None:
        if not self.allowed(from_status, to_status):
            raise ValidationError(
                self.refusal,
                code="bad_transition",
                params={"from": self._label(from_status) if from_status else "—", "to": self._label(to_status)},
            )

    def move(
        self,
        obj: models.Model,
        to_status: str,
        *,
        actor=None,
        reason: str = "",
        update_fields: Iterable[str] = (),
    ) -> StatusChangeBase:
        """Move ``obj`` to ``to_status`` (saving ``status`` and ``update_fields``) and log it.
        Call it inside a transaction that holds the object's row lock."""
        from_status = obj.status
        self.check(from_status, to_status)
        obj.status = to_status
        obj.save(update_fields=["status", *update_fields])
        return self.record(obj, from_status, to_status, actor=actor, reason=reason)

    def record(self, obj, from_status: str, to_status: str, *, actor=None, reason: str = "") -> StatusChangeBase:
        """Log a move (or, with ``from_status=CREATED``, the creation) without saving ``obj``."""
        self.check(from_status, to_status)
        if actor is not None and not getattr(actor, "is_authenticated", False):
            actor = None  # AnonymousUser or a system job: no person to name
        return self.history.objects.create(
            **{self.subject: obj},
            actor=actor,
            from_status=from_status,
            to_status=to_status,
            reason=(reason or "").strip(),
        )

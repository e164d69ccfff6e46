"""Summaries the database keeps current (PostgreSQL triggers, migration 0001), so that the impact
page's unfiltered figures read a few rows instead of scanning every person and enrolment.

* ``PersonParticipation``: per person, how many of their records make them someone who took
  part (an enrolment not rejected, a confirmed or completed FabLab booking, a submitted InnoX
  application, an InnoX participant record) — the definition of ``selectors.participation_sources``
  without filters. A row exists while the number is above zero.
* ``DistrictParticipation``: people who took part per district (``district_key`` 0: not given),
  moved when a person's district changes.
* ``DirectionEnrolments``: enrolments that took part (not rejected) per training direction.

The triggers change these rows in the same transaction as the records, so the figures are exact
at every commit; ``rebuild()`` recomputes them from the records (the migration does it once, and
``tests/impact/test_summary.py`` compares both after every kind of change). Rows are written only
by the triggers: nothing in Python saves these models.
"""

from django.db import connection, models
from django.utils.translation import gettext_lazy as _


class PersonParticipation(models.Model):
    user_id = models.BigIntegerField(_("person"), primary_key=True)
    records = models.IntegerField(_("records that count"))

    class Meta:
        verbose_name = _("participation of a person")

    def __str__(self):
        return f"{self.user_id}: {self.records}"


class DistrictParticipation(models.Model):
    district_key = models.BigIntegerField(_("district (0: not given)"), primary_key=True)
    people = models.IntegerField(_("people who took part"))

    class Meta:
        verbose_name = _("participation by district")

    def __str__(self):
        return f"{self.district_key}: {self.people}"


class DirectionEnrolments(models.Model):
    direction_id = models.BigIntegerField(_("direction"), primary_key=True)
    enrolments = models.IntegerField(_("enrolments that took part"))

    class Meta:
        verbose_name = _("enrolments by direction")

    def __str__(self):
        return f"{self.direction_id}: {self.enrolments}"


def rebuild() -> None:
    """Recompute every summary row from the records (what the triggers keep current)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT impact_summary_rebuild()")

"""The usual week (Monday to Saturday 9:00–18:00, Sunday closed) and the database's guard.

``fablab_within_hours(start, end)`` says whether a time range lies within one local day's
opening hours: the day's ``OpeningException`` if there is one, else its ``WeeklyHours`` row (no
row or no times: closed). The trigger ``fablab_booking_within_hours`` calls it for every claim
on future time: a new request (every booking made on the site is inserted as ``requested``), and
an active booking whose times change or that becomes active again. Confirming, rejecting,
cancelling or completing an existing booking is not checked, so changing the hours never makes
an existing booking fail (the staff page "Bookings outside opening hours" lists them instead).
The error has SQLSTATE 23514 (check_violation) and names the "constraint"
``fablab_booking_within_opening_hours``, which ``services.booking_request`` recognises.

The local time zone is written into the function from ``settings.TIME_ZONE`` when migrating.
"""

import datetime

from django.conf import settings
from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION fablab_within_hours(range_start timestamptz, range_end timestamptz)
RETURNS boolean LANGUAGE plpgsql STABLE AS $$
DECLARE
    local_start timestamp := range_start AT TIME ZONE '{tz}';
    local_end timestamp := range_end AT TIME ZONE '{tz}';
    day date := (range_start AT TIME ZONE '{tz}')::date;
    day_opens time;
    day_closes time;
BEGIN
    IF local_end::date <> day OR range_end <= range_start THEN
        RETURN false;
    END IF;
    SELECT x.opens, x.closes INTO day_opens, day_closes FROM fablab_openingexception x WHERE x.date = day;
    IF NOT FOUND THEN
        SELECT w.opens, w.closes INTO day_opens, day_closes
        FROM fablab_weeklyhours w WHERE w.weekday = EXTRACT(ISODOW FROM day)::int - 1;
    END IF;
    RETURN day_opens IS NOT NULL AND local_start::time >= day_opens AND local_end::time <= day_closes;
END $$;

CREATE OR REPLACE FUNCTION fablab_booking_within_hours() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- (end <= start is the CHECK constraint's to refuse, with its own name)
    IF NEW.status IN ('requested', 'confirmed') AND NEW."end" > now() AND NEW."end" > NEW.start AND (
        (TG_OP = 'INSERT' AND NEW.status = 'requested')
        OR (TG_OP = 'UPDATE' AND (
            NEW.start IS DISTINCT FROM OLD.start
            OR NEW."end" IS DISTINCT FROM OLD."end"
            OR OLD.status NOT IN ('requested', 'confirmed')
        ))
    ) AND NOT fablab_within_hours(NEW.start, NEW."end") THEN
        RAISE EXCEPTION 'FabLab booking % – % is outside the opening hours', NEW.start, NEW."end"
            USING ERRCODE = 'check_violation', CONSTRAINT = 'fablab_booking_within_opening_hours',
                  TABLE = 'fablab_booking';
    END IF;
    RETURN NEW;
END $$;

DROP TRIGGER IF EXISTS fablab_booking_within_hours ON fablab_booking;
CREATE TRIGGER fablab_booking_within_hours
    BEFORE INSERT OR UPDATE ON fablab_booking
    FOR EACH ROW EXECUTE FUNCTION fablab_booking_within_hours();
"""

DROP = """
DROP TRIGGER IF EXISTS fablab_booking_within_hours ON fablab_booking;
DROP FUNCTION IF EXISTS fablab_booking_within_hours();
DROP FUNCTION IF EXISTS fablab_within_hours(timestamptz, timestamptz);
"""


def usual_week(apps, schema_editor):
    WeeklyHours = apps.get_model("fablab", "WeeklyHours")
    if WeeklyHours.objects.exists():
        return
    # The old settings are the seed's defaults: Monday to Saturday, Sunday closed.
    opens = datetime.time(getattr(settings, "FABLAB_OPEN_HOUR", 9))
    closes = datetime.time(getattr(settings, "FABLAB_CLOSE_HOUR", 18))
    WeeklyHours.objects.bulk_create(
        [WeeklyHours(weekday=d, opens=opens, closes=closes) for d in range(6)] + [WeeklyHours(weekday=6)]
    )


def create_guard(apps, schema_editor):
    schema_editor.execute(FUNCTION.replace("{tz}", settings.TIME_ZONE.replace("'", "")), params=None)


def drop_guard(apps, schema_editor):
    schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("fablab", "0004_opening_hours")]

    operations = [
        migrations.RunPython(usual_week, migrations.RunPython.noop),
        migrations.RunPython(create_guard, drop_guard),
    ]

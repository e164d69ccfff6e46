"""Participation summaries kept current by PostgreSQL triggers (see impact/models.py).

The statuses are those of the models (checked by tests/impact/test_summary.py):
programs.Enrolment "rejected" does not count; fablab.Booking counts when "confirmed" or
"completed"; incubator.Application counts unless "draft"; incubator.Participant counts with a user.
"""

from django.db import migrations, models

FUNCTIONS = r"""
-- One person's count of records that make them someone who took part, moved by delta; the
-- district's count of people follows when the person starts or stops counting.
CREATE OR REPLACE FUNCTION impact_participation_add(uid bigint, delta integer) RETURNS void AS $$
DECLARE
    after_count integer;
    district bigint;
BEGIN
    IF uid IS NULL OR delta = 0 THEN
        RETURN;
    END IF;
    IF delta > 0 THEN
        INSERT INTO impact_personparticipation (user_id, records) VALUES (uid, delta)
        ON CONFLICT (user_id) DO UPDATE SET records = impact_personparticipation.records + delta
        RETURNING records INTO after_count;
    ELSE
        UPDATE impact_personparticipation SET records = records + delta WHERE user_id = uid
        RETURNING records INTO after_count;
        IF NOT FOUND THEN
            RETURN;
        END IF;
    END IF;
    IF after_count - delta <= 0 AND after_count > 0 THEN
        SELECT COALESCE(district_id, 0) INTO district FROM technopark_user WHERE id = uid;
        INSERT INTO impact_districtparticipation (district_key, people) VALUES (COALESCE(district, 0), 1)
        ON CONFLICT (district_key) DO UPDATE SET people = impact_districtparticipation.people + 1;
    ELSIF after_count - delta > 0 AND after_count <= 0 THEN
        SELECT COALESCE(district_id, 0) INTO district FROM technopark_user WHERE id = uid;
        UPDATE impact_districtparticipation SET people = people - 1 WHERE district_key = COALESCE(district, 0);
    END IF;
    IF after_count <= 0 THEN
        DELETE FROM impact_personparticipation WHERE user_id = uid;
    END IF;
END
$$ LANGUAGE plpgsql;

-- One row's change: -1 for the old row if it counted, +1 for the new one if it counts
-- (nothing when the same person counts before and after).
CREATE OR REPLACE FUNCTION impact_participation_change(
    old_uid bigint, old_counts boolean, new_uid bigint, new_counts boolean
) RETURNS void AS $$
BEGIN
    IF old_counts AND new_counts AND old_uid IS NOT DISTINCT FROM new_uid THEN
        RETURN;
    END IF;
    IF old_counts THEN
        PERFORM impact_participation_add(old_uid, -1);
    END IF;
    IF new_counts THEN
        PERFORM impact_participation_add(new_uid, 1);
    END IF;
END
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION impact_direction_of_intake(intake bigint) RETURNS bigint AS $$
    SELECT c.direction_id FROM programs_intake i JOIN programs_course c ON c.id = i.course_id WHERE i.id = intake
$$ LANGUAGE sql STABLE;

CREATE OR REPLACE FUNCTION impact_direction_add(direction bigint, delta integer) RETURNS void AS $$
BEGIN
    IF direction IS NULL OR delta = 0 THEN
        RETURN;
    END IF;
    INSERT INTO impact_directionenrolments (direction_id, enrolments) VALUES (direction, delta)
    ON CONFLICT (direction_id) DO UPDATE SET enrolments = impact_directionenrolments.enrolments + delta;
END
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION impact_enrolment_changed() RETURNS trigger AS $$
DECLARE
    old_counts boolean := TG_OP <> 'INSERT' AND OLD.status <> 'rejected';
    new_counts boolean := TG_OP <> 'DELETE' AND NEW.status <> 'rejected';
BEGIN
    PERFORM impact_participation_change(
        CASE WHEN TG_OP <> 'INSERT' THEN OLD.user_id END, old_counts,
        CASE WHEN TG_OP <> 'DELETE' THEN NEW.user_id END, new_counts
    );
    IF old_counts AND new_counts AND OLD.intake_id = NEW.intake_id THEN
        RETURN NULL;
    END IF;
    IF old_counts THEN
        PERFORM impact_direction_add(impact_direction_of_intake(OLD.intake_id), -1);
    END IF;
    IF new_counts THEN
        PERFORM impact_direction_add(impact_direction_of_intake(NEW.intake_id), 1);
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION impact_booking_changed() RETURNS trigger AS $$
BEGIN
    PERFORM impact_participation_change(
        CASE WHEN TG_OP <> 'INSERT' THEN OLD.user_id END,
        TG_OP <> 'INSERT' AND OLD.status IN ('confirmed', 'completed'),
        CASE WHEN TG_OP <> 'DELETE' THEN NEW.user_id END,
        TG_OP <> 'DELETE' AND NEW.status IN ('confirmed', 'completed')
    );
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION impact_application_changed() RETURNS trigger AS $$
BEGIN
    PERFORM impact_participation_change(
        CASE WHEN TG_OP <> 'INSERT' THEN OLD.applicant_id END,
        TG_OP <> 'INSERT' AND OLD.status <> 'draft',
        CASE WHEN TG_OP <> 'DELETE' THEN NEW.applicant_id END,
        TG_OP <> 'DELETE' AND NEW.status <> 'draft'
    );
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION impact_participant_changed() RETURNS trigger AS $$
BEGIN
    PERFORM impact_participation_change(
        CASE WHEN TG_OP <> 'INSERT' THEN OLD.user_id END,
        TG_OP <> 'INSERT' AND OLD.user_id IS NOT NULL,
        CASE WHEN TG_OP <> 'DELETE' THEN NEW.user_id END,
        TG_OP <> 'DELETE' AND NEW.user_id IS NOT NULL
    );
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

-- A person moving district moves their count.
CREATE OR REPLACE FUNCTION impact_user_district_changed() RETURNS trigger AS $$
BEGIN
    IF OLD.district_id IS DISTINCT FROM NEW.district_id
       AND EXISTS (SELECT 1 FROM impact_personparticipation WHERE user_id = NEW.id) THEN
        UPDATE impact_districtparticipation SET people = people - 1 WHERE district_key = COALESCE(OLD.district_id, 0);
        INSERT INTO impact_districtparticipation (district_key, people) VALUES (COALESCE(NEW.district_id, 0), 1)
        ON CONFLICT (district_key) DO UPDATE SET people = impact_districtparticipation.people + 1;
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

-- A course or an intake moving to another direction or course (rare): recount the directions.
CREATE OR REPLACE FUNCTION impact_directions_recount() RETURNS trigger AS $$
BEGIN
    PERFORM impact_directions_rebuild();
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION impact_directions_rebuild() RETURNS void AS $$
BEGIN
    DELETE FROM impact_directionenrolments;
    INSERT INTO impact_directionenrolments (direction_id, enrolments)
    SELECT c.direction_id, count(*)
    FROM programs_enrolment e
    JOIN programs_intake i ON i.id = e.intake_id
    JOIN programs_course c ON c.id = i.course_id
    WHERE e.status <> 'rejected'
    GROUP BY c.direction_id;
END
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION impact_summary_rebuild() RETURNS void AS $$
BEGIN
    DELETE FROM impact_personparticipation;
    DELETE FROM impact_districtparticipation;
    INSERT INTO impact_personparticipation (user_id, records)
    SELECT uid, count(*) FROM (
        SELECT user_id AS uid FROM programs_enrolment WHERE status <> 'rejected'
        UNION ALL SELECT user_id FROM fablab_booking WHERE status IN ('confirmed', 'completed')
        UNION ALL SELECT applicant_id FROM incubator_application WHERE status <> 'draft'
        UNION ALL SELECT user_id FROM incubator_participant WHERE user_id IS NOT NULL
    ) AS counted
    WHERE uid IS NOT NULL
    GROUP BY uid;
    INSERT INTO impact_districtparticipation (district_key, people)
    SELECT COALESCE(u.district_id, 0), count(*)
    FROM impact_personparticipation p JOIN technopark_user u ON u.id = p.user_id
    GROUP BY 1;
    PERFORM impact_directions_rebuild();
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER impact_enrolment_summary AFTER INSERT OR DELETE OR UPDATE OF status, user_id, intake_id
    ON programs_enrolment FOR EACH ROW EXECUTE FUNCTION impact_enrolment_changed();
CREATE TRIGGER impact_booking_summary AFTER INSERT OR DELETE OR UPDATE OF status, user_id
    ON fablab_booking FOR EACH ROW EXECUTE FUNCTION impact_booking_changed();
CREATE TRIGGER impact_application_summary AFTER INSERT OR DELETE OR UPDATE OF status, applicant_id
    ON incubator_application FOR EACH ROW EXECUTE FUNCTION impact_application_changed();
CREATE TRIGGER impact_participant_summary AFTER INSERT OR DELETE OR UPDATE OF user_id
    ON incubator_participant FOR EACH ROW EXECUTE FUNCTION impact_participant_changed();
CREATE TRIGGER impact_user_district_summary AFTER UPDATE OF district_id
    ON technopark_user FOR EACH ROW EXECUTE FUNCTION impact_user_district_changed();
CREATE TRIGGER impact_course_direction_summary AFTER UPDATE OF direction_id
    ON programs_course FOR EACH STATEMENT EXECUTE FUNCTION impact_directions_recount();
CREATE TRIGGER impact_intake_course_summary AFTER UPDATE OF course_id
    ON programs_intake FOR EACH STATEMENT EXECUTE FUNCTION impact_directions_recount();

SELECT impact_summary_rebuild();
"""

DROP = r"""
DROP TRIGGER IF EXISTS impact_enrolment_summary ON programs_enrolment;
DROP TRIGGER IF EXISTS impact_booking_summary ON fablab_booking;
DROP TRIGGER IF EXISTS impact_application_summary ON incubator_application;
DROP TRIGGER IF EXISTS impact_participant_summary ON incubator_participant;
DROP TRIGGER IF EXISTS impact_user_district_summary ON technopark_user;
DROP TRIGGER IF EXISTS impact_course_direction_summary ON programs_course;
DROP TRIGGER IF EXISTS impact_intake_course_summary ON programs_intake;
DROP FUNCTION IF EXISTS impact_summary_rebuild();
DROP FUNCTION IF EXISTS impact_directions_recount();
DROP FUNCTION IF EXISTS impact_directions_rebuild();
DROP FUNCTION IF EXISTS impact_user_district_changed();
DROP FUNCTION IF EXISTS impact_participant_changed();
DROP FUNCTION IF EXISTS impact_application_changed();
DROP FUNCTION IF EXISTS impact_booking_changed();
DROP FUNCTION IF EXISTS impact_enrolment_changed();
DROP FUNCTION IF EXISTS impact_direction_add(bigint, integer);
DROP FUNCTION IF EXISTS impact_direction_of_intake(bigint);
DROP FUNCTION IF EXISTS impact_participation_change(bigint, boolean, bigint, boolean);
DROP FUNCTION IF EXISTS impact_participation_add(bigint, integer);
"""


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("technopark", "0001_initial"),
        ("programs", "0001_initial"),
        ("fablab", "0001_initial"),
        ("incubator", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="PersonParticipation",
            fields=[
                ("user_id", models.BigIntegerField(primary_key=True, serialize=False, verbose_name="person")),
                ("records", models.IntegerField(verbose_name="records that count")),
            ],
            options={"verbose_name": "participation of a person"},
        ),
        migrations.CreateModel(
            name="DistrictParticipation",
            fields=[
                (
                    "district_key",
                    models.BigIntegerField(primary_key=True, serialize=False, verbose_name="district (0: not given)"),
                ),
                ("people", models.IntegerField(verbose_name="people who took part")),
            ],
            options={"verbose_name": "participation by district"},
        ),
        migrations.CreateModel(
            name="DirectionEnrolments",
            fields=[
                ("direction_id", models.BigIntegerField(primary_key=True, serialize=False, verbose_name="direction")),
                ("enrolments", models.IntegerField(verbose_name="enrolments that took part")),
            ],
            options={"verbose_name": "enrolments by direction"},
        ),
        migrations.RunSQL(FUNCTIONS, DROP),
    ]

"""The season funnel kept by the database (incubator.models.SeasonFigures)."""

import django.db.models.deletion
from django.db import migrations, models

SQL = r"""
-- Recount the figures of these seasons. The season's row is created once and locked first, so
-- writers of one season take turns: each recount (a new statement, a new snapshot under READ
-- COMMITTED) sees the rows the previous writer committed. Seasons are locked in id order.
CREATE OR REPLACE FUNCTION incubator_season_figures_refresh(seasons bigint[]) RETURNS void AS $$
DECLARE
    s bigint;
BEGIN
    FOR s IN SELECT DISTINCT x FROM unnest(seasons) AS x WHERE x IS NOT NULL ORDER BY x LOOP
        INSERT INTO incubator_seasonfigures (season_id) VALUES (s) ON CONFLICT (season_id) DO NOTHING;
        PERFORM 1 FROM incubator_seasonfigures WHERE season_id = s FOR UPDATE;
        UPDATE incubator_seasonfigures SET
            applications = (SELECT COUNT(*) FROM incubator_application a
                            WHERE a.season_id = s AND a.status <> 'draft'),
            reviewed = (SELECT COUNT(*) FROM incubator_application a
                        WHERE a.season_id = s AND a.status <> 'draft'
                          AND EXISTS (SELECT 1 FROM incubator_review r WHERE r.application_id = a.id)),
            assignments = (SELECT COUNT(*) FROM incubator_reviewassignment x
                           JOIN incubator_application a ON a.id = x.application_id
                           WHERE a.season_id = s AND a.status <> 'draft'),
            reviews = (SELECT COUNT(*) FROM incubator_review x
                       JOIN incubator_application a ON a.id = x.application_id
                       WHERE a.season_id = s AND a.status <> 'draft'),
            shortlisted = (SELECT COUNT(*) FROM incubator_application a
                           WHERE a.season_id = s AND a.status IN ('shortlisted', 'accepted')),
            accepted = (SELECT COUNT(*) FROM incubator_application a
                        WHERE a.season_id = s AND a.status = 'accepted'),
            participants = (SELECT COUNT(*) FROM incubator_participant p WHERE p.season_id = s),
            startups = (SELECT COUNT(*) FROM incubator_startup t WHERE t.season_id = s),
            funded_startups = (SELECT COUNT(*) FROM incubator_startup t WHERE t.season_id = s
                               AND EXISTS (SELECT 1 FROM incubator_investment i WHERE i.startup_id = t.id)),
            investment_uzs = (SELECT COALESCE(SUM(i.uzs_value), 0) FROM incubator_investment i
                              JOIN incubator_startup t ON t.id = i.startup_id WHERE t.season_id = s)
        WHERE season_id = s;
    END LOOP;
END
$$ LANGUAGE plpgsql;

-- Statement-level triggers: the seasons a statement touched (from its transition tables), once.
-- Applications: drafts do not count; an update matters only when the status or season changes
-- (a draft saved again locks nothing).
CREATE OR REPLACE FUNCTION incubator_figures_application() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM incubator_season_figures_refresh(ARRAY(SELECT season_id FROM new_rows WHERE status <> 'draft'));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM incubator_season_figures_refresh(ARRAY(SELECT season_id FROM old_rows WHERE status <> 'draft'));
    ELSE
        PERFORM incubator_season_figures_refresh(ARRAY(
            SELECT unnest(ARRAY[o.season_id, n.season_id]) FROM old_rows o JOIN new_rows n ON n.id = o.id
            WHERE o.status IS DISTINCT FROM n.status OR o.season_id IS DISTINCT FROM n.season_id));
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

-- Reviews and review assignments: the season of their application (while it exists; Django
-- deletes them before the application). An update matters when the application changes.
CREATE OR REPLACE FUNCTION incubator_figures_by_application() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM incubator_season_figures_refresh(ARRAY(
            SELECT a.season_id FROM new_rows r JOIN incubator_application a ON a.id = r.application_id));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM incubator_season_figures_refresh(ARRAY(
            SELECT a.season_id FROM old_rows r JOIN incubator_application a ON a.id = r.application_id));
    ELSE
        PERFORM incubator_season_figures_refresh(ARRAY(
            SELECT a.season_id FROM old_rows o JOIN new_rows n ON n.id = o.id
            JOIN incubator_application a ON a.id IN (o.application_id, n.application_id)
            WHERE o.application_id IS DISTINCT FROM n.application_id));
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

-- Participants and startups: their own season.
CREATE OR REPLACE FUNCTION incubator_figures_by_season() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM incubator_season_figures_refresh(ARRAY(SELECT season_id FROM new_rows));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM incubator_season_figures_refresh(ARRAY(SELECT season_id FROM old_rows));
    ELSE
        PERFORM incubator_season_figures_refresh(ARRAY(
            SELECT unnest(ARRAY[o.season_id, n.season_id]) FROM old_rows o JOIN new_rows n ON n.id = o.id
            WHERE o.season_id IS DISTINCT FROM n.season_id));
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

-- Investments: the season of their startup; an update matters when the value or startup changes.
CREATE OR REPLACE FUNCTION incubator_figures_investment() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM incubator_season_figures_refresh(ARRAY(
            SELECT t.season_id FROM new_rows i JOIN incubator_startup t ON t.id = i.startup_id));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM incubator_season_figures_refresh(ARRAY(
            SELECT t.season_id FROM old_rows i JOIN incubator_startup t ON t.id = i.startup_id));
    ELSE
        PERFORM incubator_season_figures_refresh(ARRAY(
            SELECT t.season_id FROM old_rows o JOIN new_rows n ON n.id = o.id
            JOIN incubator_startup t ON t.id IN (o.startup_id, n.startup_id)
            WHERE o.startup_id IS DISTINCT FROM n.startup_id OR o.uzs_value IS DISTINCT FROM n.uzs_value));
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
"""

TABLES = {
    "incubator_application": "incubator_figures_application",
    "incubator_review": "incubator_figures_by_application",
    "incubator_reviewassignment": "incubator_figures_by_application",
    "incubator_participant": "incubator_figures_by_season",
    "incubator_startup": "incubator_figures_by_season",
    "incubator_investment": "incubator_figures_investment",
}


def _triggers() -> str:
    statements = []
    for table, function in TABLES.items():
        for event, referencing in (
            ("INSERT", "NEW TABLE AS new_rows"),
            ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
            ("DELETE", "OLD TABLE AS old_rows"),
        ):
            statements.append(
                f"CREATE TRIGGER {table}_figures_{event.lower()} AFTER {event} ON {table} "
                f"REFERENCING {referencing} FOR EACH STATEMENT EXECUTE FUNCTION {function}();"
            )
    return "\n".join(statements)


def _drop() -> str:
    triggers = [
        f"DROP TRIGGER IF EXISTS {table}_figures_{event} ON {table};"
        for table in TABLES
        for event in ("insert", "update", "delete")
    ]
    functions = [
        "DROP FUNCTION IF EXISTS incubator_figures_application();",
        "DROP FUNCTION IF EXISTS incubator_figures_by_application();",
        "DROP FUNCTION IF EXISTS incubator_figures_by_season();",
        "DROP FUNCTION IF EXISTS incubator_figures_investment();",
        "DROP FUNCTION IF EXISTS incubator_season_figures_refresh(bigint[]);",
    ]
    return "\n".join(triggers + functions)


FILL = "SELECT incubator_season_figures_refresh(ARRAY(SELECT id FROM incubator_season));"


class Migration(migrations.Migration):
    dependencies = [
        ("incubator", "0009_translated_venue_investor_organiser"),
    ]

    operations = [
        migrations.CreateModel(
            name="SeasonFigures",
            fields=[
                (
                    "season",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="figures",
                        serialize=False,
                        to="incubator.season",
                        verbose_name="season",
                    ),
                ),
                ("applications", models.IntegerField(db_default=0, verbose_name="applications (not drafts)")),
                ("reviewed", models.IntegerField(db_default=0, verbose_name="applications with a review")),
                ("assignments", models.IntegerField(db_default=0, verbose_name="review assignments")),
                ("reviews", models.IntegerField(db_default=0, verbose_name="reviews")),
                ("shortlisted", models.IntegerField(db_default=0, verbose_name="shortlisted or accepted")),
                ("accepted", models.IntegerField(db_default=0, verbose_name="accepted")),
                ("participants", models.IntegerField(db_default=0, verbose_name="participants")),
                ("startups", models.IntegerField(db_default=0, verbose_name="startups")),
                ("funded_startups", models.IntegerField(db_default=0, verbose_name="startups with investment")),
                (
                    "investment_uzs",
                    models.DecimalField(db_default=0, decimal_places=2, max_digits=22, verbose_name="investment (UZS)"),
                ),
            ],
            options={
                "verbose_name": "season figures",
                "verbose_name_plural": "season figures",
            },
        ),
        migrations.RunSQL(SQL + _triggers() + FILL, reverse_sql=_drop()),
    ]

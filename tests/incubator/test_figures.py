"""Milestones and monthly figures: founders report a finished month, late reports are reminded
once, the startup page shows a server-rendered chart to founders and staff only (constant query
count at 1× and 10× data), and the public pages show totals only, with their as-of month."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from incubator import reminders, selectors, services
from incubator.models import Investment, Milestone, MonthlyReport
from notifications.models import Notification

from .accelerator import founder_of, running_startup
from .factories import InvestorFactory
from .test_messages import PREFIX, SITE

pytestmark = pytest.mark.django_db


def last_month():
    return services.previous_month(timezone.localdate())


def report(startup, month, **figures):
    values = {"revenue_uzs": 0, "active_users": 0, "employees": 1, "jobs_created": 0, "money_raised_uzs": 0}
    return MonthlyReport.objects.create(startup=startup, month=month, **{**values, **figures})


def test_founder_fills_in_last_months_report(client):
    startup = running_startup(slug="tokcha")
    founder = founder_of(startup)
    client.force_login(founder)
    assert client.get("/en/innox/startups/tokcha/report/").status_code == 200
    data = {
        "month": last_month().isoformat(),
        "revenue_uzs": "12500000",
        "active_users": "340",
        "employees": "5",
        "jobs_created": "2",
        "money_raised_uzs": "50000000",
        "money_raised_from": "IT Park grant",
    }
    response = client.post("/en/innox/startups/tokcha/report/", data)
    assert response.status_code == 302
    saved = MonthlyReport.objects.get()
    assert (saved.month, saved.revenue_uzs, saved.active_users, saved.money_raised_from, saved.submitted_by) == (
        last_month(),
        Decimal("12500000"),
        340,
        "IT Park grant",
        founder,
    )
    # Filling the same month in again corrects it, never duplicates.
    client.post("/en/innox/startups/tokcha/report/", {**data, "active_users": "360"})
    assert MonthlyReport.objects.get().active_users == 360


def test_report_rules(user):
    startup = running_startup()
    founder = founder_of(startup)
    this_month = timezone.localdate().replace(day=1)
    with pytest.raises(ValidationError, match="once it has ended"):
        services.monthly_report_submit(startup=startup, user=founder, month=this_month, data={})
    with pytest.raises(ValidationError, match="Only the startup's founders"):
        services.monthly_report_submit(startup=startup, user=user, month=last_month(), data={})
    with pytest.raises(ValidationError, match="from whom"):
        services.monthly_report_submit(
            startup=startup, user=founder, month=last_month(), data={"money_raised_uzs": Decimal("100")}
        )
    with pytest.raises(ValidationError, match="before the startup's InnoX programme"):
        services.monthly_report_submit(startup=startup, user=founder, month=datetime.date(2020, 1, 1), data={})


def test_the_form_refuses_negative_figures_in_words(client):
    startup = running_startup(slug="tokcha")
    client.force_login(founder_of(startup))
    response = client.post(
        "/en/innox/startups/tokcha/report/",
        {
            "month": last_month().isoformat(),
            "revenue_uzs": "-5",
            "active_users": "1",
            "employees": "1",
            "jobs_created": "0",
            "money_raised_uzs": "0",
        },
    )
    assert response.status_code == 200 and "greater than or equal to 0" in response.content.decode()
    assert not MonthlyReport.objects.exists()


def test_someone_elses_report_page_answers_404(client, user):
    running_startup(slug="tokcha")
    client.force_login(user)
    assert client.get("/en/innox/startups/tokcha/report/").status_code == 404
    assert (
        client.post("/en/innox/startups/tokcha/milestones/", {"title": "X", "due_on": "2030-01-01"}).status_code == 404
    )


def test_milestones_added_and_reached_by_founders(client):
    startup = running_startup(slug="tokcha")
    client.force_login(founder_of(startup))
    client.post("/en/innox/startups/tokcha/milestones/", {"title": "First 100 schools", "due_on": "2030-03-01"})
    milestone = Milestone.objects.get()
    assert (milestone.title, milestone.due_on, milestone.done_on) == (
        "First 100 schools",
        datetime.date(2030, 3, 1),
        None,
    )
    client.post(f"/en/innox/startups/tokcha/milestones/{milestone.pk}/done/")
    milestone.refresh_from_db()
    assert milestone.done_on == timezone.localdate()
    page = client.get("/en/innox/startups/tokcha/").content.decode()
    assert "First 100 schools" in page and "01.03.2030" in page


def test_private_chart_for_founders_and_staff_only(client, manager, user):
    startup = running_startup(slug="tokcha")
    founder = founder_of(startup)
    report(startup, last_month(), revenue_uzs=Decimal("9000000"), active_users=120)
    client.force_login(founder)
    page = client.get("/en/innox/startups/tokcha/").content.decode()
    assert 'id="startup-private"' in page and "<svg" in page and "innox-chart-bar" in page
    private = page[page.index('id="startup-private"') : page.index("</section>", page.index('id="startup-private"'))]
    assert "style=" not in private and "<script" not in private and "<style" not in private
    client.force_login(manager)
    assert 'id="startup-private"' in client.get("/en/innox/startups/tokcha/").content.decode()
    for viewer in (user, None):
        if viewer:
            client.force_login(viewer)
        else:
            client.logout()
        page = client.get("/en/innox/startups/tokcha/").content.decode()
        assert 'id="startup-private"' not in page and "9 000 000" not in page and "<svg" not in page


def test_bar_heights_follow_the_values():
    from incubator.charts import bar_chart

    chart = bar_chart([(datetime.date(2026, 1, 1), 50.0), (datetime.date(2026, 2, 1), 100.0)], label="R")
    low, high = chart["bars"]
    assert high["height"] == pytest.approx(2 * low["height"]) and high["y"] < low["y"]
    assert bar_chart([], label="R")["empty"] is True


def _startup_with(size):
    startup = running_startup(slug=f"s{size}")
    founder = founder_of(startup)
    investor = InvestorFactory()
    today = timezone.localdate()
    month = last_month()
    for i in range(size):
        report(startup, month, revenue_uzs=Decimal(1000 * (i + 1)), active_users=i)
        month = services.previous_month(month)
        Milestone.objects.create(startup=startup, title=f"M{i}", due_on=today + datetime.timedelta(days=i))
        Investment.objects.create(
            startup=startup, investor=investor, amount=100, currency="UZS", date=today, kind="grant", uzs_value=100
        )
    return startup, founder


STARTUP_PAGE_QUERIES = 12


@pytest.mark.parametrize("size", [2, 20])
def test_startup_page_query_count_is_constant(client, django_assert_num_queries, size):
    startup, founder = _startup_with(size)
    client.force_login(founder)
    url = f"/en/innox/startups/{startup.slug}/"
    client.get(url)
    with django_assert_num_queries(STARTUP_PAGE_QUERIES):
        response = client.get(url)
    assert response.content.decode().count("<tr><td>") >= size


def test_late_report_reminder_once_per_month_and_founder(time_machine):
    startup = running_startup(name="Tokcha")
    founder = founder_of(startup, preferred_language="en")
    reported = running_startup()
    founder_of(reported)
    report(reported, last_month())
    closed = running_startup()
    founder_of(closed)
    closed.closed_on = timezone.localdate() - datetime.timedelta(days=40)
    closed.save()

    today = timezone.localdate()
    assert reminders.report_reminders(today.replace(day=5)) == 0  # not due yet
    assert reminders.report_reminders(today.replace(day=12)) == 1
    assert reminders.report_reminders(today.replace(day=13)) == 0  # once
    [notification] = Notification.objects.filter(kind="incubator.report_reminder")
    assert notification.recipient == founder and "Tokcha" in notification.subject
    # Once reported, nobody is reminded about the next month until it is late.
    report(startup, last_month())
    assert Notification.objects.filter(kind="incubator.report_reminder").count() == 1


@pytest.mark.parametrize("language", list(PREFIX))
def test_report_reminder_in_each_language(tasks, language):
    startup = running_startup(name="Tokcha", slug="tokcha")
    founder = founder_of(startup, preferred_language=language)
    reminders.report_reminders(timezone.localdate().replace(day=15))
    tasks()
    [email] = mail.outbox
    phrase = {"uz": "hisobot", "ru": "отчёт", "en": "the report for"}[language]
    assert phrase in email.subject.lower() and email.to == [founder.email]
    assert f"{SITE}{PREFIX[language]}/innox/startups/tokcha/report/" in email.body


def test_the_reminder_job_is_registered():
    from notifications import registry

    assert registry.JOBS["incubator.report_reminders"].func == "incubator.reminders.report_reminders"


def test_public_aggregates_only_with_their_as_of_month(client):
    a, b, gone = running_startup(slug="a"), running_startup(slug="b"), running_startup(slug="gone")
    month = last_month()
    report(a, month, jobs_created=3, money_raised_uzs=Decimal("1000000"), money_raised_from="Angel", revenue_uzs=777777)
    report(a, services.previous_month(month), jobs_created=2)
    report(
        b, services.previous_month(month), jobs_created=1, money_raised_uzs=Decimal("500000"), money_raised_from="Fund"
    )
    report(gone, services.previous_month(month), jobs_created=4)
    gone.closed_on = timezone.localdate()
    gone.save()
    figures = selectors.startup_aggregates()
    assert figures == {
        "jobs_created": 10,
        "money_raised_uzs": Decimal("1500000"),
        "active_startups": 2,
        "as_of": month,
    }
    page = client.get("/en/innox/startups/").content.decode()
    section = page[page.index('id="portfolio-figures"') :]
    assert ">10<" in section and "startups still active" in section and "1.5 million UZS" in section
    assert f"as of {month:%B %Y}." in section
    assert "777" not in page  # one startup's revenue is never public


def test_impact_page_shows_the_aggregates(client):
    from django.core.cache import cache

    cache.clear()
    startup = running_startup()
    report(startup, last_month(), jobs_created=7, money_raised_uzs=Decimal("2000000"), money_raised_from="Bank")
    page = client.get("/en/impact/").content.decode()
    assert 'data-figure="jobs-created">7<' in page and 'data-figure="active-startups">1<' in page
    assert 'data-figure="money-raised">2.0 million UZS<' in page
    assert f"From the startups' monthly reports, as of {last_month():%B %Y}." in page


def test_milestone_rules(user, manager):
    startup = running_startup()
    founder = founder_of(startup)
    due = datetime.date(2030, 1, 1)
    with pytest.raises(ValidationError, match="Give the milestone a title"):
        services.milestone_add(startup=startup, user=founder, title="  ", due_on=due)
    with pytest.raises(ValidationError, match="add milestones"):
        services.milestone_add(startup=startup, user=user, title="Launch", due_on=due)
    milestone = services.milestone_add(startup=startup, user=manager, title="Launch", due_on=due)  # the staff may
    with pytest.raises(ValidationError, match="update milestones"):
        services.milestone_done(milestone=milestone, user=user)
    assert Milestone.objects.get().done_on is None
    services.milestone_done(milestone=milestone, user=manager, done_on=datetime.date(2029, 12, 20))
    assert Milestone.objects.get().done_on == datetime.date(2029, 12, 20)


def test_the_service_refuses_negative_figures():
    startup = running_startup()
    with pytest.raises(ValidationError, match="cannot be negative"):
        services.monthly_report_submit(
            startup=startup, user=founder_of(startup), month=last_month(), data={"jobs_created": -1}
        )
    assert not MonthlyReport.objects.exists()


def test_another_startups_milestone_answers_404(client):
    mine, theirs = running_startup(slug="mine"), running_startup(slug="theirs")
    founder = founder_of(mine)
    milestone = Milestone.objects.create(startup=theirs, title="Theirs", due_on=datetime.date(2030, 1, 1))
    client.force_login(founder)
    assert client.post(f"/en/innox/startups/mine/milestones/{milestone.pk}/done/").status_code == 404
    assert client.post(f"/en/innox/startups/theirs/milestones/{milestone.pk}/done/").status_code == 404
    assert Milestone.objects.get().done_on is None

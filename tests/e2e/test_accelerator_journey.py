"""The accelerator in Chromium, in Uzbek (the default, no URL prefix) on a 360 px phone: a team member
confirms her place from the invitation, the applicant submits, a reviewer scores before the review
deadline, the manager previews the season's decision template and accepts (the e-mail carries the
template's Uzbek text), the startup's founder books a mentor's office hour and files the first
monthly report, which the startup page draws as a chart."""

import datetime
import re

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from incubator.models import Application, DecisionTemplate, Mentor, MonthlyReport, OfficeHourBooking, OfficeHourSlot
from technopark.roles import INCUBATOR_MANAGER, REVIEWER
from tests.conftest import run_tasks
from tests.factories import PASSWORD, UserFactory
from tests.incubator.factories import PDF_BYTES, SeasonFactory


@pytest.fixture
def accelerator(transactional_db):
    from technopark.seed import seed_districts

    seed_districts()
    now = timezone.now()
    season = SeasonFactory(
        number=7,
        title_uz="InnoX 7-mavsum",
        title_en="InnoX Season 7",
        team_must_confirm=True,
        review_deadline=now + datetime.timedelta(days=20),
        programme_start=timezone.localdate() - datetime.timedelta(days=70),
    )
    DecisionTemplate.objects.create(
        season=season,
        decision="accepted",
        subject_uz="{season}: {project} qabul qilindi!",
        subject_ru="{season}: «{project}» принят!",
        subject_en="{season}: {project} is in!",
        body_uz="Hurmatli {name}, jamoangizni InnoX’da kutamiz.\n{feedback}",
        body_ru="Уважаемый(ая) {name}, ждём вашу команду.\n{feedback}",
        body_en="Dear {name}, we look forward to your team.\n{feedback}",
    )
    manager_group, _ = Group.objects.get_or_create(name=INCUBATOR_MANAGER)
    manager_group.permissions.add(*Permission.objects.filter(content_type__app_label="incubator"))
    reviewer_group, _ = Group.objects.get_or_create(name=REVIEWER)
    reviewer_group.permissions.add(Permission.objects.get(codename="review_application"))
    people = {
        "manager": UserFactory(full_name="Jasur Rahimov", is_staff=True, preferred_language="uz"),
        "reviewer": UserFactory(full_name="Malika Ergasheva", is_staff=True, preferred_language="uz"),
        "kamola": UserFactory(full_name="Kamola Yusupova", email="kamola@example.uz", preferred_language="uz"),
        "madina": UserFactory(full_name="Madina Qodirova", email="madina@example.uz", preferred_language="uz"),
        "mentor": UserFactory(full_name="Rustam Aliev", preferred_language="uz"),
    }
    people["manager"].groups.add(manager_group)
    people["reviewer"].groups.add(reviewer_group)
    mentor = Mentor.objects.create(user=people["mentor"], expertise="agritech, sotuv", languages="uz,ru")
    start = (timezone.localtime() + datetime.timedelta(days=3)).replace(hour=15, minute=0, second=0, microsecond=0)
    slot = OfficeHourSlot.objects.create(
        mentor=mentor, start=start, end=start + datetime.timedelta(hours=1), place="Texnopark, 204-xona"
    )
    return {"season": season, "slot": slot, **people}


def log_in(page, site, user, next_path):
    page.context.clear_cookies()
    page.goto(f"{site}/account/login/?next={next_path}")
    page.locator("input[name=username]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()


def fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, page.url


@pytest.mark.browser
def test_accelerator_journey_in_uzbek(page, live_server, accelerator, tmp_path):
    page.set_default_timeout(15_000)
    page.set_viewport_size({"width": 360, "height": 740})
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    site = live_server.url
    deck = tmp_path / "taqdimot.pdf"
    deck.write_bytes(PDF_BYTES)
    a = accelerator

    # Kamola saves a draft naming Madina; the season needs every member's confirmation.
    log_in(page, site, a["kamola"], "/innox/apply/")
    page.fill("#id_team_name", "YashilDala")
    page.fill("#id_project_title", "Sunʼiy yoʻldosh orqali hosil prognozi")
    page.fill("#id_problem", "Fermerlar hosilni rejalay olmaydi.")
    page.fill("#id_solution", "Sunʼiy yoʻldosh suratlari va model.")
    page.set_input_files("#id_pitch_deck", str(deck))
    page.fill("#id_members-1-name", "Madina Qodirova")
    page.fill("#id_members-1-email", "madina@example.uz")
    page.locator("button[name=action][value=save]").click()
    expect(page.locator(".alert").first).to_contain_text("Qoralamangiz saqlandi")
    application = Application.objects.get()

    # Madina confirms her place from the invitation e-mail (in Uzbek).
    run_tasks()
    [invitation] = [m for m in mail.outbox if m.to == ["madina@example.uz"]]
    link = re.search(r"https?://\S+/innox/team/confirm/\S+/", invitation.body).group(0)
    log_in(page, site, a["madina"], link.replace(settings.SITE_URL.rstrip("/"), ""))
    page.locator("#confirm-place").click()
    expect(page.locator(".alert").first).to_contain_text("YashilDala")

    # Kamola submits.
    log_in(page, site, a["kamola"], "/innox/apply/")
    page.locator("button[name=action][value=submit]").click()
    expect(page.locator("#application-status")).to_have_text("Yuborilgan")
    fits(page)

    # The reviewer scores it before the review deadline, marking the comment shareable.
    log_in(page, site, a["reviewer"], "/innox/review/pool/")
    page.locator("#pool form button[type=submit]").first.click()
    for criterion in a["season"].criteria.all():
        page.check(f"input[name=score_{criterion.pk}][value='4']")
    page.fill("#id_comment", "Kuchli jamoa.")
    page.check("#id_shareable")
    page.locator("#review-form button[type=submit]").click()
    expect(page.locator(".alert").first).to_contain_text("Bahoingiz saqlandi")
    assert timezone.now() < a["season"].review_deadline
    fits(page)

    # The manager sees the reviewer's progress, previews the template with this application, accepts.
    log_in(page, site, a["manager"], "/innox/manage/seasons/7/reviews/")
    expect(page.locator(f"#reviewer-progress tr[data-reviewer='{a['reviewer'].pk}'] td").nth(2)).to_have_text("1")
    template = DecisionTemplate.objects.get()
    page.goto(f"{site}/innox/manage/decision-templates/{template.pk}/preview/?application={application.pk}")
    expect(page.locator("#preview-uz")).to_contain_text(
        "InnoX 7-mavsum: Sunʼiy yoʻldosh orqali hosil prognozi qabul qilindi!"
    )
    expect(page.locator("#preview-uz")).to_contain_text("Hurmatli Kamola Yusupova")
    page.goto(f"{site}/innox/manage/seasons/7/ranking/")
    expect(page.locator("#ranking tbody tr td").nth(6)).to_have_text("0,00")  # one review: z = 0
    page.check(f"input[name=applications][value='{application.pk}']")
    page.select_option("#id_action", "accepted")
    page.locator("#ranking-form fieldset button[type=submit]").click()
    expect(page.locator(".alert").first).to_contain_text("1")
    run_tasks()
    run_tasks()
    [decision] = [m for m in mail.outbox if m.to == ["kamola@example.uz"] and "qabul qilindi!" in m.subject]
    assert decision.subject == "InnoX 7-mavsum: Sunʼiy yoʻldosh orqali hosil prognozi qabul qilindi!"
    assert "Hurmatli Kamola Yusupova, jamoangizni InnoX’da kutamiz." in decision.body

    # The manager creates the startup; its founders are the team.
    page.goto(f"{site}/innox/manage/applications/{application.pk}/startup/")
    page.locator("form button[type=submit]").last.click()
    expect(page.locator("h1")).to_have_text("YashilDala")

    # Kamola books the mentor's office hour.
    log_in(page, site, a["kamola"], "/innox/mentors/")
    slot = a["slot"]
    page.fill(f"#topic-{slot.pk}", "Birinchi mijozlar")
    page.locator(f"#slot-{slot.pk} button[type=submit]").click()
    expect(page.locator("#bookings")).to_contain_text("Rustam Aliev")
    booking = OfficeHourBooking.objects.get()
    assert (booking.slot, booking.status, booking.topic) == (slot, "booked", "Birinchi mijozlar")
    run_tasks()
    mentor_mail = [m for m in mail.outbox if m.to == [a["mentor"].email]]
    assert mentor_mail and mentor_mail[0].subject.startswith("Maslahat soati band qilindi")
    assert mentor_mail[0].attachments[0][0] == "office-hour.ics"
    fits(page)

    # …and files the startup's first monthly report; the startup page draws it.
    startup = application.startup
    page.goto(f"{site}/innox/startups/{startup.slug}/report/")
    page.fill("#id_revenue_uzs", "4500000")
    page.fill("#id_active_users", "120")
    page.fill("#id_employees", "4")
    page.fill("#id_jobs_created", "2")
    page.fill("#id_money_raised_uzs", "0")
    page.locator("#report-form button[type=submit]").click()
    expect(page.locator(".alert").first).to_contain_text("Rahmat: hisobot saqlandi.")
    expect(page.locator("#startup-private svg rect.innox-chart-bar")).to_have_count(2)  # revenue and users
    report = MonthlyReport.objects.get()
    assert (report.revenue_uzs, report.active_users, report.submitted_by) == (4500000, 120, a["kamola"])
    fits(page)
    assert problems == []

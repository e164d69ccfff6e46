"""InnoX in Chromium: a young person signs up, applies with a PDF (draft, then submit) and sees
the status; a reviewer takes it from the pool and scores it; the incubator manager accepts it;
the applicant sees the decision, and the acceptance e-mail arrived in their language. A team member
confirms her place from the invitation e-mail, creating her account on the invitation page."""

import re

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core import mail
from playwright.sync_api import expect

from incubator.models import Application, Participant
from technopark.roles import INCUBATOR_MANAGER, REVIEWER
from tests.conftest import run_tasks
from tests.e2e.accounts import confirm_and_log_in
from tests.factories import PASSWORD, UserFactory
from tests.incubator.factories import PDF_BYTES, SeasonFactory


@pytest.fixture
def innox(transactional_db):
    from technopark.seed import seed_districts

    seed_districts()
    season = SeasonFactory(number=4, title_en="InnoX Season 4")
    # The roles migration's grant, again: a transactional test database may have been flushed.
    manager_group, _ = Group.objects.get_or_create(name=INCUBATOR_MANAGER)
    manager_group.permissions.add(*Permission.objects.filter(content_type__app_label="incubator"))
    reviewer_group, _ = Group.objects.get_or_create(name=REVIEWER)
    reviewer_group.permissions.add(Permission.objects.get(codename="review_application"))
    manager = UserFactory(full_name="Jasur Rahimov", is_staff=True)
    manager.groups.add(manager_group)
    reviewer = UserFactory(full_name="Malika Ergasheva", is_staff=True)
    reviewer.groups.add(reviewer_group)
    return {"season": season, "manager": manager, "reviewer": reviewer}


def log_in(page, site, email, next_path):
    page.context.clear_cookies()
    page.goto(f"{site}/en/account/login/?next={next_path}")
    page.locator("input[name=username]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()


@pytest.mark.browser
def test_incubator_journey(page, live_server, innox, tmp_path):
    page.set_default_timeout(15_000)
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    site = live_server.url
    deck = tmp_path / "pitch-deck.pdf"
    deck.write_bytes(PDF_BYTES)

    # Sign up.
    page.goto(f"{site}/en/account/signup/")
    page.fill("#id_full_name", "Kamola Yusupova")
    page.fill("#id_email", "kamola@example.uz")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.fill("#id_phone", "+998901234567")
    page.fill("#id_birth_date", "2006-09-01")
    page.select_option("#id_gender", "female")
    page.select_option("#id_district", label="Asaka district")
    page.fill("#id_organisation", "Andijan State University")
    page.select_option("#id_preferred_language", "en")
    page.get_by_role("button", name="Sign up").click()
    expect(page).to_have_url(f"{site}/en/account/signup/done/")
    confirm_and_log_in(page, site, "kamola@example.uz", PASSWORD)
    expect(page).to_have_url(f"{site}/en/my/")

    # The landing page counts down; apply with a PDF and save a draft.
    page.goto(f"{site}/en/innox/")
    expect(page.locator("#innox-countdown")).to_contain_text("Applications close in")
    page.get_by_role("link", name="Apply now").click()
    expect(page.locator("h1")).to_have_text("Apply to InnoX Season 4")
    page.fill("#id_team_name", "SpaceAgro")
    page.fill("#id_project_title", "Crop-yield forecasts from satellite data")
    page.fill("#id_problem", "Farmers in Andijan cannot plan their harvest.")
    page.fill("#id_solution", "Satellite images and a yield model.")
    page.select_option("#id_industry", "agritech")
    page.select_option("#id_stage", "mvp")
    page.set_input_files("#id_pitch_deck", str(deck))
    expect(page.locator("#id_members-0-email")).to_have_value("kamola@example.uz")
    page.fill("#id_members-1-name", "Madina Qodirova")
    page.fill("#id_members-1-email", "madina@example.uz")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".alert").first).to_contain_text("Your draft has been saved.")
    app = Application.objects.get()
    assert (app.status, app.members.count()) == ("draft", 2)

    # Madina confirms her place from the invitation e-mail, creating her account there.
    run_tasks()
    [invitation] = [m for m in mail.outbox if m.to == ["madina@example.uz"]]
    assert invitation.subject == "Confirm your place in the team “SpaceAgro”"
    link = re.search(r"https?://\S+/innox/team/confirm/\S+/", invitation.body).group(0)
    page.context.clear_cookies()
    page.goto(link.replace(settings.SITE_URL.rstrip("/"), site))
    expect(page.locator("#invitation-summary")).to_contain_text("Kamola Yusupova named you")
    expect(page.locator("#id_email")).to_have_value("madina@example.uz")
    page.fill("#id_full_name", "Madina Qodirova")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.fill("#id_phone", "+998907654321")
    page.fill("#id_birth_date", "2005-02-11")
    page.select_option("#id_gender", "female")
    page.select_option("#id_district", label="Asaka district")
    page.fill("#id_organisation", "Andijan State University")
    page.select_option("#id_preferred_language", "en")
    page.get_by_role("button", name="Create my account and confirm").click()
    expect(page.locator(".alert").first).to_contain_text("your place in the team “SpaceAgro” is confirmed")

    # Kamola sees the confirmation, comes back and submits.
    log_in(page, site, "kamola@example.uz", "/en/innox/apply/")
    expect(page.locator("#team-confirmations li").nth(1)).to_contain_text("Madina Qodirova")
    expect(page.locator("#team-confirmations li").nth(1)).to_contain_text("confirmed")
    page.get_by_role("button", name="Submit application").click()
    expect(page.locator("#application-status")).to_have_text("Submitted")
    expect(page.locator("h1")).to_have_text("Crop-yield forecasts from satellite data")

    # A reviewer takes it from the pool and scores it.
    log_in(page, site, innox["reviewer"].email, "/en/innox/review/pool/")
    expect(page.locator("#pool tbody tr")).to_have_count(1)
    page.get_by_role("button", name="Take it").click()
    expect(page.locator("#scores-hidden")).to_contain_text("0 reviews so far.")
    for criterion in innox["season"].criteria.all():
        page.check(f"input[name=score_{criterion.pk}][value='4']")
    page.fill("#id_comment", "Strong team, real farmers as customers.")
    page.get_by_role("button", name="Submit review").click()
    expect(page.locator("#other-reviews")).to_contain_text("Strong team, real farmers as customers.")

    # The manager accepts it on the ranking page.
    log_in(page, site, innox["manager"].email, "/en/innox/manage/seasons/4/ranking/")
    expect(page.locator("#ranking tbody tr")).to_have_count(1)
    expect(page.locator("#ranking tbody tr td").nth(5)).to_have_text("4.00")
    page.check(f"input[name=applications][value='{app.pk}']")
    page.select_option("#id_action", "accepted")
    page.fill("#id_message", "Welcome to Season 4! The kick-off is on Monday.")
    page.get_by_role("button", name="Apply", exact=True).click()
    expect(page.locator(".alert").first).to_contain_text("1 application")
    run_tasks()  # the decision and its messages are the worker's work, outside the request
    assert sorted(Participant.objects.values_list("email", flat=True)) == ["kamola@example.uz", "madina@example.uz"]

    # The applicant sees the decision.
    log_in(page, site, "kamola@example.uz", f"/en/innox/my/{app.pk}/")
    expect(page.locator("#application-status")).to_have_text("Accepted")
    expect(page.locator("#decision-message")).to_have_text("Welcome to Season 4! The kick-off is on Monday.")
    run_tasks()  # the messages leave through the outbox, after the request
    assert [m.subject for m in mail.outbox if m.to == ["kamola@example.uz"] and "Season 4" in m.subject] == [
        "InnoX Season 4: your application has been received",
        "InnoX Season 4: your application is Accepted",
    ]
    [assigned] = [m for m in mail.outbox if m.to == [innox["reviewer"].email]]
    # the reviewer reads Uzbek: so is their notice, whatever language the applicant used
    assert assigned.subject == "Sizga baholash uchun: “Crop-yield forecasts from satellite data”"
    assert problems == []

"""The impact page in Chromium: charts are drawn under the strict CSP, filters change figures,
and the header search finds a startup."""

import pytest
from playwright.sync_api import expect

from tests.impact.conftest import build_dataset


@pytest.fixture
def data(transactional_db):
    return build_dataset()


@pytest.mark.browser
def test_impact_journey(page, live_server, data):
    page.set_default_timeout(15_000)
    page.set_viewport_size({"width": 1440, "height": 900})  # the header search box shows from 1400 px
    csp_errors = []
    page.on("console", lambda msg: csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None)

    page.goto(f"{live_server.url}/en/impact/")
    expect(page.locator('[data-figure="people-total"]')).to_have_text("80")
    expect(page.locator('[data-figure="investment"]')).to_have_text("227.0 million UZS")
    # Chart.js has drawn every chart (it sets the canvas size); none was hidden for lack of data.
    # Chart.js is loaded and each chart drawn when the chart comes near the screen (static/js/impact.js).
    for name in ["funnel", "investments", "directions", "districts", "reach"]:
        canvas = page.locator(f'canvas[data-chart="{name}"]')
        expect(canvas).to_be_visible()
        canvas.scroll_into_view_if_needed()
        page.wait_for_function("c => window.Chart && !!Chart.getChart(c) && c.width > 0", arg=canvas.element_handle())
    assert csp_errors == []

    page.locator("#filter-year").select_option("2025")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(f"{live_server.url}/en/impact/?year=2025&season=")
    expect(page.locator('[data-figure="people-total"]')).to_have_text("54")

    page.locator("#header-search").fill("irrigation")
    page.locator("#header-search").press("Enter")
    expect(page.locator(".search-results a")).to_have_text(["AgroSmart"])
    expect(page.locator(".search-results mark").first).to_have_text("irrigation")
    page.locator(".search-results a").click()
    expect(page).to_have_url(f"{live_server.url}/en/innox/startups/agrosmart/")


@pytest.mark.browser
def test_funder_report_prints_without_the_site_chrome(page, live_server, data):
    from tests.factories import PASSWORD, UserFactory

    page.set_default_timeout(15_000)
    staff = UserFactory(is_staff=True, is_superuser=True)
    page.goto(f"{live_server.url}/en/account/login/")
    page.locator("main input[name=username]").fill(staff.email)
    page.locator("main input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.goto(f"{live_server.url}/en/impact/staff/")
    page.get_by_role("link", name="report").first.click()
    expect(page.locator("h1")).to_have_text("InnoX season report: InnoX 1 (en)")

    # The print button works through static/js/site.js (no inline script): catch the call.
    page.evaluate("() => { window.print = () => { window.__printed = (window.__printed || 0) + 1; }; }")
    page.get_by_role("button", name="Print").click()
    assert page.evaluate("window.__printed") == 1

    page.emulate_media(media="print")
    expect(page.locator("nav.navbar").first).to_be_hidden()
    expect(page.locator("footer")).to_be_hidden()
    expect(page.get_by_role("button", name="Print")).to_be_hidden()
    expect(page.locator('[data-testid="summary"]')).to_be_visible()

    page.emulate_media(media="screen")
    page.goto(f"{live_server.url}/en/impact/staff/reports/equipment/ibrd/")
    expect(page.locator("h1")).to_have_text("Equipment report: Qishloq tadbirkorligi (en)")
    page.emulate_media(media="print")
    expect(page.locator("footer")).to_be_hidden()
    expect(page.locator('[data-testid="hours"]')).to_be_visible()

"""Accessible pages (issue 15, item 7): axe-core in Chromium finds no serious or critical violation.

Every public page (as a visitor), every signed-in page (as the demo young person) and the staff
pages (FabLab day view, bookings outside the opening hours and a safety training's roster, the
InnoX ranking, a session's attendance, a course's feedback, the admin's index — as the role that
uses them) in Uzbek, Russian and English, on a 360 px phone and on a desktop. The page list is
tests/i18n/pages.py's.

The pages come from the Django test client in this process (the demo data is loaded once in a
transaction, see tests/i18n/conftest.py): Chromium asks for http://localhost/..., and a route
answers with the client's response, static files from the finders and axe-core from
``.npm-tools`` (installed by ``make install``; nothing is fetched from a CDN). The site's
Content-Security-Policy stays on, so a page with an inline script or style shows an error too.

Besides axe, the test measures every visible link, button and form field: at least 24×24 px, or
spaced so that a 24 px circle on it touches no other target (WCAG 2.2, 2.5.8; links inside a
sentence are exempt), and the focus ring is visible on every element the Tab key reaches.
"""

import mimetypes
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.staticfiles import finders
from django.db import connections
from django.test import Client

from tests.i18n.conftest import demo_data  # noqa: F401 - the module's demo data set
from tests.i18n.pages import Page, site_pages

AXE = Path(settings.BASE_DIR) / ".npm-tools" / "node_modules" / "axe-core" / "axe.min.js"
AXE_URL = "/__tests__/axe.min.js"
BASE = "http://localhost"  # a trustworthy origin for Chromium; one of ALLOWED_HOSTS
LANGUAGES = ["uz", "ru", "en"]
VIEWPORTS = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1280, "height": 900}}
YOUTH = "youth@technopark.uz"
# Staff pages: URL name -> the role that uses it (pages.py gives the example arguments).
STAFF_PAGES = {
    "fablab:staff_day": "fablab@technopark.uz",
    "fablab:staff_outside_hours": "fablab@technopark.uz",
    "fablab:staff_training": "fablab@technopark.uz",  # a trainer's roster with the marking buttons
    "incubator:ranking": "innox@technopark.uz",
    "programs:session_attendance": "admin@technopark.uz",  # the intake's teacher or a superuser
    "programs:intake_attendance": "admin@technopark.uz",
    "programs:feedback_intake": "coordinator@technopark.uz",
    "programs:feedback_results": "coordinator@technopark.uz",
    "admin:index": "coordinator@technopark.uz",
}

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

# Targets smaller than 24×24 px that neither sit inside a sentence nor have room around them.
TARGETS_JS = """() => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], '
    + '[tabindex]:not([tabindex="-1"])';
  const visible = el => {
    const r = el.getBoundingClientRect(), s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'
      && !el.closest('[aria-hidden=true]');
  };
  const inSentence = el => {
    if (el.tagName !== 'A' || getComputedStyle(el).display !== 'inline') return false;
    const block = el.parentElement;
    const text = block.textContent.replace(el.textContent, '').trim();
    return text.length > 0;
  };
  const targets = [...document.querySelectorAll(selector)].filter(visible).filter(el => {
    // a control drawn by its label (a visually hidden checkbox or radio) is measured by the label
    const s = getComputedStyle(el);
    return !(s.opacity === '0' && el.labels && el.labels.length);
  });
  const rects = targets.map(el => el.getBoundingClientRect());
  const small = targets.map((el, i) => (rects[i].width < 23.5 || rects[i].height < 23.5) && !inSentence(el));
  const centre = r => [r.left + r.width / 2, r.top + r.height / 2];
  const distance = ([x, y], r) =>
    Math.hypot(Math.max(r.left - x, 0, x - r.right), Math.max(r.top - y, 0, y - r.bottom));
  const problems = [];
  targets.forEach((el, i) => {
    if (!small[i]) return;
    const c = centre(rects[i]);
    const crowded = targets.some((other, j) => j !== i && !other.contains(el) && !el.contains(other) && (
      small[j] ? Math.hypot(c[0] - centre(rects[j])[0], c[1] - centre(rects[j])[1]) < 24 : distance(c, rects[j]) < 12));
    if (crowded) {
      const name = (el.getAttribute('aria-label') || el.textContent || el.getAttribute('name') || '')
        .trim().slice(0, 40);
      const size = `${Math.round(rects[i].width)}x${Math.round(rects[i].height)}`;
      problems.push(`${el.tagName.toLowerCase()} "${name}" ${size}`);
    }
  });
  return problems;
}"""

# After a Tab: does the focused element show a ring (an outline or a box shadow)?
FOCUS_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== 'none';
  return {ring, what: `${el.tagName.toLowerCase()} ${(el.textContent || el.name || '').trim().slice(0, 30)}`};
}"""


class DjangoRoute:
    """Answers Chromium's requests to http://testserver with the Django test client."""

    def __init__(self, media_roots=()):
        self.client = Client()
        self.media_roots = [Path(root) for root in media_roots]
        # Playwright calls the route in its own greenlet, whose context has a new database
        # connection: hand it the test's one (same thread), which sees the demo data's transaction.
        self.connection = connections["default"]
        self.errors = []

    def __call__(self, route, request):
        connections["default"] = self.connection
        try:
            return self._answer(route, request)
        except Exception as error:  # noqa: BLE001 - shown by the test, not lost in Playwright's loop
            self.errors.append(f"{request.url}: {error!r}")
            return route.fulfill(status=500, body=repr(error))

    def _answer(self, route, request):
        url = urlsplit(request.url)
        if url.path == AXE_URL:
            return route.fulfill(path=str(AXE), content_type="application/javascript")
        if url.path.startswith(settings.STATIC_URL):
            found = finders.find(url.path.removeprefix(settings.STATIC_URL))
            if found:
                return route.fulfill(path=found, content_type=mimetypes.guess_type(found)[0])
            return route.fulfill(status=404)
        if url.path.startswith(settings.MEDIA_URL):
            name = url.path.removeprefix(settings.MEDIA_URL)
            for root in [*self.media_roots, Path(settings.MEDIA_ROOT)]:
                if (root / name).is_file():
                    return route.fulfill(path=str(root / name))
            return route.fulfill(status=404)
        path = url.path + (f"?{url.query}" if url.query else "")
        response = self.client.generic(
            request.method,
            path,
            data=request.post_data_buffer or b"",
            content_type=request.headers.get("content-type", ""),
        )
        headers = {k: v for k, v in response.items() if k.lower() != "content-length"}
        return route.fulfill(status=response.status_code, headers=headers, body=response.content)


def pages_by_audience() -> dict[str | None, list[Page]]:
    """Public pages for the visitor, signed-in pages for the young person, staff pages for their role."""
    client = Client()
    users = {u.email: u for u in get_user_model().objects.filter(email__in=[YOUTH, *STAFF_PAGES.values()])}
    ok = lambda response: response.status_code == 200 and "text/html" in response["Content-Type"]  # noqa: E731
    everything = site_pages() + [Page("admin:index", "/admin/", ())]
    audience = {None: [], YOUTH: []}
    signed_in = []
    for page in everything:
        if page.name in STAFF_PAGES:
            continue
        if ok(client.get(page.path)):
            audience[None].append(page)
        else:
            signed_in.append(page)
    client.force_login(users[YOUTH])
    audience[YOUTH] = [page for page in signed_in if ok(client.get(page.path))]
    for page in everything:
        if page.name in STAFF_PAGES:
            audience.setdefault(STAFF_PAGES[page.name], []).append(page)
    return audience


@pytest.fixture(scope="module")
def audience(demo_data, django_db_blocker):  # noqa: F811
    with django_db_blocker.unblock():
        return pages_by_audience()


@pytest.fixture(scope="module")
def demo_media(demo_data):  # noqa: F811
    """Where the demo data saved its images (each test then gets its own MEDIA_ROOT)."""
    return settings.MEDIA_ROOT


def check_page(page, path, problems):
    page.goto(f"{BASE}{path}", wait_until="load")
    page.add_script_tag(url=AXE_URL)
    result = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations'], rules: {'target-size': {enabled: true}}}))"
        ".violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 3)}))"
    )
    for violation in result:
        if violation["impact"] in ("serious", "critical"):
            problems.append(f"axe {violation['impact']} {violation['id']}: {violation['nodes']}")
    for target in page.evaluate(TARGETS_JS):
        problems.append(f"small target {target}")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_pages_have_no_serious_violation(browser, audience, demo_media, lang, django_db_blocker):
    """Uzbek first, then Russian and English; a 360 px phone, then a desktop."""
    route = DjangoRoute([demo_media])
    users = {u.email: u for u in get_user_model().objects.filter(email__in=[e for e in audience if e])}
    found, checked, errors = {}, 0, []

    def on_console(message):
        if message.type == "error":
            errors.append(message.text)

    def on_response(response):
        if response.status >= 400:
            errors.append(f"{response.status} {urlsplit(response.url).path}")

    with django_db_blocker.unblock():
        for viewport_name, viewport in VIEWPORTS.items():
            context = browser.new_context(viewport=viewport, base_url=BASE)
            context.route(f"{BASE}/**", route)
            page = context.new_page()
            page.set_default_timeout(30_000)
            page.on("console", on_console)
            page.on("response", on_response)
            for who, pages in audience.items():
                route.client.logout()
                if who:
                    route.client.force_login(users[who])
                for site_page in pages:
                    path = site_page.path_in(lang)
                    problems = []
                    errors.clear()
                    check_page(page, path, problems)
                    problems += [f"console: {e}" for e in errors]
                    checked += 1
                    for problem in problems:
                        found.setdefault(problem, []).append(f"{viewport_name} {path} [{who or 'visitor'}]")
            context.close()
    for problem, where in sorted(found.items()):
        print(f"{lang} {problem}\n    on {len(where)}: {', '.join(where[:4])}")
    assert route.errors == []
    print(f"\n{lang}: {checked} page views (pages × viewports) checked, {len(found)} distinct problems")
    assert checked >= 2 * 50
    assert found == {}


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_focus_ring_is_visible(browser, audience, demo_media, viewport, django_db_blocker):
    """Tab through the home page, a course and the sign-up form: every focused element shows a ring."""
    route = DjangoRoute([demo_media])
    context = browser.new_context(viewport=VIEWPORTS[viewport], base_url=BASE)
    context.route(f"{BASE}/**", route)
    page = context.new_page()
    no_ring = set()
    reached = 0
    with django_db_blocker.unblock():
        paths = ["/", "/account/signup/", next(p.path for p in audience[None] if p.name == "programs:course_detail")]
        for path in paths:
            page.goto(f"{BASE}{path}")
            for _ in range(25):
                page.keyboard.press("Tab")
                state = page.evaluate(FOCUS_JS)
                if state is None:
                    continue
                reached += 1
                if not state["ring"]:
                    no_ring.add(f"{path}: {state['what']}")
    context.close()
    assert route.errors == []
    assert reached >= 60
    assert sorted(no_ring) == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_form_errors_are_tied_to_their_fields(client, demo_data, lang):  # noqa: F811
    """Every field shown invalid says so (aria-invalid) and points at its error (aria-describedby)."""
    from html.parser import HTMLParser

    class Fields(HTMLParser):
        def __init__(self):
            super().__init__()
            self.invalid, self.ids = [], set()

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if attrs.get("id"):
                self.ids.add(attrs["id"])
            if tag in ("input", "select", "textarea") and "is-invalid" in (attrs.get("class") or "").split():
                self.invalid.append(attrs)

    prefix = "" if lang == "uz" else f"/{lang}"
    posts = {
        "/account/signup/": {"email": "not-an-address", "password1": "a", "password2": "b", "birth_date": "2999-01-01"},
        "/account/login/": {"username": "nobody@example.uz", "password": "wrong"},
        "/account/password/reset/": {"email": "not-an-address"},
    }
    checked = 0
    for path, data in posts.items():
        response = client.post(prefix + path, data)
        assert response.status_code == 200
        parser = Fields()
        parser.feed(response.content.decode())
        for attrs in parser.invalid:
            checked += 1
            assert attrs.get("aria-invalid") == "true", attrs
            described = (attrs.get("aria-describedby") or "").split()
            assert any(i in parser.ids and i.endswith("_error") for i in described), attrs
    assert checked >= 5

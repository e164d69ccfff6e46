"""What the validators say (issue 15, item 8).

Every page of the site (the list of pages.py: public, signed-in and staff pages, opened by the
visitor, the demo young person, the superuser and the role that uses them) and the admin's index
are rendered in every language and saved; the W3C Nu HTML checker (``vnu.jar`` from the
``vnu-jar`` npm package, installed by ``make install`` into ``.npm-tools``, run on Debian's Java)
checks all the files in one run and must report no error. Every ``<img>`` has a width and a
height (no layout shift while it loads), and the Atom feed is a valid Atom document.
"""

import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from .pages import Page, site_pages

VNU_JAR = Path(settings.BASE_DIR) / ".npm-tools" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
ATOM = "{http://www.w3.org/2005/Atom}"

pytestmark = pytest.mark.django_db  # the test database is set up for this module (demo_data fills it)


def render_all(client, pages, languages, folder: Path) -> dict[Path, str]:
    """Save every page that answers 200 with HTML; returns {file: 'lang path [who]'}."""
    users = {u.email: u for u in get_user_model().objects.filter(email__in={e for p in pages for e in p.users if e})}
    saved = {}
    for user_email in sorted({e for p in pages for e in p.users}, key=lambda e: e or ""):
        client.logout()
        if user_email:
            client.force_login(users[user_email])
        for lang in languages:
            for page in pages:
                if user_email not in page.users:
                    continue
                path = page.path_in(lang)
                response = client.get(path)
                if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                    continue
                file = folder / f"{len(saved):04d}.html"
                file.write_bytes(response.content)
                saved[file] = f"{lang} {path} [{user_email or 'anonymous'}]"
    return saved


def run_vnu(files: list[Path]) -> list[dict]:
    """One JVM for every file: the checker's messages of type "error"."""
    java = shutil.which("java")
    assert java, "Java is missing: `make install` installs default-jre-headless"
    assert VNU_JAR.exists(), f"{VNU_JAR} is missing: run `make install` (npm install vnu-jar into .npm-tools)"
    result = subprocess.run(
        [
            java,
            "-Xss4m",
            "-jar",
            str(VNU_JAR),
            "--errors-only",
            "--format",
            "json",
            "--exit-zero-always",
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stderr or result.stdout)["messages"]


class _Images(HTMLParser):
    def __init__(self):
        super().__init__()
        self.without_size = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "img" and not (attrs.get("width") and attrs.get("height")):
            self.without_size.append(attrs.get("src"))


@pytest.fixture(scope="module")
def rendered(demo_data, django_db_blocker, tmp_path_factory):
    from django.test import Client

    folder = tmp_path_factory.mktemp("html")
    pages = site_pages() + [Page("admin:index", "/admin/", ("admin@technopark.uz",))]
    languages = [code for code, _name in settings.LANGUAGES]
    with django_db_blocker.unblock():
        saved = render_all(Client(), pages, languages, folder)
    return saved, languages


def test_nu_html_checker_reports_no_error(rendered):
    saved, languages = rendered
    messages = run_vnu(list(saved))
    errors = {}
    for message in messages:
        file = Path(message["url"].removeprefix("file:"))
        key = (message.get("message", ""), saved.get(file, str(file)).split(" ", 1)[1])
        errors.setdefault(key, []).append(saved.get(file, str(file)).split(" ", 1)[0])
    for (text, where), langs in sorted(errors.items()):
        print(f"NU {where} ({','.join(sorted(set(langs)))}): {text[:200]}")
    print(f"\n{len(saved)} page views in {len(languages)} languages checked; {len(messages)} errors")
    assert len(saved) >= 100 * len(languages)
    assert errors == {}


def test_every_image_has_width_and_height(rendered):
    saved, _languages = rendered
    missing = set()
    for file, where in saved.items():
        parser = _Images()
        parser.feed(file.read_text())
        missing |= {(where.split(" ", 1)[1], src) for src in parser.without_size}
    assert sorted(missing) == []


@pytest.mark.parametrize("lang", ["uz", "ru", "en"])
def test_atom_feed_is_valid_atom(client, demo_data, lang):
    """RFC 4287: the feed and every entry have an id, a title and an updated date; the feed has an
    author (so entries without their own inherit it) and a self link; entries link to the page."""
    prefix = "" if lang == "uz" else f"/{lang}"
    response = client.get(f"{prefix}/news/feed/atom/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == lang
    for element in (feed, *feed.findall(f"{ATOM}entry")):
        for child in ("id", "title", "updated"):
            assert (element.findtext(f"{ATOM}{child}") or "").strip(), f"{element.tag} without {child}"
    assert feed.find(f"{ATOM}author/{ATOM}name").text.strip()
    assert [link.get("rel") for link in feed.findall(f"{ATOM}link")].count("self") == 1
    entries = feed.findall(f"{ATOM}entry")
    assert entries
    for entry in entries:
        link = entry.find(f"{ATOM}link[@rel='alternate']")
        assert link is not None and link.get("href").startswith("http")
        assert client.get(urlsplit(link.get("href")).path).status_code == 200

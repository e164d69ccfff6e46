"""Every public, signed-in and staff page in Ўзбекча (uz-cyrl) shows neither English from Django
or the packages nor Uzbek left in Latin letters (issue 15, item 6).

The pages are those of test_english_leaks (pages.py, demo data). A Latin leak is a visible word
that the transliteration would still change: brand names, acronyms, addresses and codes, which
it keeps, are no leak; elements in another language (the switcher's "Oʻzbekcha") and what a
person typed into a form are not read.
"""

import re

from django.contrib.auth import get_user_model

from technopark.text import latin_to_cyrillic

from .english import english_leaks
from .pages import admin_pages, site_pages
from .visible_text import visible_lines

LANG = "uz-cyrl"
TEXTAREA = re.compile(r"(<textarea[^>]*>).*?(</textarea>)", re.DOTALL | re.IGNORECASE)
WORD = re.compile(r"[A-Za-z][A-Za-z\u02bb\u02bc'’‘`-]*")


def latin_leaks(lines: list[str]) -> list[tuple[str, str]]:
    found = []
    for line in lines:
        for word in WORD.findall(line):
            if latin_to_cyrillic(word) != word and latin_to_cyrillic(line) != line:
                found.append((line, word))
                break
    return found


def _check_both(client, pages):
    """Render each page once as each of its people; (English leaks, Latin leaks, pages checked)."""
    users = {u.email: u for u in get_user_model().objects.filter(email__in={e for p in pages for e in p.users if e})}
    english, latin, checked = {}, {}, 0
    for email in sorted({e for p in pages for e in p.users}, key=lambda e: e or ""):
        client.logout()
        if email:
            client.force_login(users[email])
        for page in pages:
            if email not in page.users:
                continue
            path = page.path_in(LANG)
            response = getattr(client, page.method)(path, dict(page.data))
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            checked += 1
            document = response.content.decode()
            lines = visible_lines(document)
            for line, msgid in english_leaks(lines, LANG):
                english.setdefault((path, line[:100]), msgid)
            # What a person typed (a draft in a textarea) is sent back as typed: not a leak.
            for line, word in latin_leaks(visible_lines(TEXTAREA.sub(r"\1\2", document))):
                latin.setdefault((path, line[:100]), word)
    for (path, line), word in sorted(latin.items()):
        print(f"LATIN {path} {line!r} <- {word!r}")
    for (path, line), msgid in sorted(english.items()):
        print(f"ENGLISH {path} {line!r} <- {msgid[:60]!r}")
    print(f"{LANG}: {checked} page views checked")
    return english, latin, checked


def test_site_pages_in_cyrillic_show_no_english_and_no_latin(client, demo_data):
    english, latin, checked = _check_both(client, site_pages())
    assert checked >= 100
    assert english == {}
    assert latin == {}


def test_admin_pages_in_cyrillic_show_no_english_and_no_latin(client, demo_data):
    english, latin, checked = _check_both(client, admin_pages())
    assert checked >= 150
    assert english == {}
    assert latin == {}


def test_latin_leak_finder():
    assert latin_leaks(visible_lines('<html lang="uz-cyrl"><p>Kurslar</p></html>')) == [("Kurslar", "Kurslar")]
    assert latin_leaks(visible_lines('<html lang="uz-cyrl"><p>Курслар: IT, SMM, InnoX</p></html>')) == []
    assert english_leaks(["Курслар"], LANG) == []

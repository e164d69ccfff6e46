"""One Uzbek apostrophe (issue 15, item 2): ʻ (U+02BB) in oʻ/gʻ and ʼ (U+02BC) for the tutuq
belgisi in every Uzbek catalogue and in the demo content; any typed form is folded to them."""

import io
import re
import tokenize
from pathlib import Path

import pytest
from django.conf import settings

from technopark.text import WRONG_UZBEK_APOSTROPHE, fold_uzbek_apostrophes

from .pofile import read_po

ROOT = Path(settings.BASE_DIR)
UZ_CATALOGUES = sorted(
    p for p in ROOT.glob("**/locale/**/uz/LC_MESSAGES/*.po") if not {".venv", "var", "node_modules"} & set(p.parts)
)
SEED_MODULES = sorted(
    p
    for pattern in ("*/seed.py", "*/seed_data/*.py")
    for p in ROOT.glob(pattern)
    if not {".venv", "var"} & set(p.relative_to(ROOT).parts)
)
UZ_DEMO_TEXTS = sorted(ROOT.glob("*/demo/*.uz.txt"))
# "Andijan's", "children's": an English possessive in the English half of the demo content.
ENGLISH_POSSESSIVE = re.compile(r"(?<=[A-Za-fh-np-z])'s\b")


def wrong_spellings(text: str) -> list[str]:
    return [text[max(0, m.start() - 12) : m.end() + 12] for m in WRONG_UZBEK_APOSTROPHE.finditer(text)]


def string_literals(path: Path):
    """(line, content) of every string literal of a module that is not a docstring."""
    source = path.read_text(encoding="utf-8")
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.STRING and not token.string.lstrip("rbfuRBFU").startswith(('"""', "'''")):
            text = token.string.lstrip("rbfuRBFU")[1:-1]
            yield token.start[0], ENGLISH_POSSESSIVE.sub("", text)


def test_the_checks_find_their_files():
    names = {str(p.relative_to(ROOT)) for p in UZ_CATALOGUES}
    assert {"locale/uz/LC_MESSAGES/django.po", "programs/locale/uz/LC_MESSAGES/django.po"} <= names
    assert len(UZ_CATALOGUES) >= 6  # the core, the Django/package overrides and every app
    assert {"technopark/seed.py", "programs/seed.py", "incubator/seed.py", "fablab/seed.py"} <= {
        str(p.relative_to(ROOT)) for p in SEED_MODULES
    }
    assert UZ_DEMO_TEXTS


@pytest.mark.parametrize("path", UZ_CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_uzbek_catalogue_uses_one_apostrophe(path):
    found = [
        (entry.msgid[:40], wrong)
        for entry in read_po(path)
        for text in entry.msgstr.values()
        for wrong in wrong_spellings(text)
    ]
    assert found == []


@pytest.mark.parametrize("path", SEED_MODULES + UZ_DEMO_TEXTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_demo_content_uses_one_apostrophe(path):
    if path.suffix == ".py":
        found = [(line, wrong) for line, text in string_literals(path) for wrong in wrong_spellings(text)]
    else:
        found = wrong_spellings(path.read_text(encoding="utf-8"))
    assert found == []


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("O'zbekiston", "Oʻzbekiston"),
        ("O‘zbekiston", "Oʻzbekiston"),
        ("O’zbekiston", "Oʻzbekiston"),
        ("O`zbekiston", "Oʻzbekiston"),
        ("Oʼzbekiston", "Oʻzbekiston"),
        ("Oʻzbekiston", "Oʻzbekiston"),
        ("tog'", "togʻ"),
        ("G‘ulomov", "Gʻulomov"),
        ("ma'no", "maʼno"),
        ("san’at", "sanʼat"),
        ("Qur`on", "Qurʼon"),
        ("maʻno", "maʼno"),
        ("'Salom'", "'Salom'"),  # quotes around a word are not letters
        ("5'", "5'"),
        ("", ""),
    ],
)
def test_fold_uzbek_apostrophes(typed, stored):
    assert fold_uzbek_apostrophes(typed) == stored


def test_the_check_catches_every_variant():
    for wrong in ("o'", "g'", "o‘", "g‘", "o`", "g`", "o’", "oʼ", "ma'no", "ma‘no", "sanʻat"):
        assert WRONG_UZBEK_APOSTROPHE.search(wrong + "ra"), wrong
    for right in ("oʻra", "gʻra", "maʼno", "«Salom»"):
        assert not WRONG_UZBEK_APOSTROPHE.search(right), right


@pytest.mark.django_db
def test_a_name_typed_with_any_apostrophe_is_stored_with_the_official_one(client, districts):
    from technopark.models import User

    response = client.post(
        "/account/signup/",
        {
            "full_name": "  Gulnoza   To'xtasinova ",
            "email": "gulnoza@example.uz",
            "password1": "Asaka-Robotics-2025",
            "password2": "Asaka-Robotics-2025",
            "phone": "+998901234567",
            "birth_date": "2007-09-01",
            "gender": "female",
            "district": districts[0].pk,
            "organisation": "Asaka 5-maktab",
            "preferred_language": "uz",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(email="gulnoza@example.uz").full_name == "Gulnoza Toʻxtasinova"

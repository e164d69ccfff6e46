"""The certificate PDF as WeasyPrint lays it out (issue 12, item 2): one A4 landscape page in the
holder's language, every letter drawn from a font that has it (no empty boxes for Cyrillic or
the Uzbek ʻ), with the holder, course, dates, code and verification address on the page.

pypdf and pdfminer are not dependencies, so the text is read from WeasyPrint's own layout of the
document it writes, and the fonts from the document's record of missing glyphs."""

import datetime

import pytest
import weasyprint

from programs.pdf import certificate_pdf

from .factories import CertificateFactory, CourseFactory, IntakeFactory

pytestmark = pytest.mark.django_db

A4_LANDSCAPE = (297, 210)  # mm
PX_PER_MM = 96 / 25.4
PREFIX = {"uz": "", "ru": "/ru", "en": "/en"}  # Uzbek, the default, has no prefix


@pytest.fixture
def documents(monkeypatch):
    """The WeasyPrint documents that programs.pdf writes."""
    written = []
    real = weasyprint.HTML

    class Recording:
        def __init__(self, **kwargs):
            self.html = real(**kwargs)

        def write_pdf(self, *args, **kwargs):
            document = self.html.render()
            written.append(document)
            return document.write_pdf(*args, **kwargs)

    monkeypatch.setattr(weasyprint, "HTML", Recording)
    return written


def _text(box) -> str:
    parts = [getattr(box, "text", "") or ""]
    for child in getattr(box, "children", None) or []:
        parts.append(_text(child))
    return " ".join(p for p in parts if p)


@pytest.fixture
def certificate(settings):
    settings.SITE_URL = "https://technopark.example.uz"
    course = CourseFactory(
        title_uz="Robototexnika: Arduino bilan ilk qadamlar",
        title_ru="Робототехника: первые шаги с Arduino",
        title_en="Robotics: first steps with Arduino",
        hours=72,
    )
    intake = IntakeFactory(
        course=course, start_date=datetime.date(2025, 9, 1), end_date=datetime.date(2025, 12, 20), status="finished"
    )
    return CertificateFactory(
        enrolment__intake=intake,
        enrolment__user__full_name="Gʻayratjon Oʻrinboyev",
        course_start=intake.start_date,
        course_end=intake.end_date,
    )


@pytest.mark.parametrize(
    ("language", "phrases"),
    [
        ("uz", ["Sertifikat", "Robototexnika: Arduino bilan ilk qadamlar"]),
        ("ru", ["Сертификат", "Робототехника: первые шаги с Arduino"]),
        ("en", ["Certificate", "Robotics: first steps with Arduino"]),
    ],
)
def test_one_page_every_glyph_and_the_facts(certificate, documents, language, phrases):
    pdf = certificate_pdf(certificate, language)
    assert pdf.startswith(b"%PDF-")
    [document] = documents
    [page] = document.pages  # one page, nothing spilt onto a second
    width, height = (round(side / PX_PER_MM) for side in (page.width, page.height))
    assert (width, height) == A4_LANDSCAPE
    missing = {font.name: font.missing for font in document.fonts.values() if font.missing}
    assert missing == {}, missing  # every letter has a glyph: no empty boxes
    text = _text(page._page_box)
    for phrase in [
        *phrases,
        "Gʻayratjon Oʻrinboyev",
        "01.09.2025 – 20.12.2025",
        certificate.code,
        "https://technopark.example.uz" + PREFIX[language] + f"/certificates/{certificate.code}/",
    ]:
        assert phrase in text, phrase

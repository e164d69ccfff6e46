"""The certificate as a PDF (WeasyPrint), in the holder's language, with the QR code of its
verification page. Sent with the certificate notice and downloadable from "My technopark"."""

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from .qr import qr_svg, verify_url


def _language(certificate) -> str:
    from notifications.services import language_of

    return language_of(certificate.enrolment.user)


def pdf_filename(certificate) -> str:
    return f"certificate-{certificate.code}.pdf"


def certificate_pdf(certificate, language: str | None = None) -> bytes:
    from weasyprint import HTML

    language = language or _language(certificate)
    with translation.override(language):
        url = verify_url(certificate, language)
        html = render_to_string(
            "programs/pdf/certificate.html",
            {
                "certificate": certificate,
                "enrolment": certificate.enrolment,
                "intake": certificate.enrolment.intake,
                "course": certificate.enrolment.intake.course,
                "verify_url": url,
                "qr_svg": mark_safe(qr_svg(url)),  # noqa: S308 — drawn by qrcode from our own URL
                "language": language,
            },
        )
    # No base_url: the document has no external resources (fonts come from the system, the QR
    # code is inline), so rendering never fetches anything.
    return HTML(string=html).write_pdf()

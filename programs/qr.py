"""QR codes of certificates: the standard 4-module quiet zone on a white background (so they
decode when printed or shown on a dark screen), always pointing at ``SITE_URL`` — never at the
host a request named."""

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.utils import translation

QUIET_ZONE = 4  # modules, as the QR standard (ISO/IEC 18004) requires


def verify_url(certificate, language: str | None = None) -> str:
    """The absolute address of the certificate's public verification page, on SITE_URL."""
    with translation.override(language or translation.get_language()):
        path = certificate.get_absolute_url()
    return settings.SITE_URL.rstrip("/") + path


def qr_svg(url: str) -> str:
    """An SVG (without the XML declaration, to sit inside HTML) drawn on a white square that
    includes the quiet zone."""
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathFillImage, box_size=10, border=QUIET_ZONE)
    svg = image.to_string(encoding="unicode")
    return svg[svg.index("<svg") :]

"""Checks of uploaded files by their content, not only their name."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError


def _check_size(upload) -> None:
    limit = settings.MAX_UPLOAD_SIZE
    if upload.size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s). The limit is %(limit)s."),
            code="too_large",
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
        )


def validate_pdf(upload) -> None:
    """A pitch deck must be a real PDF (it starts with ``%PDF-``) of at most MAX_UPLOAD_SIZE."""
    _check_size(upload)
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if head != b"%PDF-":
        raise ValidationError(
            _("The pitch deck must be a PDF file. This file is not a PDF, whatever its name says."),
            code="not_pdf",
        )


def validate_image(upload) -> None:
    """A logo must be an image Pillow can open, of at most MAX_UPLOAD_SIZE."""
    _check_size(upload)
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            image.verify()
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(
            _("The logo must be an image (PNG, JPEG, WebP or GIF); this file cannot be opened as one."),
            code="not_image",
        ) from exc
    finally:
        upload.seek(0)

"""Upload checks by content: the size limit and a real image that Pillow can read."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image


def validate_image_upload(upload) -> None:
    size = getattr(upload, "size", 0) or 0
    if size > settings.MAX_UPLOAD_SIZE:
        raise ValidationError(
            _("The file is too large (%(size)s); the limit is %(limit)s."),
            code="too_large",
            params={"size": filesizeformat(size), "limit": filesizeformat(settings.MAX_UPLOAD_SIZE)},
        )
    try:
        position = upload.tell() if hasattr(upload, "tell") else 0
        upload.seek(0)
        Image.open(upload).verify()
        upload.seek(position)
    except Exception as exc:  # Pillow raises many kinds of errors for a file that is not an image
        raise ValidationError(
            _("The file is not an image. Upload a JPEG, PNG or WebP photo."), code="not_an_image"
        ) from exc

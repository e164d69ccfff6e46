"""Checks of uploaded files by their content and name (see technopark/uploads.py)."""

from technopark.uploads import validate_image_upload, validate_pdf_upload


def validate_pdf(upload) -> None:
    """A pitch deck: a real PDF named .pdf, of at most MAX_UPLOAD_SIZE."""
    validate_pdf_upload(upload)


def validate_image(upload) -> None:
    """A logo: a PNG, JPEG, WebP or GIF picture whose name agrees with its content."""
    validate_image_upload(upload)

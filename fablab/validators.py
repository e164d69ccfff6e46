"""Upload checks (size, extension allow-list, content of that format): technopark/uploads.py."""

from technopark.uploads import validate_image_upload as _validate_image_upload


def validate_image_upload(upload) -> None:
    _validate_image_upload(upload)

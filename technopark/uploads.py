"""Checks and clean-up of uploaded files, shared by every file field (public and private).

- :func:`validate_image_upload` / :func:`validate_pdf_upload`: the size limit
  (``settings.MAX_UPLOAD_SIZE``), an extension allow-list, and content that agrees with the
  extension (Pillow's detected format for images, the ``%PDF-`` magic bytes for PDFs). Used as
  model-field validators, so the admin's forms check them too.
- Every new image is re-encoded by Pillow before it is stored (:func:`reencode_images`, a
  ``pre_save`` receiver for every ``ImageField``): EXIF (GPS included) and other metadata are
  dropped, and the stored name is chosen here (a random hex name and the detected format's
  extension), never the uploader's.
- Files written inside a transaction that is rolled back are deleted (:func:`track_written`,
  called by the storages; :func:`sweep` at the end of each request).
"""

import io
import logging
import os
import threading
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.signals import request_finished
from django.db import models, transaction
from django.db.models.signals import pre_save
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

log = logging.getLogger(__name__)

# Extension -> the format Pillow must detect in the content.
IMAGE_EXTENSIONS = {"png": "PNG", "jpg": "JPEG", "jpeg": "JPEG", "webp": "WEBP", "gif": "GIF"}
EXTENSION_OF_FORMAT = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp", "GIF": "gif"}
MAX_IMAGE_PIXELS = 40_000_000


def _extension(name: str) -> str:
    return os.path.splitext(name or "")[1].lower().lstrip(".")


def _is_stored(value) -> bool:
    """A file already in storage (checked when it was uploaded), not a new upload."""
    return bool(getattr(value, "_committed", False))


def validate_upload_size(upload) -> None:
    if _is_stored(upload):
        return
    size = getattr(upload, "size", 0) or 0
    if size > settings.MAX_UPLOAD_SIZE:
        raise ValidationError(
            _("The file is too large (%(size)s). The limit is %(limit)s."),
            code="too_large",
            params={"size": filesizeformat(size), "limit": filesizeformat(settings.MAX_UPLOAD_SIZE)},
        )


def detect_image_format(upload) -> str:
    """Pillow's format of the content (PNG, JPEG, WEBP, GIF, ...); ValidationError if none."""
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            detected = image.format
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(
            _("This file is not an image. Upload a PNG, JPEG, WebP or GIF picture."), code="not_an_image"
        ) from exc
    finally:
        upload.seek(0)
    if width * height > MAX_IMAGE_PIXELS:
        raise ValidationError(_("This image has too many pixels; make it smaller and try again."), code="too_big")
    return detected


def validate_image_upload(upload) -> None:
    """Size, an allowed extension (.png .jpg .jpeg .webp .gif) and content of that format."""
    if _is_stored(upload):
        return
    validate_upload_size(upload)
    extension = _extension(getattr(upload, "name", ""))
    if extension not in IMAGE_EXTENSIONS:
        raise ValidationError(
            _("Pictures must be PNG, JPEG, WebP or GIF files (.png, .jpg, .webp, .gif); this one is “%(name)s”."),
            code="bad_extension",
            params={"name": os.path.basename(getattr(upload, "name", ""))},
        )
    detected = detect_image_format(upload)
    if IMAGE_EXTENSIONS[extension] != detected:
        raise ValidationError(
            _("The file's name says .%(extension)s but its content is not a %(expected)s picture."),
            code="extension_mismatch",
            params={"extension": extension, "expected": IMAGE_EXTENSIONS[extension]},
        )


def validate_pdf_upload(upload) -> None:
    """Size, the .pdf extension and a real PDF (it starts with ``%PDF-``)."""
    if _is_stored(upload):
        return
    validate_upload_size(upload)
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if _extension(getattr(upload, "name", "")) != "pdf" or head != b"%PDF-":
        raise ValidationError(
            _("The pitch deck must be a PDF file (.pdf). This file is not a PDF, whatever its name says."),
            code="not_pdf",
        )


# Kinds of file other than pictures and PDFs, by what their content must look like.
ZIP_EXTENSIONS = {"docx", "pptx", "xlsx", "odt", "odp", "ods", "zip"}  # Office and OpenDocument are ZIP files
TEXT_EXTENSIONS = {"txt", "py", "ino", "csv", "md"}
_TEXT_PROBE = 64 * 1024


def _looks_like(extension: str, head: bytes) -> bool:
    if extension == "pdf":
        return head.startswith(b"%PDF-")
    if extension in ZIP_EXTENSIONS:
        return head[:4] in (b"PK\x03\x04", b"PK\x05\x06")
    if extension in TEXT_EXTENSIONS:
        if b"\x00" in head:
            return False
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            return len(head) == _TEXT_PROBE and exc.start >= len(head) - 3  # a character cut by the probe
        return True
    return False  # an extension no rule here knows is refused, never let through unchecked


def validate_content_agrees(upload, extension: str) -> None:
    """The content is what the (allowed) extension says: a picture of that format (Pillow), a PDF
    (``%PDF-``), a ZIP container for Office/OpenDocument/.zip, UTF-8 text without NUL bytes for text
    kinds. A page or a script renamed to one of them is refused."""
    if _is_stored(upload):
        return
    if extension in IMAGE_EXTENSIONS:
        detected = detect_image_format(upload)
        agrees = IMAGE_EXTENSIONS[extension] == detected
    else:
        upload.seek(0)
        head = upload.read(_TEXT_PROBE)
        upload.seek(0)
        agrees = _looks_like(extension, head)
    if not agrees:
        raise ValidationError(
            _("The file's name says .%(extension)s but its content is not a file of that kind."),
            code="extension_mismatch",
            params={"extension": extension},
        )


def reencode_image(upload) -> ContentFile:
    """The picture drawn again by Pillow, without metadata, named by the server."""
    upload.seek(0)
    with Image.open(upload) as image:
        detected = image.format
        if detected not in EXTENSION_OF_FORMAT:
            raise ValidationError(_("This file is not an image. Upload a PNG, JPEG, WebP or GIF picture."))
        image.load()
        picture = ImageOps.exif_transpose(image)  # keep the orientation EXIF described
    if detected == "JPEG" and picture.mode not in ("RGB", "L"):
        picture = picture.convert("RGB")
    if detected == "WEBP" and picture.mode not in ("RGB", "RGBA"):
        picture = picture.convert("RGBA")
    buffer = io.BytesIO()
    options = {"quality": 90} if detected in ("JPEG", "WEBP") else {}
    picture.save(buffer, format=detected, **options)  # no exif=, icc_profile= or pnginfo=: none is kept
    upload.seek(0)
    return ContentFile(buffer.getvalue(), name=f"{uuid.uuid4().hex}.{EXTENSION_OF_FORMAT[detected]}")


def reencode_images(sender, instance, raw=False, **kwargs):
    """pre_save: every new (not yet stored) picture of any ImageField is re-encoded."""
    if raw:
        return
    for field in sender._meta.concrete_fields:
        if not isinstance(field, models.ImageField):
            continue
        fieldfile = getattr(instance, field.attname)
        if not fieldfile or fieldfile._committed:
            continue
        clean = reencode_image(fieldfile.file)
        fieldfile.file = clean
        fieldfile.name = clean.name


pre_save.connect(reencode_images, dispatch_uid="technopark.uploads.reencode_images")


# --- Files of rolled-back transactions ---------------------------------------------------------

_local = threading.local()


def track_written(storage, name: str) -> None:
    """Remember a file written inside a transaction; it is deleted if that transaction (or the
    savepoint it was written in) is rolled back. Called by the storages after each save."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return
    entry = {"storage": storage, "name": name, "committed": False}

    def committed():
        entry["committed"] = True

    entry["callback"] = committed
    transaction.on_commit(committed)
    if not hasattr(_local, "pending"):
        _local.pending = []
    _local.pending.append(entry)


def sweep(**kwargs) -> int:
    """Delete the tracked files whose transaction was rolled back; returns how many."""
    pending = getattr(_local, "pending", [])
    if not pending:
        return 0
    connection = transaction.get_connection()
    waiting = {id(func) for _savepoints, func, *_rest in connection.run_on_commit}
    kept, deleted = [], 0
    for entry in pending:
        if entry["committed"]:
            continue
        if id(entry["callback"]) in waiting:
            kept.append(entry)  # its transaction is still open
            continue
        try:
            entry["storage"].delete(entry["name"])
            deleted += 1
        except Exception:  # noqa: BLE001 - OSError, or an S3 client's error: logged, nothing else to do
            log.exception("Could not delete %s after a rollback", entry["name"])
    _local.pending = kept
    return deleted


request_finished.connect(sweep, dispatch_uid="technopark.uploads.sweep")


def delete_on_commit_if_unused(storage, name: str, model, field_name: str) -> None:
    """After the transaction commits, delete a replaced file unless another row still uses it."""
    if not name:
        return

    def delete():
        if not model._default_manager.filter(**{field_name: name}).exists():
            storage.delete(name)

    transaction.on_commit(delete)

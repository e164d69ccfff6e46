"""The only door to private files (technopark/storage.py): a view that checks who asks.

``/files/<name>`` finds the row that holds the file and asks that row's rule whether this person
may see it (the rules reuse each app's own visibility selectors); anybody else gets 404, as for
any other person's object. In production (``PRIVATE_MEDIA_ACCEL_PREFIX`` set) the answer is an
empty response with ``X-Accel-Redirect``, and nginx sends the file from its ``internal``
location; in development the file is streamed; with S3-compatible private storage it redirects to
an address signed for a minute (technopark/storage_s3.py).
"""

import mimetypes
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect


def private_file_rules():
    """(model, file field, function(user) -> queryset of rows the user may see) for every
    private file field; each app registers its own (``technopark.registry.register_private_files``)."""
    from . import registry

    return registry.private_file_rules()


def serve_private_file(fieldfile, *, download_name: str | None = None) -> HttpResponse:
    name = fieldfile.name
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    prefix = settings.PRIVATE_MEDIA_ACCEL_PREFIX
    signed_url = getattr(fieldfile.storage, "signed_url", None)
    if signed_url is not None:
        # S3-compatible private storage (technopark/storage_s3.py): the permission was checked
        # here; the browser fetches the file itself from an address that expires within a minute.
        response = HttpResponseRedirect(signed_url(name, download_name=download_name))
        response.hands_out_file = True  # recorded by the personal-data access log like a download
    elif prefix:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = f"{prefix.rstrip('/')}/{quote(name)}"
        if download_name:
            response["Content-Disposition"] = f'inline; filename="{download_name}"'
    else:
        try:
            handle = fieldfile.open("rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        response = FileResponse(handle, content_type=content_type, filename=download_name or "")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def private_file(request, name):
    for _model, field_name, visible_to in private_file_rules():
        row = visible_to(request.user).filter(**{field_name: name}).first()
        if row is not None:
            return serve_private_file(getattr(row, field_name))
    raise Http404

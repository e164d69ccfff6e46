"""Two storages: public media (served by nginx under MEDIA_URL) and private files.

Public: news covers, startup logos, equipment and solution photos — the default storage.
Private (``STORAGES["private"]``): pitch decks, the logos of applications and anything else a
person uploads for staff. It lives in ``PRIVATE_MEDIA_ROOT``, outside ``MEDIA_ROOT``, has no
public address, and its ``url()`` is the address of :func:`technopark.files.private_file`,
which checks who asks before it hands the file over (to nginx by ``X-Accel-Redirect`` in
production, streamed in development). So forms, templates and the admin that show
``field.url`` link through the permission check without knowing it.
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.urls import reverse


class PrivateStorage(FileSystemStorage):
    """A file-system storage in PRIVATE_MEDIA_ROOT (read when used, so tests can move it)."""

    @property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None

    def url(self, name):
        return reverse("private_file", kwargs={"name": name})

    def _save(self, name, content):
        from technopark.uploads import track_written

        name = super()._save(name, content)
        track_written(self, name)
        return name


def private_storage():
    """The private storage; a callable so that migrations record no settings."""
    return storages["private"]


class TrackedFileSystemStorage(FileSystemStorage):
    """Public media: the default storage, whose files of rolled-back transactions are deleted."""

    def _save(self, name, content):
        from technopark.uploads import track_written

        name = super()._save(name, content)
        track_written(self, name)
        return name

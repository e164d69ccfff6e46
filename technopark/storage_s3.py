"""Optional S3-compatible storage (django-storages) for running more than one web server.

Chosen in the settings when ``S3_BUCKET`` is set (see the README, Deployment); the file system
stays the default. Two buckets, never one: public media in ``S3_BUCKET`` (read by anyone, as
nginx's ``/media/`` is), private files in ``S3_PRIVATE_BUCKET``, which allows no anonymous read.

- :class:`PublicS3Storage`: plain (unsigned) addresses, like ``MEDIA_URL``.
- :class:`PrivateS3Storage`: ``url()`` is still the permission-checking view
  (:func:`technopark.files.private_file`), so forms, templates and the admin link through the
  check as with the file system; after the check the view redirects to :meth:`signed_url`, an
  address signed for ``PRIVATE_FILE_URL_SECONDS`` (60 s by default) that works for that one file.

Both delete the files written by a transaction that is rolled back (``technopark.uploads``).
This module imports boto3 only when one of these storages is configured.
"""

from django.urls import reverse
from storages.backends.s3 import S3Storage


class _TrackedS3Storage(S3Storage):
    def _save(self, name, content):
        from technopark.uploads import track_written

        name = super()._save(name, content)
        track_written(self, name)
        return name


class PublicS3Storage(_TrackedS3Storage):
    """Public media: news covers, startup logos, equipment and solution photos."""

    def get_default_settings(self):
        return {**super().get_default_settings(), "querystring_auth": False, "file_overwrite": False}


class PrivateS3Storage(_TrackedS3Storage):
    """Private files: only reachable through the view, which hands out a short-lived signed address."""

    def get_default_settings(self):
        return {
            **super().get_default_settings(),
            "querystring_auth": True,
            "querystring_expire": 60,
            "default_acl": "private",
            "file_overwrite": False,
            "custom_domain": None,
        }

    def url(self, name, parameters=None, expire=None, http_method=None):
        return reverse("private_file", kwargs={"name": name})

    def signed_url(self, name, *, download_name: str | None = None) -> str:
        """A GET address for ``name`` signed for ``querystring_expire`` seconds."""
        parameters = {"ResponseCacheControl": "private, no-store"}
        if download_name:
            parameters["ResponseContentDisposition"] = f'inline; filename="{download_name}"'
        return super().url(name, parameters=parameters, expire=self.querystring_expire)

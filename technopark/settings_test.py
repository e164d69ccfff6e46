"""Test settings: the real settings with a fast hasher, in-memory mail and plain static files."""

import os

# The tests run with DEBUG off but may use the built-in key and the embedded database.
os.environ.setdefault("DJANGO_DEVELOPMENT_DEFAULTS", "1")

from technopark.settings import *  # noqa: E402,F401,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "technopark.storage.TrackedFileSystemStorage"},
    "private": {"BACKEND": "technopark.storage.PrivateStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SESSION_ENGINE = "django.contrib.sessions.backends.db"  # as without REDIS_URL: the cache here is per process
PAGE_CACHE_SECONDS = 120  # the tests run in one process, so the page cache is on as in production
# Off: a test's own transaction never commits, so the changes its requests make would not raise
# the versions; tests/perf/test_dashboard_cache.py turns it on and runs the commit callbacks.
DASHBOARD_CACHE_SECONDS = 0
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
WHITENOISE_AUTOREFRESH = True
# The tests sign staff in with force_login; tests/security/test_two_factor.py turns two-step sign-in on.
STAFF_REQUIRE_2FA = False

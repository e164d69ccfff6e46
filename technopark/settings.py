"""Settings for the Andijan Youth Technopark portal.

Everything that differs between machines comes from environment variables; see
``.env.example`` for the full list and the README for production values.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    return env(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


# Read a local .env file (never committed) so `make run` picks up developer settings.
_dotenv = BASE_DIR / ".env"
if _dotenv.exists():
    for _line in _dotenv.read_text().splitlines():
        if _line.strip() and not _line.lstrip().startswith("#") and "=" in _line:
            _key, _value = _line.split("=", 1)
            os.environ.setdefault(_key.strip(), _value.strip())

DEBUG = env_bool("DJANGO_DEBUG", False)
# Development conveniences (the built-in key, the embedded database) exist only with DEBUG on, or
# for the test settings, which set DJANGO_DEVELOPMENT_DEFAULTS before importing this module.
DEVELOPMENT_DEFAULTS = DEBUG or env_bool("DJANGO_DEVELOPMENT_DEFAULTS", False)


def fail_closed(message: str) -> None:
    """Stop at start with one line on stderr (no traceback, no insecure fallback)."""
    raise SystemExit(f"technopark: {message}")


SECRET_KEY = env("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEVELOPMENT_DEFAULTS:
        fail_closed("DJANGO_SECRET_KEY is not set; with DJANGO_DEBUG off a secret key is required.")
    SECRET_KEY = "insecure-development-key-change-me-in-production-0123456789abcdef"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "modeltranslation",  # must come before django.contrib.admin
    "technopark.apps.TechnoparkAdminConfig",  # django.contrib.admin, its site reading Cyrillic searches
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "axes",
    "import_export",
    "django_tasks",
    "django_tasks_db",
    "technopark.apps.TechnoparkConfig",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "security",
    "notifications",
    "programs",
    "incubator",
    "fablab",
    "impact",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "technopark.middleware.DefaultLanguagePrefixRedirectMiddleware",
    "technopark.page_cache.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "technopark.transliteration.CyrillicUzbekMiddleware",
    "technopark.middleware.MalformedInputMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "security.twofactor.StaffTwoFactorMiddleware",
    "security.audit.AccessLogMiddleware",
    "technopark.language.PreferredLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "technopark.urls"
WSGI_APPLICATION = "technopark.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "technopark.context_processors.site",
                "notifications.context_processors.unread_messages",
            ],
        },
    },
]

# --- Database: PostgreSQL only -------------------------------------------------------
DATABASE_URL = env("DATABASE_URL")
if not DATABASE_URL:
    if not DEVELOPMENT_DEFAULTS:
        fail_closed("DATABASE_URL is not set; with DJANGO_DEBUG off the embedded database is not used.")
    from technopark.embedded_db import database_url

    DATABASE_URL = database_url(BASE_DIR)
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=int(env("DB_CONN_MAX_AGE", "60")))}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
# A persistent connection is checked before a request reuses it: after a database restart
# (an upgrade, a failover) the next request reconnects instead of failing with a 500.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if env("TEST_DATABASE_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": env("TEST_DATABASE_NAME")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ---------------------------------------------------------------------------
# The cache only holds copies: with Redis unreachable the resilient backend answers like an
# empty cache (pages are served uncached) and retries after CACHE_CIRCUIT_BREAKER_SECONDS.
if env("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "technopark.cache.ResilientRedisCache",
            "LOCATION": env("REDIS_URL"),
            "OPTIONS": {"CIRCUIT_BREAKER_SECONDS": float(env("CACHE_CIRCUIT_BREAKER_SECONDS", "5"))},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sessions are kept in PostgreSQL; with Redis, a copy there saves the session query of every
# signed-in request (cached_db: written to both, read from the cache, from the database when the
# cache misses or is down). Without a shared cache a per-process copy could outlive a logout in
# another process, so the database alone is used then (and in the tests, whose cache is local).
SESSION_ENGINE = "django.contrib.sessions.backends." + ("cached_db" if env("REDIS_URL") else "db")

# --- Accounts ------------------------------------------------------------------------
AUTH_USER_MODEL = "technopark.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Argon2id first (technopark/hashers.py); the others only verify older hashes, which are
# upgraded to Argon2id at the person's next sign-in.
PASSWORD_HASHERS = [
    "technopark.hashers.OwaspArgon2idPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        # Django's default attributes are username, first_name, last_name and email; ours holds the
        # name in full_name, which the default list never compared.
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("email", "full_name", "phone")},
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "technopark.password_validation.SiteNameValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "home"

# Login lockout (django-axes): ten wrong passwords lock the account for a while, and twelve wrong
# passwords from one address, whatever the accounts, lock that address (password spraying).
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "10"))
AXES_IP_FAILURE_LIMIT = int(env("AXES_IP_FAILURE_LIMIT", "12"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env("AXES_COOLOFF_MINUTES", "30")))
# Per address across accounts, and per account from that address. The address has its own, higher
# limit (technopark/axes_handler.py): visitors behind one NAT share an address, and one person's
# wrong passwords must not lock everybody else out.
AXES_LOCKOUT_PARAMETERS = ["ip_address", ["username", "ip_address"]]
AXES_HANDLER = "technopark.axes_handler.AccountAndAddressHandler"
# The login form's field is "username" (holding the e-mail); without this axes looks for "email"
# (USERNAME_FIELD), finds nothing and silently falls back to counting per IP address.
AXES_USERNAME_CALLABLE = "technopark.forms.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_VERBOSE = False
# Behind nginx, count the proxies in front of the app so axes sees the client's address.
if env("AXES_PROXY_COUNT"):
    AXES_IPWARE_PROXY_COUNT = int(env("AXES_PROXY_COUNT"))
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")

# --- Internationalisation ------------------------------------------------------------
LANGUAGE_CODE = "uz"
# Uzbek in Cyrillic ("Ўзбекча", named the same in every language, as government sites do) beside
# the Latin: its interface from catalogues generated from the Latin ones (manage.py
# make_cyrillic_catalogues), its content transliterated at render time (technopark/transliteration.py).
LANGUAGES = [("uz", _("Uzbek")), ("uz-cyrl", "Ўзбекча"), ("ru", _("Russian")), ("en", _("English"))]
# The project's catalogues first; then locale/packages/, which supplies what Django's and the
# packages' own Uzbek and Russian catalogues lack (makemessages never writes there).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "packages"]
FORMAT_MODULE_PATH = ["technopark.formats"]
TIME_ZONE = "Asia/Tashkent"
USE_I18N = True
USE_TZ = True
# Content columns exist for these three only: uz-cyrl reads the uz ones (and is transliterated).
MODELTRANSLATION_LANGUAGES = ("uz", "ru", "en")
MODELTRANSLATION_DEFAULT_LANGUAGE = "uz"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("uz", "en", "ru")

# --- Static and media ----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
# Private files (pitch decks, applications' logos): outside MEDIA_ROOT, never served by nginx's
# /media/; only through the permission-checking view (technopark/storage.py, technopark/files.py).
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "var" / "private")))
# In production the view answers with X-Accel-Redirect to this nginx `internal` location.
PRIVATE_MEDIA_ACCEL_PREFIX = env("PRIVATE_MEDIA_ACCEL_PREFIX")
STORAGES = {
    "default": {"BACKEND": "technopark.storage.TrackedFileSystemStorage"},
    "private": {"BACKEND": "technopark.storage.PrivateStorage"},
    "staticfiles": {
        "BACKEND": env(
            "STATICFILES_BACKEND",
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage",
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
# Optional S3-compatible storage (django-storages, technopark/storage_s3.py) for more than one web
# server: public media in S3_BUCKET, private files in S3_PRIVATE_BUCKET — a second bucket without
# anonymous reads, reached only through the permission-checking view, which redirects to an
# address signed for PRIVATE_FILE_URL_SECONDS. Without S3_BUCKET the file system above is used.
if env("S3_BUCKET"):
    if env("S3_PRIVATE_BUCKET") in ("", env("S3_BUCKET")):
        fail_closed("S3_BUCKET is set without a separate S3_PRIVATE_BUCKET: private files would be public.")
    _S3_OPTIONS = {
        "endpoint_url": env("S3_ENDPOINT_URL") or None,
        "region_name": env("S3_REGION") or None,
        "access_key": env("S3_ACCESS_KEY_ID") or None,
        "secret_key": env("S3_SECRET_ACCESS_KEY") or None,
        "signature_version": "s3v4",
    }
    STORAGES["default"] = {
        "BACKEND": "technopark.storage_s3.PublicS3Storage",
        "OPTIONS": {
            **_S3_OPTIONS,
            "bucket_name": env("S3_BUCKET"),
            "default_acl": env("S3_PUBLIC_ACL", "public-read") or None,
            "custom_domain": env("S3_PUBLIC_DOMAIN") or None,
        },
    }
    STORAGES["private"] = {
        "BACKEND": "technopark.storage_s3.PrivateS3Storage",
        "OPTIONS": {
            **_S3_OPTIONS,
            "bucket_name": env("S3_PRIVATE_BUCKET"),
            "querystring_expire": int(env("PRIVATE_FILE_URL_SECONDS", "60")),
        },
    }

# Upload limits: a request body and any single uploaded file.
MAX_UPLOAD_SIZE = int(env("MAX_UPLOAD_SIZE", str(10 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# --- E-mail --------------------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "587"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Andijan Youth Technopark <noreply@technopark.andijan.uz>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")
EMAIL_TIMEOUT = int(env("EMAIL_TIMEOUT", "20"))

# --- Work outside the request ----------------------------------------------------------
# Tasks (django-tasks, the backport of Django 6's django.tasks) are rows in this database:
# a task enqueued inside a transaction commits or rolls back with it. `manage.py db_worker`
# runs them; `manage.py run_scheduler` enqueues the periodic jobs apps register.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- Telegram bot (a second channel for messages) ----------------------------------------
TELEGRAM_BOT_TOKEN = env("TELEGRAM_BOT_TOKEN")
TELEGRAM_BOT_USERNAME = env("TELEGRAM_BOT_USERNAME")
TELEGRAM_WEBHOOK_SECRET = env("TELEGRAM_WEBHOOK_SECRET")
TELEGRAM_API_BASE = env("TELEGRAM_API_BASE", "https://api.telegram.org")
TELEGRAM_TIMEOUT = int(env("TELEGRAM_TIMEOUT", "10"))

# --- Central Bank of Uzbekistan rates (InnoX investments in USD), loaded by a daily job -------------
CBU_RATES_URL = env("CBU_RATES_URL", "https://cbu.uz/uz/arkhiv-kursov-valyut/json/")
CBU_RATES_TIMEOUT = int(env("CBU_RATES_TIMEOUT", "20"))

# --- Forms ---------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
# Admin exports (django-import-export) need the model's "view" permission: without it the export
# URL answered any staff member (an editor could download every applicant's e-mail and phone).
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"

# --- Security ------------------------------------------------------------------------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
# Staff sign in with a TOTP code (or a recovery code) as well as the password (security/twofactor.py).
# On by default in production (debug off); off with debug on, so the demo's staff logins work.
STAFF_REQUIRE_2FA = env_bool("STAFF_REQUIRE_2FA", not DEBUG)
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", "Andijan Youth Technopark")
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the admin never shows an authenticator's secret
# The personal-data access log (security/audit.py): staff views, exports and changes of these
# admin models and staff pages are recorded, who, what and when, in an append-only table.
PERSONAL_DATA_AUDIT = True
PERSONAL_DATA_MODELS = [
    "technopark.user",
    "programs.enrolment",
    "programs.certificate",
    "programs.masterclassstudent",
    "incubator.application",
    "incubator.teammember",
    "incubator.participant",
    "incubator.review",
    "incubator.mentor",
    "incubator.officehourbooking",
    "fablab.booking",
    "fablab.clearance",
    "fablab.bookingsuspension",
    "fablab.trainingsession",  # its sign-ups (the people) are shown inline
    "fablab.faultreport",
    "notifications.notification",
    "notifications.telegramlink",
]
PERSONAL_DATA_PAGES = [
    "private_file",
    "programs:intake_attendance",
    "programs:session_attendance",
    "incubator:ranking",
    "incubator:export_applications",
    "incubator:export_reviews",
    "incubator:review_progress",
    "incubator:review_detail",
    "incubator:pitch_deck",
    "fablab:staff_day",
    "fablab:staff_outside_hours",
    "fablab:staff_training",
    "fablab:staff_faults",
    "incubator:mentor_hours",
    "incubator:decision_template_preview",
]
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "technopark.views.csrf_failure"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    SECURE_HSTS_SECONDS = int(env("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Domain settings -----------------------------------------------------------------
# FabLab opening hours (local time) and booking limits; staff may change them here.
FABLAB_OPEN_HOUR = int(env("FABLAB_OPEN_HOUR", "9"))
FABLAB_CLOSE_HOUR = int(env("FABLAB_CLOSE_HOUR", "18"))
FABLAB_MAX_BOOKING_HOURS = int(env("FABLAB_MAX_BOOKING_HOURS", "4"))
FABLAB_MIN_LEAD_HOURS = int(env("FABLAB_MIN_LEAD_HOURS", "2"))
# No-shows: not checked in this many minutes after the start; this many within the window suspend
# the person's self-booking for FABLAB_SUSPENSION_DAYS (staff can lift it).
FABLAB_NO_SHOW_GRACE_MINUTES = int(env("FABLAB_NO_SHOW_GRACE_MINUTES", "15"))
FABLAB_NO_SHOW_LIMIT = int(env("FABLAB_NO_SHOW_LIMIT", "3"))
FABLAB_NO_SHOW_WINDOW_DAYS = int(env("FABLAB_NO_SHOW_WINDOW_DAYS", "60"))
FABLAB_SUSPENSION_DAYS = int(env("FABLAB_SUSPENSION_DAYS", "30"))
IMPACT_CACHE_SECONDS = int(env("IMPACT_CACHE_SECONDS", "300"))
# Anonymous visitors' public pages are served whole from the cache (technopark/page_cache.py).
# Its invalidation must reach every process, so it is on by default only with a shared cache
# (Redis) or the single development server.
PAGE_CACHE_SECONDS = int(env("PAGE_CACHE_SECONDS", "120" if (env("REDIS_URL") or DEBUG) else "0"))
# How long browsers, nginx or a CDN may reuse a cached anonymous page without asking again
# (`Cache-Control: public, max-age`); after that they revalidate with If-None-Match and get 304.
PAGE_CACHE_MAX_AGE = int(env("PAGE_CACHE_MAX_AGE", "30"))
# "My technopark" keeps each person's panels while what they show is unchanged
# (technopark/templatetags/dashboard.py); like the page cache, only with a shared cache.
DASHBOARD_CACHE_SECONDS = int(env("DASHBOARD_CACHE_SECONDS", "300" if (env("REDIS_URL") or DEBUG) else "0"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}

"""The one settings module, driven by environment variables (see dotenv-sample).

Production is the default: with DEBUG unset, SECRET_KEY and ALLOWED_HOSTS must be given and
the HTTPS hardening below is on, so `mhsip check --deploy` passes. DEBUG=1 turns on
development defaults (a throwaway SECRET_KEY, local hosts, plain HTTP).
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

# The repository root (this file is mhsip/config/settings.py).
BASE_DIR = Path(__file__).resolve().parent.parent.parent


def get_env_bool(name: str, *, default: bool = False) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean: use 1 or 0.")


def get_env_var(name: str, *, dev_default: str | None = None) -> str:
    """Return an environment variable, or a development default when DEBUG is on.

    Outside DEBUG there are no defaults: a production server must be told its secrets rather
    than quietly run with ours.
    """
    value = os.environ.get(name, "")
    if value:
        return value
    if DEBUG and dev_default is not None:
        return dev_default
    raise ImproperlyConfigured(
        f"The environment variable {name} is not set.\n\n"
        "In development, set DEBUG=1 (copy dotenv-sample to .env and load it, or run through "
        "`make run`) to use development defaults. In production, set it to a real value: "
        "dotenv-sample lists every variable and what it is for."
    )


DEBUG = get_env_bool("DEBUG")

SECRET_KEY = get_env_var(
    "SECRET_KEY", dev_default="django-insecure-development-only-never-use-this-in-production"
)

# Key for the keyed hash (HMAC-SHA256) of local patient identifiers. Keep it apart from the
# database: with it, a known identifier can be looked up; without it, the hashes reveal nothing.
PSEUDONYMISATION_KEY = get_env_var(
    "PSEUDONYMISATION_KEY", dev_default="development-only-pseudonymisation-key"
)

ALLOWED_HOSTS = [
    host.strip()
    for host in get_env_var("ALLOWED_HOSTS", dev_default="127.0.0.1,localhost,[::1]").split(",")
    if host.strip()
]
CSRF_TRUSTED_ORIGINS = [
    origin.strip()
    for origin in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",")
    if origin.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Before staticfiles, so `runserver` serves static files the way production does.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "mhsip.accounts",
    "mhsip.authorization",
    "mhsip.organisations",
    "mhsip.auditing",
    "mhsip.patients",
    "mhsip.incidents",
    "mhsip.demo",
    "mhsip.dashboards",
    "mhsip.variation",
    "mhsip.improvement",
    "mhsip.imports",
    "mhsip.extracts",
    "mhsip.reports",
    "mhsip.api",
    "mhsip.network",
    "mhsip.champions",
    "mhsip.national",
    "mhsip.web",
]

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "login"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Marks the session's user as verified (`request.user.is_verified()`) once they have given
    # a TOTP code; the next middleware sends people who still owe one to give it.
    "django_otp.middleware.OTPMiddleware",
    "mhsip.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# django-axes' backend comes first: it refuses a locked-out username before the password is
# even checked. It needs the request, so tests sign in with `client.force_login(user)`, not
# `client.login(...)`.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "mhsip.config.urls"
WSGI_APPLICATION = "mhsip.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mhsip.web.context_processors.navigation",
            ],
        },
    },
]

# SQLite in the repository root unless DATABASE_URL says otherwise, e.g.
# postgres://postgres@127.0.0.1:5432/mhsip (psycopg 3 is the driver).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Argon2 first: new and upgraded passwords use it; the others only verify older hashes.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sign-in sessions last a long shift (12 hours), then people sign in again.
SESSION_COOKIE_AGE = 12 * 60 * 60

# Login throttling (django-axes). 5 wrong passwords for one username from one address lock that
# pair out for 15 minutes. Locking the pair rather than the address alone matters on a ward: a
# hospital's staff share a few outgoing addresses, and one person's typos must not lock out the
# whole ward. Failures live in the database, so every server process counts the same ones.
# Behind a proxy every request comes from the proxy's address, and the lock is per username.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "mhsip.accounts.views.locked_out"

# Second factor (django-otp, TOTP authenticator apps). Anyone whose roles let them see
# patient-level data may set one up; once set up, they give a code each time they sign in.
# With MHSIP_REQUIRE_2FA_FOR_PATIENT_DATA on (the production default), such people must set
# one up and give a code before any page but sign-in, sign-out and the second-factor pages
# (mhsip.accounts.middleware.SecondFactorMiddleware). Development leaves it off so demo logins
# work with a password alone; set it to 1 to try it.
MHSIP_REQUIRE_2FA_FOR_PATIENT_DATA = get_env_bool(
    "MHSIP_REQUIRE_2FA_FOR_PATIENT_DATA", default=not DEBUG
)
# The name an authenticator app shows beside the code.
OTP_TOTP_ISSUER = "MHSIP"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# Static files. `make assets` copies the NHS.UK frontend build into assets/dist/ (git-ignored);
# app static files live in each app's static/ folder. collectstatic gathers both into
# STATIC_ROOT, which whitenoise serves.
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "assets" / "dist"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed file names in production; plain files in development and tests,
        # where nothing has been collected.
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        ),
    },
}

# HTTPS hardening (the `check --deploy` list). Off in development, which runs over plain HTTP.
SECURE_SSL_REDIRECT = not DEBUG
# Load balancers probe /health over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^health$"]
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if get_env_bool("BEHIND_HTTPS_PROXY") else None
)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = 0 if DEBUG else 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
# Only marks the site as willing to join browsers' HSTS preload list; joining it is a separate,
# hard-to-undo submission by whoever owns the domain.
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Content-Security-Policy (django-csp). Only our own scripts and styles run: the NHS.UK
# frontend is served from our static files. Its stylesheet loads the Frutiger web font from
# the NHS's asset server; without it browsers fall back to Arial, as the design system intends.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "https://assets.nhs.uk"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# Background work (imports of large files, champions' alerts and digests) runs as tasks of
# django-tasks, the backport of Django 6's django.tasks. The default keeps the queue in the
# database, worked by `mhsip db_worker` (`make run` starts one); MHSIP_TASK_BACKEND=immediate
# runs each task at once in the process that queued it (the tests, and a single-process demo).
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if os.environ.get("MHSIP_TASK_BACKEND", "database") == "immediate"
            else "django_tasks_db.DatabaseBackend"
        ),
    }
}

# The cache holds computed dashboards until their wards' data changes. It must be shared by
# every process that serves pages or works tasks (the task worker fills it after each change):
# MHSIP_CACHE=file (the default: a folder, shared by the processes of one machine), database
# (Django's cache table, shared by every machine using the database; run `mhsip
# createcachetable` once), locmem (one process only: the tests), or a redis:// URL (needs the
# `redis` package).
_cache = os.environ.get("MHSIP_CACHE", "file")
if _cache == "locmem":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
elif _cache == "database":
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "mhsip_cache",
        }
    }
elif _cache.startswith(("redis://", "rediss://")):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _cache}
    }
elif _cache == "file":
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("MHSIP_CACHE_DIR", str(BASE_DIR / "var" / "cache")),
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    }
else:
    raise ImproperlyConfigured(
        f"MHSIP_CACHE={_cache!r}: use file, database, locmem or a redis:// URL"
    )
# After each change to a ward's data, a background task computes its dashboards again
# (mhsip/dashboards/tasks.py). The tests turn it off and test it on its own.
MHSIP_WARM_DASHBOARDS = get_env_bool("MHSIP_WARM_DASHBOARDS", default=True)

# E-mail (champions' weekly digests). Development and tests print messages to the console;
# production sets EMAIL_BACKEND and the SMTP settings from the environment.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = get_env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "mhsip@localhost")
# Links in e-mails need the site's address, which a background task cannot take from a request.
MHSIP_SITE_URL = os.environ.get("MHSIP_SITE_URL", "http://127.0.0.1:8000")

# Uploaded import files are kept until their import has run (background tasks read them).
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Imports of MHSDS extracts and incident exports can be large.
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

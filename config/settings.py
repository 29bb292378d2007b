"""One settings file, read from the environment (see README "Settings").

Small typed helpers fail loudly on a bad value, so a typo in production is an error at
start-up rather than a silent default.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: bool) -> bool:
    raw = os.environ.get(name, "").strip().lower()
    if raw == "":
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be 0 or 1, not {raw!r}")


def envint(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None


def envlist(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name, "")
    items = [item.strip() for item in raw.split(",") if item.strip()]
    return items or default


DEBUG = envbool("DEBUG", False)
HTTPS = envbool("HTTPS", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "") or "insecure-dev-key-set-SECRET_KEY-in-production"
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
REDIS_URL = os.environ.get("REDIS_URL", "")
# Open Badges (docs/credentials.md): the address verifiers reach this instance at, signed
# into every credential (so set it once, before the first is issued); the issuer's name;
# and a file whose content encrypts the issuer keys (unset: SECRET_KEY does).
CREDENTIAL_BASE_URL = os.environ.get("CREDENTIAL_BASE_URL", "") or (
    f"https://{ALLOWED_HOSTS[0]}" if HTTPS else "http://localhost:8000"
)
CREDENTIAL_ISSUER_NAME = os.environ.get("CREDENTIAL_ISSUER_NAME", "") or "Open Visioning"
CREDENTIAL_KEY_FILE = os.environ.get("CREDENTIAL_KEY_FILE", "")

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "channels",
    "workshops",
    "workshops.records",  # an app only so that its management commands are found
    "principles",
    "credentials",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# SQLite by default; DATABASE_URL (postgres://...) in production.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        # Database work runs in one long-lived thread: reopening the connection for every
        # command cost a quarter of its time (docs/benchmarks.md).
        conn_max_age=envint("DB_CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE takes the write lock at BEGIN, so two writers queue on the busy
        # timeout instead of failing with "database is locked" on lock upgrade.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file, not memory: the browser tests' server process must see the test data.
    # One per test run, so two runs on one machine do not share it.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / f".test-db-{os.getpid()}.sqlite3")}
else:
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_{os.getpid()}"}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The core Redis layer (lists per channel) or the pub/sub one; both measured in
# docs/benchmarks.md.
REDIS_LAYER = os.environ.get("REDIS_LAYER", "core")
if REDIS_LAYER not in ("core", "pubsub"):
    raise ImproperlyConfigured(f"REDIS_LAYER must be core or pubsub, not {REDIS_LAYER!r}")
if REDIS_URL and REDIS_LAYER == "pubsub":
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL], "prefix": os.environ.get("REDIS_PREFIX", "visioning")},
        }
    }
elif REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                # A hub waits for doorbells in blocking pops of 5 s (channels-redis's
                # brpop_timeout); redis-py 8 times reads out after 5 s by default, so each
                # quiet wait failed instead of coming back empty. 15 s: longer than a pop,
                # short enough that a Redis gone silent is still noticed.
                "hosts": [{"address": REDIS_URL, "socket_timeout": 15}],
                "prefix": os.environ.get("REDIS_PREFIX", "visioning"),
                "capacity": 10_000,
                "expiry": 60,
            },
        }
    }
else:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels.layers.InMemoryChannelLayer",
            # One hub channel per workshop receives every event: give it room.
            "CONFIG": {"capacity": 10_000, "expiry": 60},
        }
    }

# Shared by every process when Redis is there (throttling counts live here).
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("REDIS_PREFIX", "visioning"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Commands per address and per workshop (beyond each participant's burst of 20, then 2
# per second): a burst, then so many per second; 0 turns a limit off. Sized so that 300
# people behind one address (a conference's NAT), each typing a few contributions a
# minute, and a room of 1,000 pass untouched (docs/protocol.md "Limits").
THROTTLE_ADDRESS_BURST = envint("THROTTLE_ADDRESS_BURST", 300)
THROTTLE_ADDRESS_PER_SECOND = envint("THROTTLE_ADDRESS_PER_SECOND", 20)
THROTTLE_WORKSHOP_BURST = envint("THROTTLE_WORKSHOP_BURST", 6000)
THROTTLE_WORKSHOP_PER_SECOND = envint("THROTTLE_WORKSHOP_PER_SECOND", 1000)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/facilitate/"
LOGOUT_REDIRECT_URL = "/"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

# Static files (docs/deploy.md): `manage.py collectstatic` fingerprints and compresses
# them into STATIC_ROOT (config/staticfiles.py); pages link the fingerprinted names, which
# WhiteNoise (or nginx) serves as immutable. Without DEBUG a page cannot render before
# collectstatic has run: `make run` runs it, and so does the test session (tests/conftest.py).
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "config.staticfiles.FingerprintedStaticFiles"},
}
# With DEBUG, pages link the plain names, served straight from static/ as they change.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
# Origins a proxy serves this site under, beyond its own scheme and Host (for instance
# `https://visioning.example.org` in front of plain HTTP, or `https://*.example.org`):
# trusted by websockets (workshops/live/middleware.py) and Django's CSRF check alike.
TRUSTED_ORIGINS = envlist("TRUSTED_ORIGINS", [])
for _origin in TRUSTED_ORIGINS:
    if "://" not in _origin:
        raise ImproperlyConfigured(f"TRUSTED_ORIGINS are scheme://host[:port], not {_origin!r}")
CSRF_TRUSTED_ORIGINS: list[str] = []
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "workshops.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if HTTPS:
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    CSRF_TRUSTED_ORIGINS = [f"https://{host}" for host in ALLOWED_HOSTS if host != "*"]
CSRF_TRUSTED_ORIGINS = [*CSRF_TRUSTED_ORIGINS, *TRUSTED_ORIGINS]

# Websockets: seconds a socket may stay open without saying hello (docs/protocol.md).
HELLO_TIMEOUT = envint("HELLO_TIMEOUT", 20)
if HELLO_TIMEOUT < 1:
    raise ImproperlyConfigured(f"HELLO_TIMEOUT must be at least 1 second, not {HELLO_TIMEOUT}")
# Database threads for commands on PostgreSQL (one per workshop at a time; SQLite has one
# writer whatever this says): workshops write side by side (live/group_commit.py).
COMMAND_THREADS = envint("COMMAND_THREADS", 4)

# Seconds between two checks, in each server process, for phases whose scheduled time to
# open or close has come (0: never; then `manage.py advance_schedule` from cron).
SCHEDULE_EVERY = envint("SCHEDULE_EVERY", 15)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "workshops": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    },
}

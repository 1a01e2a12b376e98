"""Uptake settings, read from the environment and nowhere else.

Every knob is an environment variable (see `.env.example`). Values that would be unsafe in
production fail loudly instead of falling back silently.
"""

import os
import re
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("UPTAKE_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    if raw.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), not {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_secret(name: str) -> str | None:
    """Read NAME, or the contents of the file named by NAME_FILE (for container secrets)."""
    if os.environ.get(name):
        return os.environ[name]
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text().strip()
    return None


DEBUG = env_bool("DEBUG", False)


def _local_secret_key() -> str:
    """A key generated once into var/ so that sessions survive restarts on a laptop."""
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = env_secret("SECRET_KEY") or ""
if not SECRET_KEY:
    if not DEBUG and not env_bool("UPTAKE_LOCAL", False):
        raise ImproperlyConfigured(
            "SECRET_KEY is required when DEBUG is off. Set SECRET_KEY (or SECRET_KEY_FILE), "
            "or set UPTAKE_LOCAL=true to use a key generated under var/ on this machine."
        )
    SECRET_KEY = _local_secret_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "simple_history",
    "axes",
    "uptake.accounts",
    "uptake.evaluations",
    "uptake.followup",
    "uptake.importer",
    "uptake.publishing",
    "uptake.results",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "uptake.api",
    "uptake.reporting",
    "uptake.core",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "uptake.core.middleware.PrivateCacheControlMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "uptake.urls"
WSGI_APPLICATION = "uptake.wsgi.application"

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
                "uptake.accounts.context_processors.roles",
            ],
        },
    },
]

_default_db = f"sqlite:///{VAR_DIR / 'uptake.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL") or _default_db)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while one writer commits; the busy timeout makes a second
    # writer wait instead of failing with "database is locked"; IMMEDIATE takes the write
    # lock at BEGIN so two writers never deadlock upgrading a read lock.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        # A connection's page cache is what spares it reading the file again: 64 MB of it,
        # kept from one request to the next (CONN_MAX_AGE below), holds the pages that lists
        # and figures read most.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536;"
        ),
    }
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Behind a pooler in transaction mode (PgBouncer), a server-side cursor does not outlive
    # its transaction's server connection: exports would fail with 'portal does not exist'.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env_bool(
        "DATABASE_DISABLE_SERVER_SIDE_CURSORS", False
    )
# Each worker keeps its connection between requests instead of opening one per request.
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60)

# The cache holds API rate-limit counters and the dashboard's figures. "locmem" keeps them in
# each process (one server, or a trial); "database" shares them between every worker and
# every app server (run `uptake createcachetable` once).
_CACHE_BACKENDS = {
    "locmem": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "database": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "uptake_cache",
    },
}
_cache_backend = os.environ.get("CACHE_BACKEND", "locmem")
if _cache_backend not in _CACHE_BACKENDS:
    raise ImproperlyConfigured(
        f"CACHE_BACKEND must be one of {', '.join(_CACHE_BACKENDS)}, not {_cache_backend!r}."
    )
# Rendered pages (the dashboard, public pages: uptake.core.caching) go to a cache of their
# own with its own bound, so that many pages never push a rate-limit counter or the figures
# out of the default one. In memory, a thousand pages are some 20 MB per process.
_PAGE_CACHES = {
    "locmem": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "uptake-pages",
        "OPTIONS": {"MAX_ENTRIES": 1000},
    },
    "database": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "uptake_page_cache",
        "OPTIONS": {"MAX_ENTRIES": 20000},
    },
}
CACHES = {"default": _CACHE_BACKENDS[_cache_backend], "pages": _PAGE_CACHES[_cache_backend]}

FORMS_URLFIELD_ASSUME_HTTPS = True  # the Django 6 default, adopted now
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "evaluations:home"
LOGOUT_REDIRECT_URL = "login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "America/Toronto")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Evidence is never served from a public URL: it goes through a permission-checked view.
MEDIA_URL = "/evidence-files/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Outside DEBUG, WhiteNoise serves what `uptake serve` collected: compressed, with hashed names
# and so cached for a year; the source folders would be served uncompressed, cached a minute.
WHITENOISE_USE_FINDERS = DEBUG

# Evidence uploads: what a department may attach to a progress update.
EVIDENCE_MAX_BYTES = env_int("UPTAKE_EVIDENCE_MAX_BYTES", 20 * 1024 * 1024)
EVIDENCE_ALLOWED_EXTENSIONS = env_list(
    "UPTAKE_EVIDENCE_EXTENSIONS",
    ["pdf", "docx", "doc", "xlsx", "xls", "pptx", "odt", "ods", "csv", "txt", "png", "jpg", "jpeg"],
)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "uptake@localhost")
UPTAKE_BASE_URL = os.environ.get("UPTAKE_BASE_URL", "http://127.0.0.1:8000")
# The licence line that published open data (JSON, CSV) and the public pages carry.
UPTAKE_OPEN_DATA_LICENCE = os.environ.get(
    "UPTAKE_OPEN_DATA_LICENCE",
    "Open Government Licence - Canada (https://open.canada.ca/en/open-government-licence-canada)",
)
# The same licence as French pages name it (empty: French pages show the one above).
UPTAKE_OPEN_DATA_LICENCE_FR = os.environ.get(
    "UPTAKE_OPEN_DATA_LICENCE_FR",
    "Licence du gouvernement ouvert – Canada "
    "(https://ouvert.canada.ca/fr/licence-du-gouvernement-ouvert-canada)",
)
# IATI exports name the publishing organisation by its IATI identifier and name.
UPTAKE_IATI_ORG_REF = os.environ.get("UPTAKE_IATI_ORG_REF", "XX-UPTAKE")
UPTAKE_IATI_ORG_NAME = os.environ.get("UPTAKE_IATI_ORG_NAME", "Uptake")

SESSION_COOKIE_SECURE = env_bool(
    "SESSION_COOKIE_SECURE", not DEBUG and not env_bool("UPTAKE_LOCAL", False)
)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# The interface language chosen on any page (see accounts.views.language_set).
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many reverse proxies in front of Uptake each append the address they were reached from
# to X-Forwarded-For: nginx alone, 1; a load balancer then nginx, 2. The client's address is
# that many hops from the end; earlier ones are whatever the client claimed.
PROXY_COUNT = env_int("PROXY_COUNT", 1 if env_bool("SECURE_PROXY_SSL_HEADER", False) else 0)
# No page script reads the CSRF cookie: htmx and the API page get the token from the template.
CSRF_COOKIE_HTTPONLY = True

# Content Security Policy (django-csp) on every response: no inline script or style anywhere,
# so an injected <script> or style="" is refused by the browser.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Sign-in throttling (django-axes, failures kept in the database so that every worker sees
# them): after LOGIN_FAILURE_LIMIT failures for one username, or from one client address,
# sign-in is refused until LOGIN_LOCKOUT_SECONDS pass without a new failure.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(seconds=env_int("LOGIN_LOCKOUT_SECONDS", 15 * 60))
AXES_LOCKOUT_PARAMETERS = (
    ["username", "ip_address"] if env_bool("LOGIN_LOCKOUT_BY_IP", True) else ["username"]
)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "uptake.accounts.views.login_locked_out"
AXES_CLIENT_IP_CALLABLE = "uptake.accounts.views.client_ip"
AXES_VERBOSE = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Update-link and calendar-feed addresses carry secrets: never written out (log_redaction).
    "filters": {"redact_secrets": {"()": "uptake.core.log_redaction.RedactSecrets"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_secrets"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # Django's defaults give these loggers handlers of their own, which would write the
    # addresses unfiltered (with DEBUG on, and the development server's request lines): without
    # them, everything reaches the root's handler.
    "loggers": {
        "django": {"handlers": [], "level": os.environ.get("LOG_LEVEL", "WARNING")},
        "django.server": {"handlers": [], "level": "INFO"},
    },
}

# The REST API: Django REST framework and its OpenAPI document (uptake/api/conf.py).
from uptake.api.conf import REST_FRAMEWORK, SPECTACULAR_SETTINGS  # noqa: E402,F401

# API rate limits, like "600/minute" (per second, minute, hour or day): anonymous callers per
# address, signed-in callers per user. An empty value turns that limit off.
_API_THROTTLES = {
    "anon": (
        "rest_framework.throttling.AnonRateThrottle",
        os.environ.get("API_THROTTLE_ANON", "600/minute"),
    ),
    "user": (
        "rest_framework.throttling.UserRateThrottle",
        os.environ.get("API_THROTTLE_USER", "3000/minute"),
    ),
}
for _scope, (_class, _rate) in _API_THROTTLES.items():
    if _rate and not re.fullmatch(r"[0-9]+/(s|sec|second|m|min|minute|h|hour|d|day)", _rate):
        raise ImproperlyConfigured(
            f"API_THROTTLE_{_scope.upper()} must look like 600/minute (or be empty), not {_rate!r}."
        )
REST_FRAMEWORK.update(
    {
        "DEFAULT_THROTTLE_CLASSES": [c for c, rate in _API_THROTTLES.values() if rate],
        "DEFAULT_THROTTLE_RATES": {s: r for s, (_c, r) in _API_THROTTLES.items() if r},  # type: ignore[dict-item]
        # The client's address, as sign-in throttling reads it (PROXY_COUNT above).
        "NUM_PROXIES": PROXY_COUNT,  # type: ignore[dict-item]
    }
)

"""Settings, read from the environment (12-factor, as Open Zaak does).

DATABASE_URL        default: SQLite file cstraject.sqlite3 in the working directory
CSTRAJECT_DATA_DIR    the data folder (default: the working directory): the generated secret key lives here
CSTRAJECT_SECRET_KEY  the secret key; without it, the key in <data folder>/cstraject-secret-key
                      (`cstraject serve` writes one there on first run); without either, a public
                      demo key that `serve` never runs with and `check --deploy` reports
CSTRAJECT_DEBUG       "1" to enable debug pages
CSTRAJECT_ALLOWED_HOSTS  comma-separated, default localhost,127.0.0.1
CSTRAJECT_MEDIA_ROOT  where uploaded documents live (outside the web root)
CSTRAJECT_SECURE_COOKIES  "1" behind HTTPS: secure cookies, HSTS, redirect to HTTPS
CSTRAJECT_BEHIND_PROXY    "1" when a reverse proxy terminates TLS and sets X-Forwarded-Proto
CSTRAJECT_HSTS_SECONDS    HSTS max-age when secure (default one year)
CSTRAJECT_MAX_REQUEST_BYTES  requests above this are refused unread (default 21 MB)
CSTRAJECT_CLAMD_SOCKET  clamd for the virus scan of uploads: socket path or host:port (default: no scan)
CSTRAJECT_LOG_FORMAT  json (one JSON object per line) or text (default)
CSTRAJECT_BASE_URL    the public address, for links in e-mails (default http://127.0.0.1:8000)
CSTRAJECT_EMAIL_HOST  SMTP server; without it e-mails are written to the console (demo)
CSTRAJECT_TASKS_BACKEND  immediate (default: run at once), database (django-tasks' database backend, run
                      `cstraject db-worker`) or celery (extra `celery`; run Celery workers, see README)
CSTRAJECT_CELERY_BROKER_URL  with celery: redis://host:6379/0 or amqp://user:password@host:5672// (default
                      redis://127.0.0.1:6379/0); CSTRAJECT_CELERY_RESULT_BACKEND optional
CSTRAJECT_API_RATE    API calls allowed per token, default 120/m (also s, h, d)
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

PACKAGE_DIR = Path(__file__).resolve().parent
WORK_DIR = Path.cwd()
DATA_DIR = Path(os.environ.get("CSTRAJECT_DATA_DIR", WORK_DIR))
SECRET_KEY_FILE = DATA_DIR / "cstraject-secret-key"
# Public: only for tests and commands that sign nothing. `serve` replaces it (see web/secret_key.py).
INSECURE_DEFAULT_SECRET_KEY = "cstraject-insecure-demo-key-set-CSTRAJECT_SECRET_KEY-in-production"


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("CSTRAJECT_DEBUG")


def _secret_key() -> str:
    if os.environ.get("CSTRAJECT_SECRET_KEY"):
        return os.environ["CSTRAJECT_SECRET_KEY"]
    try:
        return SECRET_KEY_FILE.read_text(encoding="utf-8").strip() or INSECURE_DEFAULT_SECRET_KEY
    except OSError:
        return INSECURE_DEFAULT_SECRET_KEY


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [h for h in os.environ.get("CSTRAJECT_ALLOWED_HOSTS", "localhost,127.0.0.1,testserver").split(",") if h]

INSTALLED_APPS = [
    "cstraject.accounts.apps.CstrajectAdminConfig",  # django.contrib.admin with the permission table's entry check
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "cstraject.core",
    "cstraject.accounts",
    "cstraject.audit",
    "cstraject.companies",
    "cstraject.providers",
    "cstraject.calls",
    "cstraject.dossiers",
    "cstraject.payments",
    "cstraject.reporting",
    "cstraject.reference",
    "cstraject.impact",
    "cstraject.controls",
    "cstraject.register",
    "cstraject.jobs",
    "cstraject.api",
    "cstraject.web",
    "cstraject.cli",
    "cstraject.operations",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "cstraject.operations.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "cstraject.web.middleware.ActorMiddleware",
    "cstraject.web.middleware.SecurityHeadersMiddleware",
    # Refuses an oversized request before anything reads its body (cstraject.web.uploads).
    "cstraject.web.uploads.RequestSizeMiddleware",
    # Last: turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# One login throttle for every login form (ours and /admin/login/): django-axes counts failures
# per username and address in the database, shared by every worker process.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "web/locked.html"
AXES_VERBOSE = False
# The username as axes stores it: cut to a username's length, no NUL (cstraject.web.login_throttle).
AXES_USERNAME_CALLABLE = "cstraject.web.login_throttle.axes_username"
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("CSTRAJECT_PROXY_COUNT", "0")) or None

ROOT_URLCONF = "cstraject.urls"
WSGI_APPLICATION = "cstraject.wsgi.application"

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
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{WORK_DIR / 'cstraject.sqlite3'}"),
        conn_max_age=int(os.environ.get("CSTRAJECT_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for a competing writer instead of failing at once.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    # Several server processes on one file (`cstraject serve`): in WAL mode readers never wait for the
    # writer and a commit appends to the log instead of rewriting a journal (NORMAL: no fsync per commit;
    # a power cut may lose the last commits, never corrupts). A write transaction takes the lock when it
    # begins, so two writers queue instead of failing on a lock upgrade. Measured in docs/performance.md.
    DATABASES["default"]["OPTIONS"]["init_command"] = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True
# Dates and numbers follow the active language (formats/nl, formats/en: 27-11-2026 / 27/11/2026,
# 1.234,56 / 1,234.56, 24-hour times). Thousands are grouped where we ask for it (money, counts:
# `core.numbers.format_number`, the `euro` and `number` filters), not in every integer a template
# prints: a year would read "2.026" and an SVG coordinate "1.280" (docs/translations.md).
FORMAT_MODULE_PATH = ["cstraject.formats"]
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("CSTRAJECT_STATIC_ROOT", WORK_DIR / "staticfiles"))
MEDIA_ROOT = Path(os.environ.get("CSTRAJECT_MEDIA_ROOT", WORK_DIR / "cstraject-documents"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# Uploads: a request above this size is refused before its body is read; a file above 10 MB
# is dropped while it streams (cstraject.web.uploads).
CSTRAJECT_MAX_REQUEST_BYTES = int(os.environ.get("CSTRAJECT_MAX_REQUEST_BYTES", str(21 * 1024 * 1024)))
FILE_UPLOAD_HANDLERS = [
    "cstraject.web.uploads.DocumentSizeUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Virus scan of uploads by clamd: a Unix socket path or host:port; empty = no scan.
CSTRAJECT_CLAMD_SOCKET = os.environ.get("CSTRAJECT_CLAMD_SOCKET", "")
CSRF_FAILURE_VIEW = "cstraject.web.views.errors.csrf_failure"

SESSION_COOKIE_HTTPONLY = True
# Sessions end when the browser closes and after 30 minutes without a request.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("CSTRAJECT_SECURE_COOKIES")
CSRF_COOKIE_SECURE = env_bool("CSTRAJECT_SECURE_COOKIES")
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if env_bool("CSTRAJECT_SECURE_COOKIES"):
    SECURE_HSTS_SECONDS = int(os.environ.get("CSTRAJECT_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_SSL_REDIRECT = True
if env_bool("CSTRAJECT_BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp): our own scripts and styles only, no inline code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()"
)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

LOG_FORMAT = os.environ.get("CSTRAJECT_LOG_FORMAT", "text")  # json | text
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A 403 is logged as one line, never with a traceback (cstraject.web.logging).
    "filters": {"forbidden_one_line": {"()": "cstraject.web.logging.ForbiddenOneLine"}},
    "formatters": {
        "json": {"()": "cstraject.operations.logs.JsonFormatter"},
        "text": {
            "()": "cstraject.operations.logs.TextFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json" if LOG_FORMAT == "json" else "text"}
    },
    "root": {"handlers": ["console"], "level": os.environ.get("CSTRAJECT_LOG_LEVEL", "WARNING")},
    "loggers": {
        "django.request": {"filters": ["forbidden_one_line"]},
        # One line per request and per business event (cstraject.operations.logs).
        "cstraject": {"level": os.environ.get("CSTRAJECT_APP_LOG_LEVEL", "INFO")},
    },
}

# E-mail: SMTP when CSTRAJECT_EMAIL_HOST is set (production), else the console (demo).
CSTRAJECT_BASE_URL = os.environ.get("CSTRAJECT_BASE_URL", "http://127.0.0.1:8000")
EMAIL_HOST = os.environ.get("CSTRAJECT_EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = int(os.environ.get("CSTRAJECT_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("CSTRAJECT_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("CSTRAJECT_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("CSTRAJECT_EMAIL_STARTTLS")
EMAIL_USE_SSL = env_bool("CSTRAJECT_EMAIL_SSL")
EMAIL_TIMEOUT = int(os.environ.get("CSTRAJECT_EMAIL_TIMEOUT", "20"))
DEFAULT_FROM_EMAIL = os.environ.get("CSTRAJECT_EMAIL_FROM", "cstraject <no-reply@localhost>")

# The appeal clause of decision and recovery letters (the agency's wording; a default when empty).
# Letters are in the addressee's language (Profile.language, else Dutch). The Dutch wording is also
# used in English letters unless an English one is set: the agency's legal text is not machine-translated.
CSTRAJECT_LETTER_APPEAL_TEXT = os.environ.get("CSTRAJECT_LETTER_APPEAL_TEXT", "")
CSTRAJECT_LETTER_APPEAL_TEXT_EN = os.environ.get("CSTRAJECT_LETTER_APPEAL_TEXT_EN", "")

# Background tasks on django-tasks (e-mails, and the jobs of cstraject.jobs: screening, register imports,
# the report): the immediate backend (run at once, in the process that starts them) in the demo; the
# database backend (a `cstraject db-worker` process runs them) or Celery (optional extra `celery`,
# django-tasks-fennel; workers: `celery -A django_tasks_fennel.app worker`) in production.
TASKS_BACKEND = os.environ.get("CSTRAJECT_TASKS_BACKEND", "immediate")
if TASKS_BACKEND not in {"immediate", "database", "celery"}:
    raise ValueError(f"CSTRAJECT_TASKS_BACKEND is '{TASKS_BACKEND}'; use immediate, database or celery.")
TASKS = {
    "default": {
        "BACKEND": {
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
            "database": "django_tasks_db.DatabaseBackend",
            "celery": "django_tasks_fennel.CeleryBackend",
        }[TASKS_BACKEND]
    }
}
if TASKS_BACKEND == "celery":
    INSTALLED_APPS.append("django_tasks_fennel")
    CELERY_BROKER_URL = os.environ.get("CSTRAJECT_CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
    # A result backend only for django-tasks' get_result(); the job's own row holds status and result.
    CELERY_RESULT_BACKEND = os.environ.get("CSTRAJECT_CELERY_RESULT_BACKEND") or (
        CELERY_BROKER_URL if CELERY_BROKER_URL.startswith(("redis://", "rediss://")) else "rpc://"
    )
    CELERY_RESULT_EXTENDED = True
    CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # long jobs: take one at a time
    CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# The providers' API (/api/v1/): calls per token and period.
CSTRAJECT_API_RATE = os.environ.get("CSTRAJECT_API_RATE", "120/m")

"""Settings, read from the environment (12-factor, as Open Zaak does).

DATABASE_URL        default: SQLite file cstraject.sqlite3 in the working directory
CSTRAJECT_SECRET_KEY  required when CSTRAJECT_DEBUG is off in production
CSTRAJECT_DEBUG       "1" to enable debug pages
CSTRAJECT_ALLOWED_HOSTS  comma-separated, default localhost,127.0.0.1
CSTRAJECT_MEDIA_ROOT  where uploaded documents live (outside the web root)
"""

import os
from pathlib import Path

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parent
WORK_DIR = Path.cwd()


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("CSTRAJECT_DEBUG")
SECRET_KEY = os.environ.get(
    "CSTRAJECT_SECRET_KEY",
    # Only for the embedded demo and tests; production sets its own key.
    "cstraject-insecure-demo-key-set-CSTRAJECT_SECRET_KEY-in-production",
)
ALLOWED_HOSTS = [h for h in os.environ.get("CSTRAJECT_ALLOWED_HOSTS", "localhost,127.0.0.1,testserver").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
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
    "cstraject.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "cstraject.web.middleware.ActorMiddleware",
]

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

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("CSTRAJECT_STATIC_ROOT", WORK_DIR / "staticfiles"))
MEDIA_ROOT = Path(os.environ.get("CSTRAJECT_MEDIA_ROOT", WORK_DIR / "cstraject-documents"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("CSTRAJECT_SECURE_COOKIES")
CSRF_COOKIE_SECURE = env_bool("CSTRAJECT_SECURE_COOKIES")
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("CSTRAJECT_LOG_LEVEL", "WARNING")},
}

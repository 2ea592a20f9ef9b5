"""Production: refuses to start without SECRET_KEY, DATABASE_URL, ALLOWED_HOSTS and PAIRS_ENCRYPTION_KEYS."""

import os

from django.core.exceptions import ImproperlyConfigured

from pairs.database import database_settings

from .base import *  # noqa: F403
from .base import env_bool

_missing = [
    name
    for name in ("SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS", "PAIRS_ENCRYPTION_KEYS")
    if not os.environ.get(name, "").strip()
]
if _missing:
    raise ImproperlyConfigured("Missing required environment variables for production: " + ", ".join(_missing))

SECRET_KEY = os.environ["SECRET_KEY"]
ALLOWED_HOSTS = [h.strip() for h in os.environ["ALLOWED_HOSTS"].split(",") if h.strip()]
DATABASES = {"default": database_settings(os.environ["DATABASE_URL"])}

DEBUG = False
# Production sits behind one reverse proxy (nginx) unless told otherwise.
TRUSTED_PROXIES = int(os.environ.get("PAIRS_TRUSTED_PROXIES", "1"))
DEMO_MODE = env_bool("PAIRS_DEMO_MODE", False)
REQUIRE_STAFF_2FA = env_bool("PAIRS_REQUIRE_STAFF_2FA", True)

SECURE_SSL_REDIRECT = env_bool("PAIRS_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 63072000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

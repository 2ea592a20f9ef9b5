"""Test settings: same database rule as dev, strict templates, fast hashing."""

from pairs.database import database_settings, database_url

from .base import *  # noqa: F403
from .base import TEMPLATES

DEBUG = False
DEMO_MODE = True
REQUIRE_STAFF_2FA = False
SECRET_KEY = "test-secret-key-not-for-production-use-000000000000000000"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"

DATABASES = {"default": database_settings(database_url())}

# Unknown template variables fail loudly in tests.
TEMPLATES[0]["OPTIONS"]["string_if_invalid"] = "INVALID_TEMPLATE_VARIABLE[%s]"  # type: ignore[index]
KEEP_SENT_EMAIL_BODIES = True
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

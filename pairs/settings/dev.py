"""Local development and demo: embedded PostgreSQL unless DATABASE_URL is set."""

from pairs.database import database_settings, database_url

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("PAIRS_DEBUG", False)
DEMO_MODE = env_bool("PAIRS_DEMO_MODE", True)
REQUIRE_STAFF_2FA = env_bool("PAIRS_REQUIRE_STAFF_2FA", False)
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"

DATABASES = {"default": database_settings(database_url())}
KEEP_SENT_EMAIL_BODIES = True
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

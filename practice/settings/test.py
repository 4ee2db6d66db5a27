"""Settings for the test suite: fast hashing, in-memory email, generous throttles, and
uploaded files in a temporary folder."""

import atexit
import shutil
import tempfile

from .base import *  # noqa: F403
from .base import REST_FRAMEWORK

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Tests that exercise throttling override a single scope; the rest never get in the way.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": dict.fromkeys(REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "100000/minute"),
}
AUTH_REFRESH_COOKIE_SECURE = False
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"null": {"class": "logging.NullHandler"}},
    "root": {"handlers": ["null"]},
}

# Uploads never land in the project's media folder; tests that look at files use their own
# folder (the ``media_root`` fixture).
MEDIA_ROOT = tempfile.mkdtemp(prefix="practice-test-media-")
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)
PUBLIC_BASE_URL = "http://testserver"
# Tests that check audit checkpoints use their own file (the ``settings`` fixture).
AUDIT_CHECKPOINT_PATH = ""

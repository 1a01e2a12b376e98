"""Settings for the test suite: the real ones, with fast password hashing and a private var/."""

import os
import tempfile

os.environ.setdefault("UPTAKE_LOCAL", "true")
os.environ.setdefault("UPTAKE_VAR_DIR", tempfile.mkdtemp(prefix="uptake-test-"))
# API rate limits off: the suite makes thousands of requests as a few users in little time
# (uptake/api/tests/test_throttling.py turns them on where it tests them).
os.environ.setdefault("API_THROTTLE_ANON", "")
os.environ.setdefault("API_THROTTLE_USER", "")

from uptake.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# Nothing is collected for the suite: static files come from the source folders.
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = VAR_DIR / "media"  # noqa: F405
# WhiteNoise warns on every request when STATIC_ROOT does not exist.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405

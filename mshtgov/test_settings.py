"""Test settings: the production settings with fast hashing and no HTTPS (the test client speaks http)."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-key-" + "x" * 40)
os.environ.setdefault("HTTPS_ONLY", "false")

from mshtgov.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    **STORAGES,  # noqa: F405
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": "/tmp/mshtgov-test-private", "base_url": "/no-public-url/"},  # noqa: S108
    },
}
PRIVATE_STORAGE_ROOT = "/tmp/mshtgov-test-private"  # noqa: S108
LOGGING = {"version": 1, "disable_existing_loggers": False}
ACCESS_LOG_OVERLAP = False  # a writer thread's connection would outlive the test (tests/core/test_access_log_writer.py)
ACCESS_LOG_MAINTENANCE = True  # lets the test runner flush the append-only access log between tests
MFA_REQUIRED = False  # tests sign in with force_login; tests/core/test_mfa.py turns it on

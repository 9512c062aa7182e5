"""Settings for the test suite: same code, background work inline, fast hashing."""

import os

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
NUTAG_TASK_MODE = os.environ.get("NUTAG_TASK_MODE", "inline")
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
NUTAG_GENERATIONS_FILE = os.environ.get(
    "NUTAG_GENERATIONS_FILE",
    "" if REDIS_URL else str(MEDIA_ROOT / "generations"),  # noqa: F405
)
NUTAG_READS_BUFFER = os.environ.get(
    "NUTAG_READS_BUFFER", str(MEDIA_ROOT / f"reads-{os.getpid()}.buffer")
)
NUTAG_SMS_LOG = os.environ.get("NUTAG_SMS_LOG", str(MEDIA_ROOT / "sms.log"))
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Serve static files straight from the apps, without collectstatic.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# The second factor is switched on by the tests that check it (nutag/people/tests); the rest
# of the suite logs in with force_login, which carries no second factor.
NUTAG_OTP_REQUIRED = False
NUTAG_SECRETS_KEY = "dGVzdC1vbmx5LWtleS1mb3Itc2VhbGluZy1zZWNyZXQ="

# The server reads articles aloud only in the tests of that (sites/tests/test_speech.py).
NUTAG_SPEECH = False

# The policy is reported, not enforced, in the suite: playwright's wait_for_function evaluates
# strings in the page, which an enforced script-src 'self' refuses. The tests that check the
# policy (nutag/core/tests/test_security_headers.py, test_browser_csp.py) enforce it.
NUTAG_CSP_REPORT_ONLY = True
NUTAG_PRIVATE_ROOT = MEDIA_ROOT / "private"

# Pages rendered again in the background after a purge: on in the tests of that
# (nutag/sites/tests/test_refresh.py), off elsewhere, where a purge must show as a miss.
NUTAG_PAGE_REFRESH = int(os.environ.get("NUTAG_PAGE_REFRESH", "0"))
# No page folder shared between tests (it would outlive the test database): the tests of the
# shared tier set their own (nutag/sites/tests/test_pagecache.py, test_workers.py).
NUTAG_PAGE_CACHE_SHARED = os.environ.get("NUTAG_PAGE_CACHE_SHARED", "")
# Every audit row the tests write has its keys checked for a translated label
# (``core.audit.check_labels``): the history never shows a key in English.
NUTAG_AUDIT_LABELS_CHECKED = True

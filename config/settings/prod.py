"""Production settings. Secrets come only from the environment: there is no default.

Same code as the embedded default; the scale mode is chosen by environment variables alone
(``DATABASE_URL``, ``REDIS_URL``, ``AWS_STORAGE_BUCKET_NAME``). ``docs/deployment.md`` lists
every variable read here and in ``base.py``.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool, env_list

DEBUG = False
NUTAG_IS_PRODUCTION = True
NUTAG_SERVE_MEDIA = False  # uploads are nginx's or the bucket's, never Django's

try:
    SECRET_KEY = os.environ["SECRET_KEY"]
except KeyError as exc:
    raise ImproperlyConfigured("Set SECRET_KEY in the environment for production.") from exc
if not SECRET_KEY.strip():
    raise ImproperlyConfigured("Set SECRET_KEY in the environment for production.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# --- HTTPS (TLS ends at nginx, which sets X-Forwarded-Proto) -------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True  # also the larger-text cookie (nutag/core/views.py)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Asking browsers to preload HSTS binds every subdomain of the site's domain to HTTPS for
# a long time and is hard to undo, so it is the operator's decision, off by default. When it
# is off we silence the one deploy check that only says "preload is off" (security.W021);
# every other deploy warning stays on.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Media on S3-compatible object storage: see base.py (AWS_STORAGE_BUCKET_NAME).

# TLS ends at a proxy (nginx) that redirects plain HTTP and sends HSTS itself: then the
# production check (nutag/core/checks.py) accepts SECURE_SSL_REDIRECT=0 and no HSTS here.
NUTAG_TLS_PROXY = env_bool("NUTAG_TLS_PROXY", False)
if NUTAG_TLS_PROXY:
    # Django's own "no redirect"/"no HSTS" deploy warnings: the declared proxy does both.
    SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "security.W004", "security.W008"]

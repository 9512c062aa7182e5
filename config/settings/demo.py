"""The demo, served the way production is (``python3 run.py demo``).

Production-like: DEBUG off, the production app server (granian), static files collected and
served by whitenoise, a real secret key. What differs from ``prod`` is only what plain HTTP on
the loopback needs and what the demo is for:

- bound to 127.0.0.1 and answering only to 127.0.0.1 and localhost;
- no HTTPS redirect, HSTS or secure-only cookies (there is no TLS on the loopback);
- ``SECRET_KEY`` generated once into ``.demo-secret-key`` (git-ignored) and reused, so
  sessions survive a restart;
- uploads (``MEDIA_URL``) served by Django (``NUTAG_SERVE_MEDIA``), which nginx or a bucket
  does in a deployment; never in ``prod``;
- ``NUTAG_IS_PRODUCTION`` stays false, so ``manage.py load_demo`` runs here (and still refuses
  ``config.settings.prod``).

Two workers (``run.py``'s ``DEMO_WORKERS``), as the embedded default serves: each keeps pages
in its local memory, and what every worker must agree on is shared through files in the
project (the page generations, ``.nutag-generations``; the rendered pages, ``.nutag-pages``;
the pending read counts), so a publish taken by one worker is seen by the other's next request.
"""

import base64
import hashlib
import os
import secrets
from pathlib import Path

from .base import *  # noqa: F403
from .base import BASE_DIR

DEBUG = False
NUTAG_IS_PRODUCTION = False

SECRET_KEY_FILE = Path(os.environ.get("NUTAG_DEMO_SECRET_KEY_FILE", BASE_DIR / ".demo-secret-key"))


def _demo_secret_key(path: Path) -> str:
    """The key in ``path``; made (readable by its owner only) the first time."""
    try:
        with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as f:
            f.write(secrets.token_urlsafe(50) + "\n")
    except FileExistsError:
        pass
    key = path.read_text().strip()
    if not key:
        raise RuntimeError(f"{path} is empty: delete it and start the demo again.")
    return key


SECRET_KEY = _demo_secret_key(SECRET_KEY_FILE)

ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

# Plain HTTP on the loopback.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LANGUAGE_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Uploads: served by Django in the demo only (config/urls.py).
NUTAG_SERVE_MEDIA = True

# Official accounts' secrets (nutag/wechat/vault.py): derived from the demo's own secret key.
NUTAG_SECRETS_KEY = (
    os.environ.get("NUTAG_SECRETS_KEY")
    or base64.urlsafe_b64encode(hashlib.sha256(SECRET_KEY.encode()).digest()).decode()
)

"""Embedded default: one office PC or a developer's machine. SQLite, in-process work."""

import base64
import hashlib
import os

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-never-use-in-production")

# Serve static files straight from the apps, without collectstatic.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# Official accounts' secrets (nutag/wechat/vault.py): a key derived from SECRET_KEY unless set.
NUTAG_SECRETS_KEY = (
    os.environ.get("NUTAG_SECRETS_KEY")
    or base64.urlsafe_b64encode(hashlib.sha256(SECRET_KEY.encode()).digest()).decode()
)

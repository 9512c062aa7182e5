"""Secrets at rest: an official account's app secret, token and AES key.

Encrypted with Fernet (``cryptography``) under ``NUTAG_SECRETS_KEY`` from the environment
(the test and demo settings derive one). Shown again only masked; never in the API, never in
the audit log. A server without the key (production has no default) reads no secret
(``unseal`` gives ""), refuses to store one (``NO_KEY``, said on the secretary's page), and
its endpoint answers no message: nothing fails with a server error.
"""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

NO_KEY = _(
    "This server has no key for the official account's secrets (NUTAG_SECRETS_KEY): they can be "
    "neither saved nor read. Ask the server's administrator to set it."
)


def has_key() -> bool:
    return bool(getattr(settings, "NUTAG_SECRETS_KEY", ""))


def _fernet() -> Fernet:
    key = getattr(settings, "NUTAG_SECRETS_KEY", "")
    if not key:
        raise ImproperlyConfigured(
            "Set NUTAG_SECRETS_KEY (a Fernet key: python -c 'from cryptography.fernet import "
            "Fernet; print(Fernet.generate_key().decode())') to store official-account secrets."
        )
    return Fernet(key.encode() if isinstance(key, str) else key)


def seal(plain: str) -> str:
    return _fernet().encrypt(plain.encode()).decode() if plain else ""


def unseal(sealed: str) -> str:
    """The secret, or "" when there is none or it cannot be read (another key, or none)."""
    if not sealed or not has_key():
        return ""
    try:
        return _fernet().decrypt(sealed.encode()).decode()
    except InvalidToken:
        return ""


def masked(plain: str) -> str:
    """What a page may show of a secret: its last four characters."""
    if not plain:
        return ""
    return "•" * 6 + plain[-4:]

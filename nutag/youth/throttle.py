"""How many wrong phone numbers the QR check-in takes (page and API): a code and a client
address each get ``NUTAG_CHECKIN_TRIES`` misses (10 by default) per
``NUTAG_CHECKIN_WINDOW`` seconds (600), counted in Django's cache. A number that checks
somebody in does not count, so a camp's guardians behind one mobile network's address are
not locked out by their own success; guessing numbers is."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

PREFIX = "youth.checkin.miss"


def _limits() -> tuple[int, int]:
    tries = int(getattr(settings, "NUTAG_CHECKIN_TRIES", 10))
    window = int(getattr(settings, "NUTAG_CHECKIN_WINDOW", 600))
    return tries, window


def _keys(*, activity_id: int, address: str) -> list[str]:
    # the address is kept in the cache only as a hash
    hashed = hashlib.sha256(f"{PREFIX}:{address}".encode()).hexdigest()[:32]
    return [f"{PREFIX}:code:{activity_id}", f"{PREFIX}:addr:{hashed}"]


def checkin_blocked(*, activity_id: int, address: str) -> bool:
    """True when the code or the address has used up its misses for now."""
    tries, _window = _limits()
    counts = cache.get_many(_keys(activity_id=activity_id, address=address))
    return any(int(n) >= tries for n in counts.values())


def checkin_missed(*, activity_id: int, address: str) -> None:
    """Count one wrong number against the code and the address."""
    _tries, window = _limits()
    for key in _keys(activity_id=activity_id, address=address):
        if not cache.add(key, 1, window):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.add(key, 1, window)


def too_many_tries() -> str:
    return _("Too many wrong numbers. Wait ten minutes and try again, or ask the organiser.")

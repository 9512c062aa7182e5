"""The account's menu, built from the unit's site columns (the platform's menu format).

At most three buttons of at most five entries each: the first two top-level columns that have
sub-columns become buttons with those sub-columns; the other top-level columns (at most
four) go under a third button, with the site's home page last. Every entry opens a page of
the unit's site.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from nutag.orgs.models import Unit
from nutag.sites.selectors import column_and_children, site_columns, top_columns

TOP_BYTES = 16  # the platform's limits on a button's name, in UTF-8 bytes
SUB_BYTES = 60


def _cut(text: str, limit: int) -> str:
    while len(text.encode()) > limit:
        text = text[:-1]
    return text


def _view(name: str, url: str, limit: int = SUB_BYTES) -> dict[str, str]:
    return {"type": "view", "name": _cut(name, limit), "url": url}


def account_menu(*, unit: Unit, base_url: str) -> dict[str, Any]:
    base = base_url.rstrip("/")

    def column_url(key: str) -> str:
        return base + reverse("site-column", kwargs={"code": unit.code, "key": key})

    columns = site_columns(unit=unit)
    buttons: list[dict[str, Any]] = []
    rest: list[dict[str, str]] = []
    for column in top_columns(columns=columns):
        found = column_and_children(columns=columns, key=column.key)
        children = found[1] if found else []
        if children and len(buttons) < 2:
            buttons.append(
                {
                    "name": _cut(column.title, TOP_BYTES),
                    "sub_button": [_view(c.title, column_url(c.key)) for c in children[:5]],
                }
            )
        elif len(rest) < 4:
            rest.append(_view(column.title, column_url(column.key)))
    home = base + reverse("site-home", kwargs={"code": unit.code})
    rest.append(_view(_("Home page"), home))
    buttons.append({"name": _cut(_("More"), TOP_BYTES), "sub_button": rest})
    return {"button": buttons}

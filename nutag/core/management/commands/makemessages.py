"""``makemessages`` that also finds the messages the dashboard's tags look up through their
own fast lookups (``nutag.stats.templatetags.app_parts``: ``look(message, context=None)``,
``t(message, context=None)``, ``bt(message, **values)``).

Those tags print the dashboard in one Python pass, reading the active catalogue through
memoised lookups instead of ``gettext`` (issue 17); xgettext knows only Django's own names,
so without these keywords a rebuild of the catalogues (``scripts/i18n.py``) dropped their 34
messages and the dashboard fell back to English in every language.
"""

from __future__ import annotations

from django.core.management.commands import makemessages

# xgettext keyword specs: the message is the first argument; a second one, when given, is
# its context (``look("Figure", "dashboard")``).
LOOKUP_KEYWORDS = ["look:1", "look:1,2c", "t:1", "t:1,2c", "bt:1"]


class Command(makemessages.Command):
    xgettext_options = makemessages.Command.xgettext_options + [
        f"--keyword={spec}" for spec in LOOKUP_KEYWORDS
    ]

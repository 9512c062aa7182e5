"""What each kind of notice says, how urgent it is, and where it goes by default.

Texts are kept as lazy translations with named parameters; ``render`` fills them in the
recipient's language at the moment a notice is shown or sent, never when it is created.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from nutag.notify.models import Channel, Kind, Urgency

TEXTS: dict[str, Promise] = {
    Kind.TASK_ISSUED: _("%(from)s assigned a task: %(title)s (due %(due)s)"),
    Kind.TASK_DUE_SOON: _("Task due on %(due)s, not yet reported: %(title)s"),
    Kind.TASK_OVERDUE: _("Task overdue since %(due)s: %(title)s"),
    Kind.REPORT_RETURNED: _("Your report on “%(title)s” was returned: %(comment)s"),
    Kind.ARTICLE_SUBMITTED: _("An article waits for approval: %(title)s"),
    Kind.ARTICLE_RETURNED: _("Your article “%(title)s” was returned: %(reason)s"),
    Kind.ARTICLE_RECOMMENDED: _("%(unit)s recommends an article to your site: %(title)s"),
    Kind.ASSESSMENT_SUBMITTED: _("%(unit)s submitted its self-assessment for review"),
    Kind.ASSESSMENT_DUE_SOON: _("Self-assessment due on %(due)s: %(round)s"),
    Kind.JOIN_REQUESTED: _("%(name)s asks to join %(unit)s"),
    Kind.NOTICE: _("%(unit)s: %(text)s"),
    Kind.EMERGENCY: _("Emergency from %(unit)s: %(text)s"),
    Kind.CONCERN_RECEIVED: _("A resident's concern to handle: %(number)s (%(category)s)"),
    Kind.CONCERN_ANSWERED: _("Your concern %(number)s was answered"),
    Kind.CONCERN_OVERDUE: _("Concern %(number)s is overdue and passed up to %(unit)s"),
    Kind.COURSE_ASSIGNED: _("%(from)s assigned a course: %(title)s (due %(due)s)"),
    Kind.STUDY_REMINDER: _("Please finish the course “%(title)s” (due %(due)s)"),
    Kind.YOUTH_VISIT_DUE: _(
        "A young person you are paired with has not been visited for %(days)s days"
    ),
    Kind.CONCERN_ACCEPTED: _("Your concern %(number)s was accepted by %(unit)s"),
    Kind.CONCERN_STARTED: _("Work has started on your concern %(number)s"),
    Kind.INBOX_MESSAGE: _("New message from %(from)s: %(subject)s"),
    Kind.ORDER_REQUESTED: _("New order %(number)s: %(qty)s × %(title)s"),
    Kind.ORDER_CONFIRMED: _("Your order %(number)s for %(title)s was confirmed"),
    Kind.ORDER_DECLINED: _("Your order %(number)s for %(title)s was declined"),
    Kind.ORDER_SHIPPED: _("Your order %(number)s for %(title)s was shipped or handed over"),
    Kind.ORDER_COMPLETED: _("Your order %(number)s for %(title)s is completed: please rate it"),
    Kind.ORDER_CANCELLED: _("Order %(number)s for %(title)s was cancelled by the buyer"),
    Kind.BOOKING_REQUESTED: _(
        "Booking request for %(place)s: %(first)s to %(last)s, %(party)s people"
    ),
    Kind.BOOKING_CONFIRMED: _("Your booking at %(place)s from %(first)s was confirmed"),
    Kind.BOOKING_DECLINED: _("Your booking at %(place)s from %(first)s was declined"),
    Kind.BOOKING_CANCELLED: _("The booking at %(place)s from %(first)s was cancelled"),
    Kind.GRID_INCIDENT: _("An incident was logged in your grid %(grid)s: %(kind)s"),
    Kind.GRID_REFERRED: _("%(unit)s referred up an incident of the grid %(grid)s"),
    Kind.GRID_FOLLOW_UP_DUE: _("An incident of your grid %(grid)s is due for follow-up (%(due)s)"),
    Kind.GRID_WORKER_ASSIGNED: _("You are the grid worker of %(grid)s (%(unit)s)"),
    Kind.DISCLOSURE_SUBMITTED: _("%(unit)s submitted “%(title)s”: please sign it off"),
    Kind.DISCLOSURE_RETURNED: _("The disclosure “%(title)s” was returned: %(note)s"),
}

URGENCY: dict[str, str] = {
    Kind.TASK_DUE_SOON: Urgency.URGENT,
    Kind.EMERGENCY: Urgency.EMERGENCY,
}

# Officers' outside channels when neither they nor the banner chose: nothing noisy by
# default, an SMS for what cannot wait. Everyone else: the inbox only.
OFFICER_DEFAULTS: dict[str, list[str]] = {
    Kind.TASK_ISSUED: [Channel.SMS],
    Kind.TASK_DUE_SOON: [Channel.SMS],
    Kind.TASK_OVERDUE: [Channel.SMS],
    Kind.EMERGENCY: [Channel.SMS],
}
EVERYONE_DEFAULTS: dict[str, list[str]] = {Kind.EMERGENCY: [Channel.SMS]}


def urgency_of(kind: str) -> str:
    return URGENCY.get(kind, Urgency.NORMAL)


class _Blank(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "…"


def render(kind: str, params: Mapping[str, Any], language: str | None = None) -> str:
    """The notice's text in ``language`` (the active one when ``None``)."""
    template = TEXTS.get(kind, TEXTS[Kind.NOTICE])
    with translation.override(language or translation.get_language()):
        return str(template) % _Blank(params)


def render_digest(lines: list[str], language: str | None) -> str:
    """One message carrying several notices: a count, then the first lines."""
    with translation.override(language or translation.get_language()):
        head = ngettext(
            "Nutag: %(count)d new notice", "Nutag: %(count)d new notices", len(lines)
        ) % {"count": len(lines)}
    shown = lines[:5]
    more = f"\n… (+{len(lines) - len(shown)})" if len(lines) > len(shown) else ""
    return head + "\n" + "\n".join(f"· {line}" for line in shown) + more

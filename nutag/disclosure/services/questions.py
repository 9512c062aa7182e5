"""A resident asks about one line of a signed-off disclosure: the question becomes a concern
of the unit (``voice``), linked back to the line (``Question``)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from nutag.core.actors import Actor, SystemActor
from nutag.core.errors import NotFound
from nutag.disclosure.models import Disclosure, LineKind, Question
from nutag.disclosure.permissions import can_ask_about
from nutag.disclosure.services.drafts import LINE_MODELS
from nutag.orgs.permissions import require
from nutag.voice import services as voice_services

# The concern category a question goes to (every banner has it: voice's defaults).
QUESTION_CATEGORY = "other"


@transaction.atomic
def disclosure_ask(
    *,
    acting_user: Actor,
    disclosure: Disclosure,
    line_kind: str,
    line_id: int,
    text: str,
    idempotency_key: str = "",
) -> Question:
    """Raise a concern at the disclosure's unit about the line ``line_kind``/``line_id``."""
    if isinstance(acting_user, SystemActor):
        raise ValidationError(_("Only a person asks about a disclosure."))
    require(acting_user, can_ask_about, disclosure)
    model = LINE_MODELS.get(line_kind)
    if model is None:
        raise ValidationError({"line_kind": [_("Choose one of the tables shown.")]})
    line = model.objects.filter(disclosure=disclosure, pk=line_id).first()  # type: ignore[attr-defined]
    if line is None:
        raise NotFound
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [_("Say what you would like to know.")]})
    banner = voice_services.banner_of(disclosure.unit)
    categories = voice_services.categories_ensure(acting_user=acting_user, banner=banner)
    category = next((c for c in categories if c.key == QUESTION_CATEGORY), categories[-1])
    about = _("About “%(line)s” in “%(title)s” (version %(version)d):") % {
        "line": _line_label(line_kind, line),
        "title": disclosure.title,
        "version": disclosure.version,
    }
    submitted = voice_services.concern_submit(
        acting_user=acting_user,
        unit=disclosure.unit,
        category=category,
        text=f"{about}\n{text}",
        is_public=False,
        idempotency_key=idempotency_key,
    )
    question, _created = Question.objects.get_or_create(
        concern=submitted.concern,
        defaults={"disclosure": disclosure, "line_kind": line_kind, "line_id": line.pk},
    )
    return question


def _line_label(line_kind: str, line: object) -> str:
    if line_kind == LineKind.SUBSIDY:
        return str(getattr(line, "kind", ""))  # never the household's name
    return str(line)

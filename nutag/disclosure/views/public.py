"""A signed-off disclosure on the unit's site: its tables (household names masked by the
banner's rule), its attachments, what a correction changed, and "ask about this item"."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from nutag.core.errors import NotFound
from nutag.core.forms import submit_to_service
from nutag.disclosure import selectors, services
from nutag.disclosure.forms import AskForm
from nutag.disclosure.models import DisclosureStatus, LineKind
from nutag.disclosure.permissions import can_ask_about
from nutag.sites.selectors.public import public_unit


def disclosure_page(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    unit = public_unit(code=code)
    disclosure = selectors.access_public_disclosure(unit=unit, pk=pk)
    may_ask = can_ask_about(request.user, disclosure)
    form = AskForm(request.POST or None, initial=_asked(request)) if may_ask else None
    if request.method == "POST":
        if form is None:
            raise NotFound
        if form.is_valid():
            question = submit_to_service(
                form,
                lambda: services.disclosure_ask(
                    acting_user=request.user, disclosure=disclosure, **form.cleaned_data
                ),
            )
            if question is not None:
                messages.success(
                    request,
                    _("Your question was sent as concern %(number)s.")
                    % {"number": question.concern.number},
                )
                return redirect("disclosure-page", code=unit.code, pk=disclosure.pk)
    newer = disclosure.corrections.filter(status=DisclosureStatus.SIGNED_OFF).first()
    context = {
        "unit": unit,
        "d": disclosure,
        "tables": selectors.tables_of(disclosure),
        "changes": selectors.changes_since_previous(disclosure),
        "newer": newer,
        "may_ask": may_ask,
        "ask_form": form,
        "asking": form is not None and (form.is_bound or bool(form.initial)),
    }
    return render(request, "disclosure/page.html", context)


def _asked(request: HttpRequest) -> dict[str, object]:
    """The line chosen with "Ask" (``?ask=finance-12``), as the question form's initial data."""
    kind, _sep, line_id = request.GET.get("ask", "").partition("-")
    if kind in LineKind.values and line_id.isdigit():
        return {"line_kind": kind, "line_id": int(line_id)}
    return {}

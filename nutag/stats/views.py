from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from nutag.orgs.selectors import get_unit_by_code, unit_ancestors, unit_children
from nutag.stats.permissions import can_view_figures
from nutag.stats.selectors import unit_figures


def unit_figures_page(request: HttpRequest, code: str) -> HttpResponse:
    unit = get_unit_by_code(code=code)
    if not can_view_figures(user=request.user, unit=unit):
        raise Http404
    return render(
        request,
        "stats/unit_figures.html",
        {
            "unit": unit,
            "figures": unit_figures(unit=unit),
            "ancestors": unit_ancestors(unit=unit),
            "children": unit_children(unit=unit),
        },
    )

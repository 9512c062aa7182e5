"""The public search page of a unit's site: its own articles and those of every site below."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control

from nutag.core.errors import NotFound
from nutag.orgs.models import Unit
from nutag.sites.search import MAX_QUERY_CHARS, query_tokens, search_articles

PAGE_SIZE = 20
MAX_PAGE = 50


def site_search(request: HttpRequest, code: str) -> HttpResponse:
    """``/u/<code>/search/?q=…&page=…``: ranked results with highlighted snippets.

    Any query is accepted: it is cut to ``MAX_QUERY_CHARS`` characters and only its words
    are searched for (punctuation and search syntax never reach the database)."""
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        raise NotFound
    query = " ".join(request.GET.get("q", "").split())[:MAX_QUERY_CHARS]
    try:
        page = int(request.GET.get("page", "1"))
    except ValueError:
        page = 1
    page = min(max(page, 1), MAX_PAGE)
    searched = bool(query_tokens(query))
    hits = (
        search_articles(unit=unit, query=query, limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE)
        if searched
        else []
    )
    has_next = len(hits) > PAGE_SIZE and page < MAX_PAGE
    response = render(
        request,
        "sites/search.html",
        {
            "unit": unit,
            "query": query,
            "searched": searched,
            "hits": hits[:PAGE_SIZE],
            "page": page,
            "next_page": page + 1 if has_next else None,
            "previous_page": page - 1 if page > 1 and searched else None,
        },
    )
    # Results depend on the query string: never kept by a shared cache.
    patch_cache_control(response, private=True, max_age=0)
    return response

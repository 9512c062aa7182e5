"""Errors every layer shares."""

from django.http import Http404


class NotFound(Http404):
    """The object is missing or outside the user's reach: both answer 404.

    The one way to say "missing or not yours": raised by selectors (``access_<thing>``) and
    services alike. It *is* an ``Http404``, so a view lets it propagate and Django answers with
    the 404 page; the API's ``Http404`` handler answers a 404 JSON body; the admin turns it
    into a refused-change message (``nutag.orgs.admin_base``). Views never catch it.
    """

"""Security headers on every response: Content-Security-Policy, Permissions-Policy.

The policy is the setting ``NUTAG_CONTENT_SECURITY_POLICY`` (``{directive: [sources]}``,
``config/settings/base.py``): scripts only from our own origin — **no inline script and no
inline event handler** (``onclick=``) anywhere; JavaScript lives in static files
(``sites/offline.js``, ``sites/listen.js``, ``core/enhance.js``). Styles may be inline, since
the critical CSS is inlined on purpose (the 14 KB first response, DESIGN.md). An app that
truly needs another source appends it to that setting. ``NUTAG_CSP_REPORT_ONLY`` sends the
policy as ``Content-Security-Policy-Report-Only`` (to try a change on a live site first).

``Referrer-Policy`` is Django's ``SECURE_REFERRER_POLICY`` (``same-origin``);
``X-Frame-Options`` Django's too. A response that already carries a header keeps it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def content_security_policy() -> str:
    """The policy as a header value, built from the setting."""
    policy: dict[str, list[str]] = settings.NUTAG_CONTENT_SECURITY_POLICY
    return "; ".join(
        f"{directive} {' '.join(sources)}".strip() for directive, sources in policy.items()
    )


class SecurityHeadersMiddleware:
    """Adds the headers; reads the settings on each response (a few string joins)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        header = (
            "Content-Security-Policy-Report-Only"
            if settings.NUTAG_CSP_REPORT_ONLY
            else "Content-Security-Policy"
        )
        if header not in response:
            response[header] = content_security_policy()
        permissions = settings.NUTAG_PERMISSIONS_POLICY
        if permissions and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = permissions
        return response

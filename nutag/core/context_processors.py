from typing import Any

from django.conf import settings
from django.http import HttpRequest


def nutag(request: HttpRequest) -> dict[str, Any]:
    """Template context every page needs: the larger-text preference and the languages."""
    return {
        "large_text": request.COOKIES.get("nutag_large") == "1",
        "NUTAG_LANGUAGES": settings.LANGUAGES,
    }

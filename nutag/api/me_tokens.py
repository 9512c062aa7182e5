"""The caller's own API tokens (``/api/v1/me/tokens``) and the token scheme in the schema.

Listing, making and revoking tokens needs a login (a session, or a write token); a token's
secret is in the answer to ``POST`` only, never again. Someone else's token answers 404.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.security import SessionAuth

from nutag.api.models import ApiToken, TokenScope
from nutag.api.pagination import DEFAULT_LIMIT, Page, page
from nutag.api.schemas import ErrorOut, ValidationErrorOut, text
from nutag.api.tokens import token_create, token_revoke, tokens_of

session = SessionAuth()
my_tokens = Router(tags=["tokens"])


class TokenIn(Schema):
    name: Annotated[str, text(80, required=True)]
    scope: TokenScope = TokenScope.READ


class TokenOut(Schema):
    id: int
    name: str
    scope: str
    prefix: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


class NewTokenOut(TokenOut):
    token: str  # shown this once


def _out(token: ApiToken) -> dict[str, Any]:
    return {
        "id": token.pk,
        "name": token.name,
        "scope": token.scope,
        "prefix": token.prefix,
        "created_at": token.created_at,
        "last_used_at": token.last_used_at,
        "revoked_at": token.revoked_at,
    }


@my_tokens.get("/tokens", auth=session, response={200: Page[TokenOut], 401: ErrorOut})
def my_token_list(
    request: HttpRequest, offset: int = 0, limit: int = DEFAULT_LIMIT
) -> dict[str, Any]:
    return page(tokens_of(user=request.user), offset=offset, limit=limit, out=_out)


@my_tokens.post(
    "/tokens",
    auth=session,
    response={201: NewTokenOut, 400: ValidationErrorOut, 401: ErrorOut, 403: ErrorOut},
)
def my_token_create(request: HttpRequest, payload: TokenIn) -> Status:
    token, raw = token_create(acting_user=request.user, name=payload.name, scope=payload.scope)
    return Status(201, {**_out(token), "token": raw})


@my_tokens.delete(
    "/tokens/{token_id}",
    auth=session,
    response={200: TokenOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
)
def my_token_revoke(request: HttpRequest, token_id: int) -> dict[str, Any]:
    return _out(token_revoke(acting_user=request.user, pk=token_id))


# --- the schema: say what a token can be answered ------------------------------------------

TOKEN_SCHEME = "token"  # noqa: S105 (a scheme name)
_ERROR_REF = {"$ref": "#/components/schemas/ErrorOut"}


def with_token_scheme(get_schema: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap ``NinjaAPI.get_openapi_schema``: declare the bearer token next to the session on
    every operation that needs a login, and on every operation the answers the token gate
    (``tokens.TokenMiddleware``) can give — 401 for a bad token anywhere, 403 for a read
    token on a write."""

    def schema(*args: Any, **kwargs: Any) -> Any:
        result = get_schema(*args, **kwargs)
        components = result.setdefault("components", {})
        components.setdefault("securitySchemes", {})[TOKEN_SCHEME] = {
            "type": "http",
            "scheme": "bearer",
            "description": "An API token made at /desk/me/tokens/ or POST /api/v1/me/tokens.",
        }
        components.setdefault("schemas", {}).setdefault(
            "ErrorOut",
            {
                "title": "ErrorOut",
                "type": "object",
                "properties": {"detail": {"title": "Detail", "type": "string"}},
                "required": ["detail"],
            },
        )
        for item in result.get("paths", {}).values():
            for method, operation in item.items():
                if not isinstance(operation, dict) or "responses" not in operation:
                    continue
                security = operation.get("security")
                if security and {TOKEN_SCHEME: []} not in security:
                    security.append({TOKEN_SCHEME: []})
                codes = ["401"] if method.upper() in {"GET", "HEAD", "OPTIONS"} else ["401", "403"]
                for code in codes:
                    operation["responses"].setdefault(
                        code,
                        {
                            "description": "Not logged in, or a refused API token",
                            "content": {"application/json": {"schema": _ERROR_REF}},
                        },
                    )
        return result

    return schema

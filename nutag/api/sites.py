"""A unit's public site through the API: its columns and its published articles.

Public, like the site itself (anonymous, a session or a token read the same): only what the
site shows — published, due articles of the unit or placed on it; drafts never leak (404).
Lists page like every list (``pagination.py``); filters ``column`` and ``kind``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from nutag.api.pagination import DEFAULT_LIMIT, Page, page
from nutag.api.schemas import ErrorOut
from nutag.sites.columns import DEFAULT_COLUMNS
from nutag.sites.models import Article, Column
from nutag.sites.selectors import (
    PlacedArticles,
    access_public_article,
    public_unit,
    site_columns,
)

sites = Router(tags=["sites"])
DEFAULT_PARENT = {c.key: c.parent for c in DEFAULT_COLUMNS}  # the seed's unsaved defaults


class ColumnOut(Schema):
    key: str
    title: str
    title_mn: str
    parent: str | None
    position: int


class ArticleOut(Schema):
    id: int
    unit: str
    column: str | None
    kind: str
    title: str
    summary: str
    pinned: bool
    published_at: dt.datetime | None
    url: str


class ArticleDetailOut(ArticleOut):
    body: str
    title_mn: str
    summary_mn: str
    body_mn: str


def _column_out(column: Column, keys: dict[int | None, str]) -> dict[str, Any]:
    return {
        "key": column.key,
        "title": column.title,
        "title_mn": column.title_mn,
        "parent": (
            keys.get(column.parent_id) if column.pk is not None else DEFAULT_PARENT.get(column.key)
        )
        or None,
        "position": column.position,
    }


def _article_out(request: HttpRequest, article: Article, code: str) -> dict[str, Any]:
    return {
        "id": article.pk,
        "unit": article.unit.code,
        "column": article.column.key if article.column else None,
        "kind": article.kind,
        "title": article.title,
        "summary": article.summary,
        "pinned": article.pinned,
        "published_at": article.published_at,
        "url": request.build_absolute_uri(f"/u/{code}/a/{article.pk}/"),
    }


@sites.get("/units/{code}/columns", response={200: Page[ColumnOut], 404: ErrorOut})
def unit_columns(
    request: HttpRequest, code: str, offset: int = 0, limit: int = DEFAULT_LIMIT
) -> dict[str, Any]:
    columns = [c for c in site_columns(unit=public_unit(code=code)) if c.enabled]
    keys: dict[int | None, str] = {c.pk: c.key for c in columns if c.pk is not None}
    return page(columns, offset=offset, limit=limit, out=lambda c: _column_out(c, keys))


@sites.get("/units/{code}/articles", response={200: Page[ArticleOut], 404: ErrorOut})
def unit_articles(
    request: HttpRequest,
    code: str,
    column: str = "",
    kind: str = "",
    offset: int = 0,
    limit: int = DEFAULT_LIMIT,
) -> dict[str, Any]:
    unit = public_unit(code=code)
    rows = PlacedArticles(
        unit=unit,
        kind=kind or None,
        column_keys=[column] if column else None,
        defer=("body", "body_mn"),
    )
    return page(rows, offset=offset, limit=limit, out=lambda a: _article_out(request, a, code))


@sites.get("/units/{code}/articles/{article_id}", response={200: ArticleDetailOut, 404: ErrorOut})
def unit_article(request: HttpRequest, code: str, article_id: int) -> dict[str, Any]:
    article = access_public_article(unit=public_unit(code=code), pk=article_id)
    return {
        **_article_out(request, article, code),
        "body": article.body,
        "title_mn": article.title_mn,
        "summary_mn": article.summary_mn,
        "body_mn": article.body_mn,
    }

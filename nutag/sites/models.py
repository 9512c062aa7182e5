"""Each unit's public site: columns, articles, where articles show, and read counts."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from nutag.core.models import TimeStampedModel


class Column(TimeStampedModel):
    """A column of a unit's site (党建之家, 信息资讯 …). ``key`` names a default or a custom one."""

    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="columns"
    )
    key = models.SlugField(_("key"), max_length=40)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("inside"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    title = models.CharField(_("title"), max_length=40)
    title_mn = models.CharField(_("Mongolian title"), max_length=80, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    enabled = models.BooleanField(_("shown"), default=True)

    class Meta:
        verbose_name = pgettext_lazy("site", "column")
        verbose_name_plural = pgettext_lazy("site", "columns")
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["unit", "key"], name="column_unique_key")]

    def __str__(self) -> str:
        return self.title


class ArticleKind(models.TextChoices):
    ARTICLE = "article", _("Article")
    NOTICE = "notice", _("Notice")


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Waiting for approval")
    RETURNED = "returned", _("Returned")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


def cover_path(instance: Article, filename: str) -> str:
    return f"covers/{instance.unit_id}/{filename}"


def audio_path(instance: Article, filename: str) -> str:
    return f"audio/{instance.unit_id}/{filename}"


def speech_path(instance: Article, filename: str) -> str:
    return f"speech/{instance.unit_id}/{filename}"


class Article(TimeStampedModel):
    """An article or notice written at ``unit``. Its body is sanitised HTML (nh3)."""

    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="articles"
    )
    column = models.ForeignKey(
        Column,
        verbose_name=pgettext_lazy("site", "column"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
    )
    kind = models.CharField(
        _("kind"), max_length=8, choices=ArticleKind.choices, default=ArticleKind.ARTICLE
    )
    title = models.CharField(_("title"), max_length=120)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    body = models.TextField(_("text"), blank=True)
    title_mn = models.CharField(_("Mongolian title"), max_length=240, blank=True)
    summary_mn = models.CharField(_("Mongolian summary"), max_length=600, blank=True)
    body_mn = models.TextField(_("Mongolian text"), blank=True)
    cover = models.ImageField(_("cover picture"), upload_to=cover_path, blank=True)
    cover_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    cover_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # The cover's phone-sized variants (``nutag.core.media.StoredImage.as_dict()``):
    # {"name", "width", "height", "variants": [{"width", "height", "webp", "jpeg"}, …]}.
    cover_image = models.JSONField(_("cover variants"), default=dict, blank=True, editable=False)
    # Photos placed in the body, each like ``cover_image``: the files behind its <picture>s.
    photos = models.JSONField(_("photos in the text"), default=list, blank=True, editable=False)
    audio = models.FileField(_("audio version"), upload_to=audio_path, blank=True)
    # The Chinese text read aloud by the server (``nutag.sites.speech``), for phones with no
    # voice; ``speech_key`` names the text and recipe it was made from (one file per version).
    speech = models.FileField(
        _("machine reading"), upload_to=speech_path, blank=True, editable=False
    )
    speech_key = models.CharField(max_length=64, blank=True, editable=False)
    pinned = models.BooleanField(_("pinned"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT
    )
    return_reason = models.CharField(_("reason for returning"), max_length=300, blank=True)
    publish_at = models.DateTimeField(_("publish at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    read_count = models.PositiveIntegerField(_("reads"), default=0)

    # Labels of the audit keys that are not fields: the attachments (a relation pointing
    # here) recorded by their names (``core.audit.change_rows``).
    audit_labels: ClassVar[dict[str, Any]] = {"attachments": _("attachments")}

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-pinned", "-published_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "status"]),
            # the unit's picture: its newest published own article with a cover, walked in
            # order over the articles that have one
            models.Index(
                fields=["unit", "status", "published_at", "id"],
                condition=~models.Q(cover=""),
                name="article_newest_cover",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def shown_from(self) -> dt.datetime | None:
        """When the article shows on a site: its publication time (not before ``publish_at``),
        or None while it is not published."""
        if self.status != ArticleStatus.PUBLISHED:
            return None
        times = [t for t in (self.published_at, self.publish_at) if t is not None]
        return max(times) if times else (self.created_at or timezone.now())

    def list_keys(self) -> dict[str, Any]:
        """What each of its placements copies to be listed and sorted by an index alone
        (see ``Placement``)."""
        return {
            "shown_from": self.shown_from(),
            "pinned": self.pinned,
            "kind": self.kind,
            "column_key": self.column.key if self.column_id and self.column else "",
        }

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        fields = kwargs.get("update_fields")
        if fields is not None and not set(fields) & LIST_KEY_SOURCES:
            return
        # the copies on its placements follow (an invariant of the data, kept here so every
        # writer — services, admin, tests — keeps it)
        Placement.objects.filter(article_id=self.pk).update(**self.list_keys())


# Article fields the placements' list keys are copied from.
LIST_KEY_SOURCES = {"status", "published_at", "publish_at", "pinned", "kind", "column"}


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"attachments/{instance.article.unit_id}/{filename}"


class Attachment(TimeStampedModel):
    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=attachment_path)
    name = models.CharField(_("name"), max_length=120)
    size = models.PositiveIntegerField(_("size"), default=0)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name


class PlacementVia(models.TextChoices):
    OWN = "own", _("Own")
    PUSHED = "pushed", _("Pushed down")
    RECOMMENDED = "recommended", _("Recommended up")


class Placement(models.Model):
    """Where a published article shows: its own unit's site, units it was pushed down to,
    and the parent it was recommended to (once that unit's secretary accepts)."""

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="placements"
    )
    unit = models.ForeignKey(  # indexed first in ``placement_list``/``placement_column_shown``
        "orgs.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="placements",
        db_index=False,
    )
    via = models.CharField(_("how"), max_length=12, choices=PlacementVia.choices)
    accepted = models.BooleanField(_("accepted"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Copies of the article's list keys (``Article.list_keys``, kept by ``Article.save`` and
    # ``Placement.save``): a unit's list is a walk of one index of this table in order, never
    # a sort of the unit's whole history (issue 17). ``shown_from`` is None while the article
    # is not published.
    shown_from = models.DateTimeField(null=True, blank=True, editable=False)
    pinned = models.BooleanField(default=False, editable=False)
    kind = models.CharField(max_length=8, blank=True, editable=False)
    column_key = models.SlugField(max_length=40, blank=True, editable=False, db_index=False)

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        constraints = [models.UniqueConstraint(fields=["article", "unit"], name="placement_unique")]
        indexes = [
            models.Index(
                fields=["unit", "kind", "pinned", "shown_from", "article", "accepted"],
                name="placement_list",
            ),
            # a column's list: the accepted placements only, with ``via``, so that its
            # statement and its count read this index alone, no row of the table (skipping to
            # a deep page, counting a column of 10,000: ``rows.py``); ``accepted`` is named
            # again as a column, or SQLite reads each row to test it
            models.Index(
                fields=["unit", "column_key", "pinned", "shown_from", "article", "via", "accepted"],
                name="placement_column_shown",
                condition=models.Q(accepted=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.article} @ {self.unit}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if kwargs.get("update_fields") is None:
            for name, value in self.article.list_keys().items():
                setattr(self, name, value)
        super().save(*args, **kwargs)


class SiteCounter(models.Model):
    """Visits of a unit's site, flushed from the cache (see ``nutag.sites.counting``)."""

    unit = models.OneToOneField(
        "orgs.Unit", primary_key=True, on_delete=models.CASCADE, related_name="site_counter"
    )
    visits = models.PositiveIntegerField(_("visits"), default=0)

    class Meta:
        verbose_name = _("site counter")
        verbose_name_plural = _("site counters")

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.visits}"

"""Desk forms for articles and columns. Uploads are checked here first, so a bad picture is
refused next to its field while everything typed stays on the page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from nutag.core import media
from nutag.core.forms import DateTimeLocalInput, MultipleFileField, MultipleFileInput
from nutag.orgs.forms import UnitIdsField
from nutag.orgs.models import Unit
from nutag.sites.bodies import body_for_editing
from nutag.sites.models import Article, ArticleKind
from nutag.sites.services import ArticleFiles, ArticleInput


def _check_each(files: list[Any], check: Any) -> list[Any]:
    errors = []
    for upload in files:
        try:
            check(upload)
        except ValidationError as exc:
            errors += exc.messages
    if errors:
        raise ValidationError(errors)
    return files


class ArticleForm(forms.Form):
    """Write or edit an article from a phone: text first, pictures and files after."""

    kind = forms.ChoiceField(label=_("Kind"), choices=ArticleKind.choices)
    title = forms.CharField(label=_("Title"), max_length=120)
    column_key = forms.ChoiceField(label=pgettext_lazy("site", "Column"), required=False)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One or two sentences shown in lists and link previews."),
    )
    body = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_(
            "A blank line starts a new paragraph. Photos you add go to the end; each shows "
            "here as a line [photo:…]: move the line to move the photo, delete it to remove it."
        ),
    )
    photos = MultipleFileField(
        label=_("Take a photo"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/*", "capture": "environment"}),
        help_text=_("Opens the phone's camera. Save, then take the next one."),
    )
    album = MultipleFileField(
        label=_("Add photos from the phone"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/*"}),
    )
    cover = forms.FileField(
        label=_("Cover picture"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/*"}),
    )
    remove_cover = forms.BooleanField(label=_("Remove the cover picture"), required=False)
    pinned = forms.BooleanField(label=_("Pin to the top"), required=False)
    publish_at = forms.DateTimeField(
        label=_("Publish at"),
        required=False,
        widget=DateTimeLocalInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        help_text=_("Leave empty to publish as soon as it is approved."),
    )
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        widget=MultipleFileInput(
            attrs={"accept": ".pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.wps,.et,.dps"}
        ),
        help_text=_("PDF, Word, Excel, PowerPoint or WPS files."),
    )
    audio = forms.FileField(
        label=_("Audio version (for elders)"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "audio/*"}),
        help_text=_("MP3, M4A, AAC, Ogg or WAV."),
    )
    remove_audio = forms.BooleanField(label=_("Remove the audio version"), required=False)
    title_mn = forms.CharField(label=_("Mongolian title"), max_length=240, required=False)
    summary_mn = forms.CharField(
        label=_("Mongolian summary"),
        max_length=600,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    body_mn = forms.CharField(
        label=_("Mongolian text"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )

    FILE_FIELDS = ("photos", "album", "cover", "attachments", "audio")
    MONGOLIAN_FIELDS = ("title_mn", "summary_mn", "body_mn")

    def __init__(
        self, *args: Any, columns: list[tuple[str, str]], article: Article | None = None, **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        self.fields["column_key"].choices = [("", _("No column")), *columns]  # type: ignore[attr-defined]
        if article is None or not article.cover:
            del self.fields["remove_cover"]
        if article is None or not article.audio:
            del self.fields["remove_audio"]

    @classmethod
    def initial_for(cls, article: Article) -> dict[str, Any]:
        return {
            "kind": article.kind,
            "title": article.title,
            "column_key": article.column.key if article.column else "",
            "summary": article.summary,
            "body": body_for_editing(article.body, article.photos),
            "pinned": article.pinned,
            "publish_at": article.publish_at,
            "title_mn": article.title_mn,
            "summary_mn": article.summary_mn,
            "body_mn": body_for_editing(article.body_mn),
        }

    def clean_cover(self) -> Any:
        cover = self.cleaned_data.get("cover")
        if cover:
            media.check_image(cover)
        return cover

    def clean_photos(self) -> list[Any]:
        return _check_each(self.cleaned_data.get("photos") or [], media.check_image)

    def clean_album(self) -> list[Any]:
        return _check_each(self.cleaned_data.get("album") or [], media.check_image)

    def clean_attachments(self) -> list[Any]:
        return _check_each(self.cleaned_data.get("attachments") or [], media.check_attachment)

    def clean_audio(self) -> Any:
        audio = self.cleaned_data.get("audio")
        if audio:
            media.check_audio(audio)
        return audio

    def has_files(self) -> bool:
        return any(self.files.getlist(self.add_prefix(name)) for name in self.FILE_FIELDS)

    def to_input(self) -> ArticleInput:
        d = self.cleaned_data
        return ArticleInput(
            title=d["title"],
            kind=d["kind"],
            column_key=d["column_key"] or "",
            summary=d["summary"],
            body=d["body"],
            title_mn=d["title_mn"],
            summary_mn=d["summary_mn"],
            body_mn=d["body_mn"],
            pinned=d["pinned"],
            publish_at=d["publish_at"],
        )

    def to_files(self) -> ArticleFiles:
        d = self.cleaned_data
        return ArticleFiles(
            cover=d.get("cover") or None,
            remove_cover=bool(d.get("remove_cover")),
            photos=[*d.get("photos", []), *d.get("album", [])],
            audio=d.get("audio") or None,
            remove_audio=bool(d.get("remove_audio")),
            attachments=d.get("attachments", []),
        )


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it goes back"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The writer sees this and can fix the article."),
    )


class PushForm(forms.Form):
    ALL, SOME = "all", "some"
    scope = forms.ChoiceField(
        label=_("Show it on"),
        choices=[(ALL, _("every unit below")), (SOME, _("the units I choose"))],
        widget=forms.RadioSelect,
        initial=ALL,
    )
    units = UnitIdsField(label=_("Units"), required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, targets: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].choices = [  # type: ignore[attr-defined]
            (str(u.pk), ("· " * max(0, u.depth - 2)) + u.name) for u in targets
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("scope") == self.SOME and not data.get("units"):
            self.add_error("units", _("Choose at least one unit."))
        return data


class ColumnForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=40)
    title_mn = forms.CharField(label=_("Mongolian title"), max_length=80, required=False)
    enabled = forms.BooleanField(label=_("Shown on the site"), required=False)

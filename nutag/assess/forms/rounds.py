"""Desk forms for standards, rounds, self-assessment and review.

The forms parse; the services judge. A score outside an item's points is refused by the
service (``assessment_save``), whose message names the item and shows next to its field
(fields are named like the service's error keys: ``score_<pk>``, ``note_<pk>``,
``review_score_<pk>``, ``review_comment_<pk>``). Uploads are checked here first (size, type),
so a refused photo comes back next to its item with everything typed kept.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nutag.assess.models import AssessmentItem, AutoSource, EvidenceKind, Standard
from nutag.core import media
from nutag.core.forms import DateInput, MultipleFileField, MultipleFileInput

ATTACHMENT_ACCEPT = ".pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.wps,.et,.dps"


class StandardForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=60)
    pass_mark = forms.IntegerField(
        label=_("Points needed to pass"),
        min_value=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    name_mn = forms.CharField(label=_("Mongolian name"), max_length=120, required=False)

    @classmethod
    def initial_for(cls, standard: Standard) -> dict[str, Any]:
        return {
            "name": standard.name,
            "pass_mark": standard.pass_mark,
            "description": standard.description,
            "name_mn": standard.name_mn,
        }


class StandardItemForm(forms.Form):
    title = forms.CharField(label=_("Item"), max_length=80)
    points = forms.IntegerField(
        label=_("Points"),
        min_value=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 1}),
    )
    guidance = forms.CharField(
        label=_("What is looked at"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence = forms.CharField(label=_("Evidence asked for"), max_length=200, required=False)
    accepts = forms.MultipleChoiceField(
        label=_("Kinds of evidence accepted"),
        choices=EvidenceKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked when the item needs no evidence."),
    )
    auto_source = forms.ChoiceField(
        label=_("Filled automatically from"), choices=AutoSource.choices, required=False
    )
    auto_target = forms.IntegerField(
        label=_("Count that earns full points"),
        min_value=1,
        initial=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 1}),
        help_text=_("For an item filled automatically: fewer earn a share of the points."),
    )
    title_mn = forms.CharField(label=_("Mongolian title"), max_length=160, required=False)

    @classmethod
    def initial_for(cls, item: Any) -> dict[str, Any]:
        return {
            "title": item.title,
            "points": item.points,
            "guidance": item.guidance,
            "evidence": item.evidence,
            "accepts": list(item.accepts or []),
            "auto_source": item.auto_source,
            "auto_target": item.auto_target,
            "title_mn": item.title_mn,
        }

    def to_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "title": d["title"],
            "points": d["points"],
            "guidance": d["guidance"],
            "evidence": d["evidence"],
            "accepts": d["accepts"],
            "auto_source": d["auto_source"] or "",
            "auto_target": d["auto_target"],
            "title_mn": d["title_mn"],
        }


class CopyForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the copy"),
        max_length=60,
        required=False,
        help_text=_("Leave empty to use the same name with a number."),
    )


class RoundForm(forms.Form):
    standard = forms.ModelChoiceField(label=_("Standard"), queryset=Standard.objects.none())
    year = forms.IntegerField(
        label=_("Year"),
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=120,
        required=False,
        help_text=_("Leave empty for the year and the standard's name."),
    )
    self_due = forms.DateField(label=_("Self-assessments due"), widget=DateInput())

    def __init__(self, *args: Any, standards: QuerySet[Standard], **kwargs: Any) -> None:
        today = timezone.localdate()
        kwargs.setdefault(
            "initial", {"year": today.year, "self_due": today + dt.timedelta(days=30)}
        )
        super().__init__(*args, **kwargs)
        field = self.fields["standard"]
        field.queryset = standards  # type: ignore[attr-defined]
        field.label_from_instance = lambda s: (  # type: ignore[attr-defined]
            f"{s.name} · {s.unit.name}"
        )


class AssessmentForm(forms.Form):
    """The committee's self-assessment, item by item, with its evidence.

    One form for everything (scores, notes, photos, files, links), so saving, adding
    evidence, removing evidence and refreshing the known values never lose what was typed.
    """

    summary = forms.CharField(
        label=_("Summary of the year's work"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, items: list[AssessmentItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        for row in items:
            item = row.item
            accepts = item.accepts or []
            self.fields[f"score_{row.pk}"] = forms.IntegerField(
                label=_("Self-assessed points (0 to %(points)d)") % {"points": item.points},
                required=False,
                widget=forms.NumberInput(
                    attrs={"inputmode": "numeric", "min": 0, "max": item.points, "step": 1}
                ),
            )
            self.fields[f"note_{row.pk}"] = forms.CharField(
                label=_("What was done"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            if EvidenceKind.PHOTO in accepts:
                self.fields[f"camera_{row.pk}"] = forms.FileField(
                    label=_("Take a photo"),
                    required=False,
                    widget=forms.FileInput(attrs={"accept": "image/*", "capture": "environment"}),
                )
                self.fields[f"photo_{row.pk}"] = MultipleFileField(
                    label=_("Add photos from the phone"),
                    required=False,
                    widget=MultipleFileInput(attrs={"accept": "image/*"}),
                )
            if EvidenceKind.FILE in accepts:
                self.fields[f"file_{row.pk}"] = MultipleFileField(
                    label=_("Add files"),
                    required=False,
                    widget=MultipleFileInput(attrs={"accept": ATTACHMENT_ACCEPT}),
                    help_text=_("PDF, Word, Excel, PowerPoint or WPS files."),
                )
            if EvidenceKind.LINK in accepts:
                self.fields[f"link_{row.pk}"] = forms.CharField(
                    label=_("Link to a record on this platform"),
                    max_length=300,
                    required=False,
                    widget=forms.TextInput(attrs={"placeholder": "/u/150725/a/12/"}),
                )
                self.fields[f"link_name_{row.pk}"] = forms.CharField(
                    label=_("What the link shows"), max_length=120, required=False
                )

    @classmethod
    def initial_for(cls, summary: str, items: list[AssessmentItem]) -> dict[str, Any]:
        initial: dict[str, Any] = {"summary": summary}
        for row in items:
            initial[f"score_{row.pk}"] = row.self_score
            initial[f"note_{row.pk}"] = row.note
        return initial

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for row in self.items:
            for name, check in (
                (f"camera_{row.pk}", media.check_image),
                (f"photo_{row.pk}", media.check_image),
                (f"file_{row.pk}", media.check_attachment),
            ):
                value = data.get(name)
                uploads = value if isinstance(value, list) else [value] if value else []
                for upload in uploads:
                    try:
                        check(upload)
                    except ValidationError as exc:
                        self.add_error(name, exc)
        return data

    def has_files(self) -> bool:
        return any(self.files.getlist(name) for name in self.fields if _is_upload(name))

    def scores(self) -> dict[int, tuple[int | None, str]]:
        d = self.cleaned_data
        return {
            row.pk: (d.get(f"score_{row.pk}"), d.get(f"note_{row.pk}") or "") for row in self.items
        }

    def evidence(self) -> list[tuple[AssessmentItem, str, str, Any, str, str]]:
        """``(item, field, kind, upload, url, name)`` for every photo, file and link given."""
        d = self.cleaned_data
        result: list[tuple[AssessmentItem, str, str, Any, str, str]] = []
        for row in self.items:
            camera = d.get(f"camera_{row.pk}")
            if camera:
                result.append((row, f"camera_{row.pk}", EvidenceKind.PHOTO, camera, "", ""))
            for upload in d.get(f"photo_{row.pk}") or []:
                result.append((row, f"photo_{row.pk}", EvidenceKind.PHOTO, upload, "", ""))
            for upload in d.get(f"file_{row.pk}") or []:
                result.append((row, f"file_{row.pk}", EvidenceKind.FILE, upload, "", ""))
            link = (d.get(f"link_{row.pk}") or "").strip()
            if link:
                name = d.get(f"link_name_{row.pk}") or ""
                result.append((row, f"link_{row.pk}", EvidenceKind.LINK, None, link, name))
        return result

    def item_rows(self) -> list[dict[str, Any]]:
        """Per item: the row and its bound fields, for the template."""
        rows = []
        for row in self.items:
            fields = {}
            for key in ("score", "note", "camera", "photo", "file", "link", "link_name"):
                name = f"{key}_{row.pk}"
                fields[key] = self[name] if name in self.fields else None
            rows.append({"row": row, **fields})
        return rows


def _is_upload(name: str) -> bool:
    return name.split("_", 1)[0] in ("camera", "photo", "file")


class ReviewForm(forms.Form):
    """The reviewer's points and comments per item, an overall comment, accept or return."""

    comment = forms.CharField(
        label=_("Comments to the committee"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Needed when returning: say what is to be corrected."),
    )

    def __init__(self, *args: Any, items: list[AssessmentItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        for row in items:
            self.fields[f"review_score_{row.pk}"] = forms.IntegerField(
                label=_("Reviewed points (0 to %(points)d)") % {"points": row.item.points},
                required=False,
                widget=forms.NumberInput(
                    attrs={"inputmode": "numeric", "min": 0, "max": row.item.points, "step": 1}
                ),
            )
            self.fields[f"review_comment_{row.pk}"] = forms.CharField(
                label=_("Comment on this item"), max_length=500, required=False
            )

    @classmethod
    def initial_for(cls, comment: str, items: list[AssessmentItem]) -> dict[str, Any]:
        initial: dict[str, Any] = {"comment": comment}
        for row in items:
            score = row.review_score if row.review_score is not None else row.self_score
            initial[f"review_score_{row.pk}"] = score
            initial[f"review_comment_{row.pk}"] = row.review_comment
        return initial

    def scores(self) -> dict[int, tuple[int | None, str]]:
        d = self.cleaned_data
        return {
            row.pk: (d.get(f"review_score_{row.pk}"), d.get(f"review_comment_{row.pk}") or "")
            for row in self.items
        }

    def item_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "row": row,
                "score": self[f"review_score_{row.pk}"],
                "comment": self[f"review_comment_{row.pk}"],
            }
            for row in self.items
        ]


class ReopenForm(forms.Form):
    comment = forms.CharField(
        label=_("Why the acceptance is taken back"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The committee reads this; the assessment goes back to it."),
    )

"""Workbench forms for tasks and reports. Uploads are checked here first, so a bad picture is
refused next to its field while everything typed stays on the page; the services check
everything again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from nutag.assess.models import Task, TaskFigure, TaskReport
from nutag.core import media
from nutag.core.forms import DateInput, MultipleFileField, MultipleFileInput
from nutag.orgs.forms import UnitIdsField
from nutag.orgs.models import Unit

FIGURE_ROWS = 5
ATTACHMENT_ACCEPT = ".pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.wps,.et,.dps"


def _check_each(files: list[Any], check: Any) -> list[Any]:
    errors: list[str] = []
    for upload in files:
        try:
            check(upload)
        except forms.ValidationError as exc:
            errors += exc.messages
    if errors:
        raise forms.ValidationError(errors)
    return files


class TaskTextFields(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    requirements = forms.CharField(
        label=_("Requirements"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the units are to do, and what their report should say."),
    )
    due_on = forms.DateField(label=_("Reports due on"), widget=DateInput())
    accepts_late = forms.BooleanField(
        label=_("Accept late reports (marked late)"),
        required=False,
        help_text=_("Leave off to refuse reports after the due date."),
    )


class TaskIssueForm(TaskTextFields):
    """Issue a task: what, by when, the figures wanted back, and to whom."""

    CHILDREN, SUBTREE, CHOSEN = "children", "subtree", "chosen"
    scope = forms.ChoiceField(
        label=_("Give the task to"),
        choices=[
            (CHILDREN, _("every unit directly below")),
            (SUBTREE, _("every unit below, at all levels")),
            (CHOSEN, _("the units I choose")),
        ],
        widget=forms.RadioSelect,
        initial=CHILDREN,
    )
    units = UnitIdsField(label=_("Units"), required=False, widget=forms.CheckboxSelectMultiple)

    FIELD_MAP = {"targets": "units"}

    def __init__(self, *args: Any, targets: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(FIGURE_ROWS):
            self.fields[f"figure_{i}_label"] = forms.CharField(
                label=_("Figure %(n)d") % {"n": i + 1},
                max_length=60,
                required=False,
                widget=forms.TextInput(
                    attrs={"placeholder": _("e.g. young people visited")} if i == 0 else {}
                ),
            )
            self.fields[f"figure_{i}_measure"] = forms.CharField(
                label=_("measured in"),
                max_length=10,
                required=False,
                widget=forms.TextInput(attrs={"placeholder": _("e.g. people")} if i == 0 else {}),
            )
        base = min((u.depth for u in targets), default=0)
        self.fields["units"].choices = [  # type: ignore[attr-defined]
            (str(u.pk), ("· " * (u.depth - base)) + u.name) for u in targets
        ]

    def figure_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [
            (self[f"figure_{i}_label"], self[f"figure_{i}_measure"]) for i in range(FIGURE_ROWS)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("scope") == self.CHOSEN and not data.get("units"):
            self.add_error("units", _("Choose at least one unit."))
        return data

    def to_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        chosen = d["scope"] == self.CHOSEN
        return {
            "title": d["title"],
            "requirements": d["requirements"],
            "due_on": d["due_on"],
            "accepts_late": d["accepts_late"],
            "figures": [
                (d.get(f"figure_{i}_label") or "", d.get(f"figure_{i}_measure") or "")
                for i in range(FIGURE_ROWS)
            ],
            "targets": d["units"] if chosen else None,
            "scope": self.CHILDREN if chosen else d["scope"],
        }


class TaskEditForm(TaskTextFields):
    @staticmethod
    def initial_for(task: Task) -> dict[str, Any]:
        return {
            "title": task.title,
            "requirements": task.requirements,
            "due_on": task.due_on,
            "accepts_late": task.accepts_late,
        }


class ReportForm(forms.Form):
    """A unit's report from a phone: what was done, the figures, photos, files, a link."""

    text = forms.CharField(
        label=_("What was done"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
    photos = MultipleFileField(
        label=_("Take a photo"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/*", "capture": "environment"}),
        help_text=_("Opens the phone's camera."),
    )
    album = MultipleFileField(
        label=_("Add photos from the phone"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/*"}),
    )
    documents = MultipleFileField(
        label=_("Add files"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ATTACHMENT_ACCEPT}),
        help_text=_("PDF, Word, Excel, PowerPoint or WPS files."),
    )
    link = forms.CharField(
        label=_("Link to a record on this platform"),
        max_length=300,
        required=False,
        help_text=_("An address starting with “/”, for example /u/150725/a/12/."),
    )
    link_name = forms.CharField(label=_("What the link shows"), max_length=120, required=False)

    FILE_FIELDS = ("photos", "album", "documents")

    def __init__(self, *args: Any, figures: list[TaskFigure], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.figures = figures
        for figure in figures:
            label = f"{figure.label}（{figure.measure}）" if figure.measure else figure.label
            self.fields[f"figure_{figure.pk}"] = forms.CharField(
                label=label,
                max_length=20,
                required=False,
                widget=forms.TextInput(
                    attrs={"inputmode": "numeric", "pattern": "[0-9]*", "autocomplete": "off"}
                ),
            )

    @staticmethod
    def initial_for(report: TaskReport) -> dict[str, Any]:
        initial: dict[str, Any] = {"text": report.text, "version": report.version}
        for pk, value in (report.figures or {}).items():
            initial[f"figure_{pk}"] = value
        return initial

    def figure_fields(self) -> list[forms.BoundField]:
        return [self[f"figure_{f.pk}"] for f in self.figures]

    def clean_photos(self) -> list[Any]:
        return _check_each(self.cleaned_data.get("photos") or [], media.check_image)

    def clean_album(self) -> list[Any]:
        return _check_each(self.cleaned_data.get("album") or [], media.check_image)

    def clean_documents(self) -> list[Any]:
        return _check_each(self.cleaned_data.get("documents") or [], media.check_attachment)

    def has_files(self) -> bool:
        return any(self.files.getlist(self.add_prefix(name)) for name in self.FILE_FIELDS)

    def figure_values(self) -> dict[str, str]:
        return {str(f.pk): self.cleaned_data.get(f"figure_{f.pk}") or "" for f in self.figures}

    def uploads(self) -> list[tuple[str, str, Any]]:
        """``(kind, field, upload)`` for every file chosen."""
        d = self.cleaned_data
        return [
            *(("photo", "photos", u) for u in d.get("photos") or []),
            *(("photo", "album", u) for u in d.get("album") or []),
            *(("file", "documents", u) for u in d.get("documents") or []),
        ]


class InspectForm(forms.Form):
    ACCEPT, RETURN = "accept", "return"
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (ACCEPT, pgettext_lazy("inspection", "Accept")),
            (RETURN, pgettext_lazy("inspection", "Return for changes")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comments"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when returning: say what is to be changed."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class CommendForm(forms.Form):
    reports = UnitIdsField(
        label=_("Units to commend"), widget=forms.CheckboxSelectMultiple, required=True
    )
    title = forms.CharField(label=_("Title"), max_length=120)
    text = forms.CharField(
        label=_("Commendation"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Published on this unit's site and shown on the sites of the units commended."),
    )

    def __init__(self, *args: Any, accepted: list[TaskReport], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reports"].choices = [  # type: ignore[attr-defined]
            (str(r.pk), r.unit.name) for r in accepted
        ]

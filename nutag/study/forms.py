"""Forms of the study pages. Field names follow the service arguments they feed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from nutag.core import media
from nutag.core.forms import DateInput, DateTimeLocalInput, MultipleFileField
from nutag.study.models import Act, AttendanceStatus, Audience, CourseColumn, MeetingKind


class CourseForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=100)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea, required=False)
    audience = forms.ChoiceField(label=_("Audience"), choices=Audience.choices)
    column = forms.ChoiceField(label=_("Column"), choices=CourseColumn.choices)
    is_public = forms.BooleanField(label=_("Readable by anyone"), required=False, initial=True)
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=DateInput())


QUIZ_HELP = _(
    "One question per block, blocks separated by an empty line: the question on the first "
    "line, then one choice per line, the right ones starting with * and the others with -."
)


def parse_quiz(text: str) -> list[dict[str, Any]]:
    """The officers' quiz notation: a question line, then ``* right`` / ``- wrong`` lines."""
    quiz = []
    for block in [b.strip() for b in text.replace("\r\n", "\n").split("\n\n") if b.strip()]:
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        choices: list[str] = []
        answer: list[int] = []
        for line in lines[1:]:
            if line[:1] in "*＊":
                answer.append(len(choices))
            elif line[:1] not in "-－":
                raise forms.ValidationError(QUIZ_HELP)
            choices.append(line[1:].strip())
        quiz.append({"q": lines[0], "choices": choices, "answer": answer})
    return quiz


class LessonForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=100)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea, required=False)
    audio_url = forms.URLField(label=_("Audio link"), required=False, assume_scheme="https")
    video_url = forms.URLField(label=_("Video link"), required=False, assume_scheme="https")
    minutes = forms.IntegerField(
        label=_("Minutes to study"), min_value=1, max_value=240, initial=10
    )
    quiz = forms.CharField(
        label=_("Quiz"), widget=forms.Textarea, required=False, help_text=QUIZ_HELP
    )
    pass_mark = forms.IntegerField(label=_("Pass mark (%)"), min_value=1, max_value=100, initial=60)
    pdf = forms.FileField(label=_("PDF file"), required=False)
    images = MultipleFileField(label=_("Pictures"), required=False)

    def clean_pdf(self) -> Any:
        from nutag.study.services.files import check_pdf

        pdf = self.cleaned_data.get("pdf")
        if pdf:
            check_pdf(pdf)
        return pdf

    def clean_images(self) -> list[Any]:
        return check_each(self.cleaned_data.get("images") or [], media.check_image)

    def clean_quiz(self) -> list[dict[str, Any]]:
        return parse_quiz(self.cleaned_data.get("quiz") or "")


def check_each(files: list[Any], check: Any) -> list[Any]:
    """Run ``check`` on every file; all the problems at once, next to the field."""
    errors: list[str] = []
    for upload in files:
        try:
            check(upload)
        except forms.ValidationError as exc:
            errors += exc.messages
    if errors:
        raise forms.ValidationError(errors)
    return files


class PhotosForm(forms.Form):
    photos = MultipleFileField(label=_("Photos"), required=False)

    def clean_photos(self) -> list[Any]:
        return check_each(self.cleaned_data.get("photos") or [], media.check_image)


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=MeetingKind.choices)
    held_on = forms.DateField(label=_("Date"), widget=DateInput())
    topic = forms.CharField(label=_("Topic"), max_length=200)
    place = forms.CharField(label=_("Place"), max_length=100, required=False)
    online = forms.BooleanField(label=_("Held online"), required=False)
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea, required=False)
    photos = MultipleFileField(label=_("Photos"), required=False)

    def clean_photos(self) -> list[Any]:
        return check_each(self.cleaned_data.get("photos") or [], media.check_image)

    def __init__(self, *args: Any, people: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = people
        for person in people:
            self.fields[f"att_{person.pk}"] = forms.ChoiceField(
                label=person.name,
                choices=[("", "—"), *AttendanceStatus.choices],
                required=False,
            )
            self.fields[f"why_{person.pk}"] = forms.CharField(
                label=_("Reason for absence"), max_length=100, required=False
            )

    def attendance(self) -> list[tuple[int, str, str]]:
        rows = []
        for person in self.people:
            status = self.cleaned_data.get(f"att_{person.pk}")
            if status:
                rows.append((person.pk, status, self.cleaned_data.get(f"why_{person.pk}", "")))
        return rows


class ScheduleForm(forms.Form):
    """A live meeting (a remote Party lesson): its time window and, if any, its lesson."""

    kind = forms.ChoiceField(
        label=_("Kind"), choices=MeetingKind.choices, initial=MeetingKind.LESSON
    )
    topic = forms.CharField(label=_("Topic"), max_length=200)
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DateTimeLocalInput())
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=DateTimeLocalInput())
    place = forms.CharField(label=_("Place"), max_length=100, required=False)
    lesson = forms.TypedChoiceField(label=_("Lesson"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, lessons: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lessons = {lesson.pk: lesson for lesson in lessons}
        self.fields["lesson"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *((lesson.pk, f"{lesson.course.title} · {lesson.title}") for lesson in lessons),
        ]


class AbsenceForm(forms.Form):
    person = forms.TypedChoiceField(label=_("Person"), coerce=int)
    reason = forms.CharField(label=_("Reason for absence"), max_length=100)

    def __init__(self, *args: Any, people: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people_list = people
        self.fields["person"].choices = [(p.pk, p.name) for p in people]  # type: ignore[attr-defined]


class VolunteeringForm(forms.Form):
    person = forms.TypedChoiceField(label=_("Person"), coerce=int)
    note = forms.CharField(label=_("What they did"), max_length=200)
    ref = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, people: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [(p.pk, p.name) for p in people]  # type: ignore[attr-defined]


class PointRuleForm(forms.Form):
    act = forms.ChoiceField(label=_("Act"), choices=Act.choices)
    points = forms.IntegerField(label=_("Points per act"), min_value=0, max_value=100)
    daily_cap = forms.IntegerField(label=_("Most points per day"), min_value=0, max_value=1000)


class HomeStudyForm(forms.Form):
    """送学到家: a lesson taken to a housebound member's home."""

    person = forms.TypedChoiceField(label=_("Person"), coerce=int)
    lesson = forms.TypedChoiceField(label=_("Lesson"), coerce=int)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, people: list[Any], lessons: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [(p.pk, p.name) for p in people]  # type: ignore[attr-defined]
        self.fields["lesson"].choices = [(lesson.pk, lesson.title) for lesson in lessons]  # type: ignore[attr-defined]


class CheckInForm(forms.Form):
    where = forms.CharField(label=_("Where you are"), max_length=100)
    what = forms.CharField(
        label=_("What you did this month"), widget=forms.Textarea, max_length=1000
    )

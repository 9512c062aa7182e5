"""The forms of the comment and inbox pages. They only parse; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from nutag.voice.models import Moderation


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000
    )


class ThreadForm(forms.Form):
    subject = forms.CharField(label=_("About"), max_length=120)
    text = forms.CharField(
        label=_("Your message"), widget=forms.Textarea(attrs={"rows": 5}), max_length=2000
    )


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Your message"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )


class ModerationForm(forms.Form):
    moderation = forms.ChoiceField(
        label=_("Comments on this unit's site"),
        choices=Moderation.choices,
        widget=forms.RadioSelect,
    )


class WordsForm(forms.Form):
    words = forms.CharField(
        label=_("Words that hold a comment for the secretary (one a line)"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=20000,
    )

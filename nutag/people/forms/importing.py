"""The roster upload form: the file's kind and size are checked here, its content by
``nutag.people.importing.import_parse``."""

from __future__ import annotations

import os

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from nutag.people.importing import ALLOWED_EXTENSIONS


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Roster file"),
        help_text=_(
            "Excel (.xlsx, .xls) or CSV. The first sheet with a 姓名 column is read; "
            "nothing is saved before you confirm."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ALLOWED_EXTENSIONS)}),
        error_messages={
            "required": _("Choose a file."),
            "empty": _("The file is empty."),
        },
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        extension = os.path.splitext(upload.name or "")[1].lower()
        if extension not in ALLOWED_EXTENSIONS:
            raise forms.ValidationError(
                _("Choose an Excel (.xlsx, .xls) or CSV (.csv) file."), code="extension"
            )
        limit = settings.NUTAG_IMPORT_MAX_BYTES
        if upload.size is not None and upload.size > limit:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB.") % {"size": round(limit / 1024 / 1024, 1)},
                code="too_big",
            )
        return upload

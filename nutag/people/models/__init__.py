"""People and their roles.

A person belongs to a home unit and may or may not have a login (many elders won't).
Roles are rows of their own, each carrying the unit it is held at and a copy of that
unit's path (``unit_path``), kept in step by the services (and by ``unit_move``), so that
counts over a subtree are one indexed range scan however large the subtree.

Persons, roles, guardians, roster imports and care tallies live here; invitations and
requests to join a unit in ``accounts`` (re-exported at the end of this module).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nutag.core.models import TimeStampedModel
from nutag.people.ethnicity import Ethnicity
from nutag.people.partial_dates import DatePrecision, PartialDate, partial_date

ADULT_AGE = 18
IMPORT_PREVIEW_HOURS = 24  # a roster preview never confirmed is deleted after this

phone_validator = RegexValidator(
    r"^(1[3-9][0-9]{9}|0[0-9]{9,11})$",
    _("Enter an 11-digit mobile number or a landline number with its area code."),
)


class Gender(models.TextChoices):
    MALE = "m", _("Male")
    FEMALE = "f", _("Female")


class ElderCategory(models.TextChoices):
    """五老: the five kinds of retired volunteers."""

    CADRE = "cadre", _("Retired cadre")  # 老干部
    VETERAN = "veteran", _("Veteran")  # 老战士
    EXPERT = "expert", _("Expert")  # 老专家
    TEACHER = "teacher", _("Teacher")  # 老教师
    MODEL_WORKER = "model_worker", _("Model worker")  # 老模范


class RoleFilter(models.TextChoices):
    """Roles the workbench can filter people by."""

    PARTY_MEMBER = "party", _("Party member")
    MOBILE_MEMBER = "mobile", _("Mobile Party member")
    FIVE_ELDER = "elder", _("Five elder")
    CARE_WORKER = "care", _("Care-work participant")
    YOUTH = "youth", _("Young person")
    RESIDENT = "resident", _("Resident")


class Person(TimeStampedModel):
    unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("home unit"),
        on_delete=models.PROTECT,
        related_name="people",
    )
    unit_path = models.CharField(max_length=255, db_index=True, editable=False)
    name = models.CharField(_("full name"), max_length=50)
    name_pinyin = models.CharField(max_length=200, db_index=True, editable=False)
    name_initials = models.CharField(max_length=50, db_index=True, editable=False)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    ethnicity = models.CharField(
        _("ethnic group"), max_length=2, choices=Ethnicity.choices, blank=True
    )
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    birth_date_precision = models.CharField(
        _("birth date known to"),
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        db_default=DatePrecision.DAY,  # rows written by bulk SQL (bench/) are full dates
    )
    phone = models.CharField(_("phone"), max_length=16, blank=True, validators=[phone_validator])
    id_number = models.CharField(_("ID number"), max_length=18, blank=True)
    is_resident = models.BooleanField(_("resident"), default=False)
    is_retired = models.BooleanField(_("retired"), default=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    # Columns of an imported roster that the importer does not know (籍贯, 微信号 …):
    # {header: text}, shown on the person's page and exported back.
    extra = models.JSONField(
        _("other information"),
        default=dict,
        db_default=models.Value({}, output_field=models.JSONField()),
        blank=True,
    )

    # How the history (``core.audit.change_rows``) labels the keys of a person's audit rows
    # that are not fields of Person: the roles and their fields, recorded with the person.
    audit_labels: ClassVar[dict[str, Any]] = {
        "party_member": _("Party member"),
        "care_worker": _("Works in the care committee (volunteer)"),
        "young_person": _("Young person in the committee's care"),
        "guardian": _("Guardian"),
        "joined_on": _("Joined the Party on"),
        "is_mobile": _("Mobile member, working away"),
        "current_location": _("Where now"),
        "elder_category": _("Five-elder category"),
        "school": _("School"),
        "joined_on_precision": _("joining date known to"),
        "login": _("login"),
        "login_active": _("login enabled"),
        "login_unlocked": _("login unlocked"),
        "password": _("Password"),
    }
    audit_choices: ClassVar[dict[str, Any]] = {
        "elder_category": dict(ElderCategory.choices),
        "joined_on_precision": dict(DatePrecision.choices),
        "password": {"set": _("a new one set")},
    }

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name_pinyin", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number"],
                condition=~Q(id_number=""),
                name="person_unique_id_number",
            )
        ]
        indexes = [models.Index(fields=["unit_path", "name_pinyin"])]

    def __str__(self) -> str:
        return self.name

    @property
    def birth(self) -> PartialDate | None:
        """The birth date at its precision (a roster may give only 1950.05)."""
        return partial_date(self.birth_date, self.birth_date_precision)

    def age_on(self, day: dt.date) -> int | None:
        if self.birth_date is None:
            return None
        b = self.birth_date
        return day.year - b.year - ((day.month, day.day) < (b.month, b.day))

    @property
    def age(self) -> int | None:
        return self.age_on(timezone.localdate())

    @property
    def is_minor(self) -> bool:
        age = self.age
        return age is not None and age < ADULT_AGE


class UnitRole(TimeStampedModel):
    """A role held at a unit, with the unit's path copied for subtree counts."""

    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    unit_path = models.CharField(max_length=255, db_index=True, editable=False)

    class Meta:
        abstract = True


class PartyMembership(UnitRole):
    """党员. ``is_mobile``: a mobile member (流动党员) working away, at ``current_location``."""

    person = models.OneToOneField(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="party"
    )
    joined_on = models.DateField(_("joined the Party on"), null=True, blank=True)
    joined_on_precision = models.CharField(
        _("joining date known to"),
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        db_default=DatePrecision.DAY,  # rows written by bulk SQL (bench/) are full dates
    )
    is_mobile = models.BooleanField(_("mobile member (working away)"), default=False)
    current_location = models.CharField(_("where now"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("Party membership")
        verbose_name_plural = _("Party memberships")

    def __str__(self) -> str:
        return str(self.person)

    @property
    def joined(self) -> PartialDate | None:
        return partial_date(self.joined_on, self.joined_on_precision)

    @property
    def party_age(self) -> int | None:
        if self.joined_on is None:
            return None
        today = timezone.localdate()
        j = self.joined_on
        return today.year - j.year - ((today.month, today.day) < (j.month, j.day))


class CareWorker(UnitRole):
    """A person working in the unit's care committee (关工委), as a volunteer.

    ``elder_category`` set means the person is one of the five elders (五老).
    """

    person = models.OneToOneField(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="care"
    )
    elder_category = models.CharField(
        _("five-elder category"), max_length=16, choices=ElderCategory.choices, blank=True
    )
    since = models.DateField(_("since"), null=True, blank=True)

    class Meta:
        verbose_name = _("care-work participant")
        verbose_name_plural = _("care-work participants")
        indexes = [models.Index(fields=["unit_path", "elder_category"])]

    def __str__(self) -> str:
        return str(self.person)


class YoungPerson(UnitRole):
    """A young person the committee cares for. Their record is the most protected here."""

    person = models.OneToOneField(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="youth"
    )
    school = models.CharField(_("school"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("young person")
        verbose_name_plural = _("young people")

    def __str__(self) -> str:
        return str(self.person)


class Guardianship(TimeStampedModel):
    young = models.ForeignKey(
        YoungPerson,
        verbose_name=_("young person"),
        on_delete=models.CASCADE,
        related_name="guardianships",
    )
    guardian = models.ForeignKey(
        Person, verbose_name=_("guardian"), on_delete=models.PROTECT, related_name="wards"
    )
    relation = models.CharField(_("relation"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("guardianship")
        verbose_name_plural = _("guardianships")
        constraints = [
            models.UniqueConstraint(fields=["young", "guardian"], name="guardianship_unique")
        ]

    def __str__(self) -> str:
        return f"{self.guardian} → {self.young}"


class ImportStatus(models.TextChoices):
    READING = "reading", _("Reading the file")
    PREVIEW = "preview", _("Waiting for confirmation")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class ImportBatch(TimeStampedModel):
    """One roster file brought in by an officer: parsed for preview, then applied.

    ``rows`` holds the parsed, normalised rows; ``errors`` one message per problem
    (``{"row": n, "name": "…", "column": "…", "value": "…", "message": "…"}``), every
    problem of a row together. A preview never confirmed expires after
    ``IMPORT_PREVIEW_HOURS`` (``manage.py expire_import_previews``, and lazily on each new
    import). Applying runs in the background and advances ``processed`` so the workbench
    can show progress. A large file is first read in the background (``reading``).
    """

    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="imports"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    file_name = models.CharField(_("file"), max_length=200)
    status = models.CharField(
        _("status"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.PREVIEW
    )
    rows = models.JSONField(_("rows"), default=list, blank=True)
    errors = models.JSONField(default=list, blank=True)
    # The file's header and data rows as read (``{"header": [...], "rows": [[n, [...]]]}``),
    # for the copy of the file with a 问题 column.
    source = models.JSONField(default=dict, blank=True)
    # Headers of columns the importer does not know, kept as "other information".
    extra_columns = models.JSONField(default=list, blank=True)
    # A large file waiting to be read in the background (status ``reading``); emptied once
    # it is read, whether it was refused or not: the file itself is never kept.
    upload = models.BinaryField(blank=True, default=b"", editable=False)
    total = models.PositiveIntegerField(_("rows"), default=0)
    processed = models.PositiveIntegerField(_("processed"), default=0)
    created_count = models.PositiveIntegerField(_("added"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    failure = models.TextField(_("failure"), blank=True)

    class Meta:
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name

    @property
    def is_expired(self) -> bool:
        """A preview never confirmed, older than ``IMPORT_PREVIEW_HOURS``."""
        return self.status == ImportStatus.PREVIEW and self.created_at < timezone.now() - (
            dt.timedelta(hours=IMPORT_PREVIEW_HOURS)
        )

    @property
    def percent(self) -> int:
        return int(100 * self.processed / self.total) if self.total else 100


class CareTally(models.Model):
    """Per unit: how many people work in its care committee, and the five elders by category.

    Derived data, kept exact by ``nutag.people.tallies.care_tally_refresh``, which every
    service that adds, removes or moves a ``CareWorker`` calls in the same transaction.
    It exists so that the figures over a subtree are a sum over at most one row per unit,
    not a count over every participant (see docs/architecture.md, "Figures").
    ``manage.py rebuild_tallies`` recomputes every row from ``CareWorker``.
    """

    unit = models.OneToOneField(
        "orgs.Unit", primary_key=True, on_delete=models.CASCADE, related_name="care_tally"
    )
    # A copy of the unit's path (kept in step by the tree registry), so that a subtree's sum
    # is one range over the covering index below, with no look-up of the units.
    unit_path = models.CharField(max_length=255, editable=False, default="")
    participants = models.PositiveIntegerField(default=0)
    cadre = models.PositiveIntegerField(default=0)
    veteran = models.PositiveIntegerField(default=0)
    expert = models.PositiveIntegerField(default=0)
    teacher = models.PositiveIntegerField(default=0)
    model_worker = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("care-work tally")
        verbose_name_plural = _("care-work tallies")
        indexes = [
            models.Index(
                fields=[
                    "unit_path",
                    "participants",
                    "cadre",
                    "veteran",
                    "expert",
                    "teacher",
                    "model_worker",
                ],
                name="caretally_path_sums",
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.participants}"


class CareSubtreeTally(models.Model):
    """Per unit: the sums of ``CareTally`` over its subtree (itself included; closed units'
    too, as the figures count them).

    Derived data: ``care_tally_refresh`` adds each unit's change to the unit's row and its
    ancestors' (``F()`` updates, in the caller's transaction); the tree keeps the rows in
    step with moves (``nutag.orgs.tallies``); ``manage.py rebuild_tallies`` recomputes them.
    The dashboard reads one row per child unit instead of summing every unit's tally.
    """

    unit = models.OneToOneField(
        "orgs.Unit", primary_key=True, on_delete=models.CASCADE, related_name="care_subtree"
    )
    unit_path = models.CharField(max_length=255, db_index=True)  # a registered path copy
    participants = models.PositiveIntegerField(default=0)
    cadre = models.PositiveIntegerField(default=0)
    veteran = models.PositiveIntegerField(default=0)
    expert = models.PositiveIntegerField(default=0)
    teacher = models.PositiveIntegerField(default=0)
    model_worker = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.participants}"


# Logins for people (invitations, requests to join) live in their own module.
from nutag.people.models.accounts import Invitation, JoinRequest  # noqa: E402, F401

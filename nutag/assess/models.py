"""Standards (五好, 四纳入, 四到位 …), assessment rounds, and tasks deployed down the tree (四统一).

- A ``Standard`` is a named checklist of ``StandardItem`` rows, each worth some points and
  asking for some evidence; a unit (normally the banner) owns it and may edit it until a round
  has used it. The shipped defaults are installed by ``standards_install_defaults``.
- A ``Round`` is opened by a unit for a year and a standard: every active unit strictly below
  the issuer gets an ``Assessment`` (one per committee), which it fills item by item
  (``AssessmentItem``: self score, text evidence, files — ``Evidence`` — and the value the
  system knows already, with its source) and submits. A reviewer *above* the committee scores
  each item and accepts (final: score and pass/fail) or returns it with comments. Rounds are
  kept, so a committee's history is the list of its assessments.
- A ``Task`` is issued by a unit with requirements, a due date and the figures it wants back
  (``TaskFigure``) to all or chosen units below; each target unit gets a ``TaskReport``, which
  it fills and submits; the issuer accepts or returns it; commended reports are published.

Workflow lives in ``services``; these models hold data and invariants only.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from nutag.core.models import TimeStampedModel


class StandardKind(models.TextChoices):
    FIVE_GOOD = "five_good", _("Five-good committee")  # 五好
    FOUR_INCLUSIONS = "four_inclusions", _("Four inclusions")  # 四纳入
    FOUR_IN_PLACE = "four_in_place", _("Four in place")  # 四到位
    CUSTOM = "custom", _("The unit's own standard")  # e.g. 六有


class EvidenceKind(models.TextChoices):
    TEXT = "text", _("Written account")
    PHOTO = "photo", _("Photos")
    FILE = "file", _("Files (PDF, Word, Excel)")
    LINK = "link", _("Link to a record on this platform")


class AutoSource(models.TextChoices):
    """What the system already knows and can fill an item with (the source is shown)."""

    NONE = "", _("Filled in by the committee")
    POSITIONS = "positions", _("Positions filled (secretary, chair, executive vice-chair, officer)")
    CARE_WORKERS = "care_workers", _("People working in the care committee")
    FIVE_ELDERS = "five_elders", _("Five elders working in the care committee")
    ARTICLES = "articles", _("Activities recorded on the unit's site in the year")
    TASK_REPORTS = "task_reports", _("Tasks reported on time in the year")
    MEETINGS = "meetings", _("Branch meetings and Party lessons held in the year")  # 三会一课


class Standard(TimeStampedModel):
    """A named checklist that committees are measured against."""

    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="standards"
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=StandardKind.choices, default=StandardKind.CUSTOM
    )
    name = models.CharField(_("name"), max_length=60)
    name_mn = models.CharField(_("Mongolian name"), max_length=120, blank=True)
    description = models.TextField(_("description"), blank=True)
    pass_mark = models.PositiveSmallIntegerField(
        _("points needed to pass"),
        help_text=_("A committee whose accepted score reaches this meets the standard."),
    )

    audit_labels: ClassVar[dict[str, Any]]  # set below, from StandardItem's fields
    audit_choices: ClassVar[dict[str, Any]]

    class Meta:
        verbose_name = _("standard")
        verbose_name_plural = _("standards")
        ordering = ["unit_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="standard_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class StandardItem(models.Model):
    standard = models.ForeignKey(
        Standard, verbose_name=_("standard"), on_delete=models.CASCADE, related_name="items"
    )
    position = models.PositiveSmallIntegerField(pgettext_lazy("order", "position"), default=0)
    title = models.CharField(_("item"), max_length=80)
    title_mn = models.CharField(_("Mongolian title"), max_length=160, blank=True)
    guidance = models.TextField(_("what is looked at"), blank=True)
    evidence = models.CharField(_("evidence asked for"), max_length=200, blank=True)
    accepts = models.JSONField(
        _("kinds of evidence accepted"), default=list, blank=True
    )  # EvidenceKind values
    points = models.PositiveSmallIntegerField(_("points"))
    auto_source = models.CharField(
        _("filled automatically from"),
        max_length=16,
        choices=AutoSource.choices,
        default=AutoSource.NONE,
        blank=True,
    )
    auto_target = models.PositiveIntegerField(_("count that earns full points"), default=1)

    class Meta:
        verbose_name = _("standard item")
        verbose_name_plural = _("standard items")
        ordering = ["standard_id", "position", "id"]

    def __str__(self) -> str:
        return self.title


# A standard's audit rows also record changes to its items (one added, moved, reworded): the
# history labels their keys as the item's fields (``core.audit.change_rows``).
Standard.audit_labels = {
    name: StandardItem._meta.get_field(field).verbose_name  # type: ignore[union-attr]
    for name, field in (
        ("item", "title"),
        ("points", "points"),
        ("position", "position"),
        ("title_mn", "title_mn"),
        ("guidance", "guidance"),
        ("evidence", "evidence"),
        ("accepts", "accepts"),
        ("auto_source", "auto_source"),
        ("auto_target", "auto_target"),
    )
}
Standard.audit_choices = {
    "auto_source": dict(AutoSource.choices),
    "accepts": dict(EvidenceKind.choices),
}


class RoundStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("round", "Open")
    FINISHED = "finished", pgettext_lazy("round", "Finished")


class Round(TimeStampedModel):
    """An assessment round: one unit measures every committee below it against a standard."""

    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="rounds"
    )
    standard = models.ForeignKey(
        Standard, verbose_name=_("standard"), on_delete=models.PROTECT, related_name="rounds"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=120)
    self_due = models.DateField(_("self-assessments due"))
    status = models.CharField(
        _("status"), max_length=8, choices=RoundStatus.choices, default=RoundStatus.OPEN
    )
    pass_mark = models.PositiveSmallIntegerField(_("points needed to pass"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("assessment round")
        verbose_name_plural = _("assessment rounds")
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "standard", "year"], name="round_unique_year"),
        ]

    def __str__(self) -> str:
        return self.title


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("assessment", "Not yet submitted")
    SUBMITTED = "submitted", pgettext_lazy("assessment", "Waiting for review")
    RETURNED = "returned", pgettext_lazy("assessment", "Returned")
    ACCEPTED = "accepted", pgettext_lazy("assessment", "Accepted")


class Assessment(TimeStampedModel):
    """One committee's assessment in a round: its self-assessment, then the review."""

    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="assessments"
    )
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="assessments"
    )
    # A copy of the unit's path (as on people and roles: docs/architecture.md, "The unit tree
    # and subtree queries"), so that the dashboard counts a subtree's assessments as index
    # ranges without a join. Set on creation (``save``, ``round_open``), rewritten by
    # ``unit_move``.
    unit_path = models.CharField(max_length=255, editable=False)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=AssessmentStatus.choices,
        default=AssessmentStatus.DRAFT,
        db_index=True,
    )
    summary = models.TextField(_("summary of the year's work"), blank=True)
    self_total = models.PositiveSmallIntegerField(_("self-assessed points"), default=0)
    score = models.PositiveSmallIntegerField(_("accepted points"), null=True, blank=True)
    passed = models.BooleanField(_("meets the standard"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    review_comment = models.TextField(_("reviewer's comments"), blank=True)
    version = models.PositiveIntegerField(default=0)  # bumped by every change (compare-and-set)

    # Its audit rows are keyed by the standard's item titles, named by the office that
    # wrote the standard: the history shows them as written (``core.audit.check_labels``).
    audit_keys_are_data: ClassVar[bool] = True

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["round_id", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["round", "unit"], name="assessment_unique_unit"),
        ]
        indexes = [
            # The dashboard counts a round's assessments by status (and result) per subtree,
            # one index range per child (nutag/stats/selectors/grouped.py): covering, so
            # neither a table look-up nor a join per row.
            models.Index(
                fields=["round", "status", "unit_path", "passed"], name="assessment_round_path"
            ),
            # The five-good count of a subtree over every round (nutag/stats/selectors/
            # five_good.py): the accepted ones of the subtree, one index range, covering.
            models.Index(
                fields=["status", "unit_path", "round", "unit", "passed"],
                name="assessment_status_path",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.unit}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.unit_path:
            self.unit_path = self.unit.path
        super().save(*args, **kwargs)


class AssessmentItem(models.Model):
    """One item of a standard, as a committee answered it and as the reviewer scored it."""

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="items"
    )
    item = models.ForeignKey(
        StandardItem, verbose_name=_("item"), on_delete=models.PROTECT, related_name="+"
    )
    self_score = models.PositiveSmallIntegerField(_("self-assessed points"), null=True, blank=True)
    note = models.TextField(_("what was done (evidence)"), blank=True)
    auto_value = models.PositiveIntegerField(_("known to the system"), null=True, blank=True)
    auto_note = models.CharField(_("source"), max_length=200, blank=True)
    review_score = models.PositiveSmallIntegerField(_("reviewed points"), null=True, blank=True)
    review_comment = models.CharField(_("reviewer's comment"), max_length=500, blank=True)

    # Labels of the audit keys that are not fields (``core.audit.change_rows``).
    audit_labels: ClassVar[dict[str, Any]] = {"evidence": _("evidence")}

    class Meta:
        verbose_name = _("assessment item")
        verbose_name_plural = _("assessment items")
        ordering = ["assessment_id", "item__position", "item_id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item"], name="assessment_item_unique"),
        ]

    def __str__(self) -> str:
        return str(self.item)


class TaskStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("task", "Open")
    CLOSED = "closed", pgettext_lazy("task", "Closed")


class Task(TimeStampedModel):
    """A piece of work deployed by a unit to units below it (统一部署, 统一要求)."""

    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="tasks"
    )
    title = models.CharField(_("title"), max_length=120)
    requirements = models.TextField(_("requirements"))
    due_on = models.DateField(_("reports due on"))
    accepts_late = models.BooleanField(
        _("accept late reports"),
        default=False,
        help_text=_("When on, units may still report after the due date; they are marked late."),
    )
    status = models.CharField(
        _("status"), max_length=8, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    commendation = models.ForeignKey(
        "unitsites.Article",
        verbose_name=_("commendation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # Labels of the audit keys that are not fields (``core.audit.change_rows``).
    audit_labels: ClassVar[dict[str, Any]] = {"figures": _("figures asked for")}

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["-due_on", "-id"]

    def __str__(self) -> str:
        return self.title


class TaskFigure(models.Model):
    """A figure the issuer wants back in every report (e.g. "young people visited", 人)."""

    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="figures"
    )
    position = models.PositiveSmallIntegerField(pgettext_lazy("order", "position"), default=0)
    label = models.CharField(_("figure"), max_length=60)
    measure = models.CharField(_("counted in"), max_length=10, blank=True)  # 人, 次, 元 …

    class Meta:
        verbose_name = _("figure asked for")
        verbose_name_plural = _("figures asked for")
        ordering = ["task_id", "position", "id"]

    def __str__(self) -> str:
        return self.label


class ReportStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("report", "Not yet reported")
    SUBMITTED = "submitted", pgettext_lazy("report", "Waiting for inspection")
    RETURNED = "returned", pgettext_lazy("report", "Returned")
    ACCEPTED = "accepted", pgettext_lazy("report", "Accepted")


class TaskReport(TimeStampedModel):
    """A target unit's report on a task (统一检查验收)."""

    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="reports"
    )
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="task_reports"
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ReportStatus.choices,
        default=ReportStatus.PENDING,
        db_index=True,
    )
    text = models.TextField(_("what was done"), blank=True)
    figures = models.JSONField(_("figures"), default=dict, blank=True)  # {str(TaskFigure.pk): int}
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    late = models.BooleanField(_("late"), default=False)
    reviewed_at = models.DateTimeField(_("inspected at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("inspected by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    review_comment = models.TextField(_("inspector's comments"), blank=True)
    commended = models.BooleanField(_("commended"), default=False)
    version = models.PositiveIntegerField(default=0)  # bumped by every change (compare-and-set)

    # Labels of the audit keys that are not fields (``core.audit.change_rows``).
    audit_labels: ClassVar[dict[str, Any]] = {"evidence": _("evidence")}

    class Meta:
        verbose_name = _("task report")
        verbose_name_plural = _("task reports")
        ordering = ["task_id", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["task", "unit"], name="report_unique_unit"),
        ]
        indexes = [
            # The dashboard counts the reports of the tasks due by unit, status and lateness
            # (nutag/stats/selectors/grouped.py, ``report_rows``): read from this index
            # alone, with no look-up of each report's row.
            models.Index(
                fields=["task", "unit", "status", "late"], name="report_task_unit_outcome"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task} · {self.unit}"


class Evidence(TimeStampedModel):
    """A photo, a file or a link attached to an assessment item or to a task report."""

    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    assessment_item = models.ForeignKey(
        AssessmentItem,
        verbose_name=_("assessment item"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    report = models.ForeignKey(
        TaskReport,
        verbose_name=_("task report"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    kind = models.CharField(_("kind"), max_length=8, choices=EvidenceKind.choices)
    name = models.CharField(_("name"), max_length=120)
    file = models.FileField(_("file"), upload_to="evidence/", blank=True)
    image = models.JSONField(default=dict, blank=True)  # media.StoredImage.as_dict()
    size = models.PositiveIntegerField(_("size"), default=0)
    url = models.CharField(_("link"), max_length=300, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(assessment_item__isnull=False, report__isnull=True)
                    | models.Q(assessment_item__isnull=True, report__isnull=False)
                ),
                name="evidence_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class FiveGoodTally(models.Model):
    """Per committee and year: it has an accepted assessment in a five-good round of that year
    (one row), and whether any of them passed.

    Derived data, kept exact by ``nutag.assess.tallies.five_good_tally_refresh``, which every
    service that accepts or reopens an assessment calls in the same transaction (and a round
    deleted with its assessments, and the bulk loaders). It exists so that a subtree's
    five-good count is one range over a small covering index (at most one row per committee
    and year) instead of a pass over every assessment with a look-up of its unit (see
    docs/architecture.md, "Figures"). ``manage.py rebuild_tallies`` recomputes every row.
    """

    # no index of its own: the unique (unit, year) constraint's index starts with the unit
    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.CASCADE, related_name="five_good_tallies", db_index=False
    )
    # A copy of the unit's path, kept in step by the tree registry (``register_path_copy``).
    unit_path = models.CharField(max_length=255, editable=False)
    year = models.PositiveSmallIntegerField()
    passed = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("five-good tally")
        verbose_name_plural = _("five-good tallies")
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="fivegoodtally_unit_year"),
        ]
        indexes = [
            models.Index(fields=["unit_path", "year", "passed"], name="fivegoodtally_path"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.year}: {self.passed}"


class AssessmentSubtreeTally(models.Model):
    """Per unit and round: the assessments of its subtree's active units (itself included)
    in the round, by status; ``passed``: accepted and meeting the standard;
    ``grassroots_accepted``: accepted, of a grassroots unit; ``five_good``: those that passed
    (what a five-good round counts as five-good committees, and their year).

    Derived data (a keyed subtree tally, ``nutag.orgs.tallies``): made for the whole tree
    when a round opens, kept in step by the services that change an assessment's status or
    result and by the tree's (a unit closed, merged, moved or given another kind), and
    recomputed by ``manage.py rebuild_tallies``. The dashboard reads one row per unit it
    shows and round instead of counting every assessment of their subtrees.
    """

    # no index of its own: the unique (unit, round) constraint's index starts with the unit
    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+", db_index=False)
    # A copy of the unit's path (a registered path copy): the dashboard finds rows by path.
    unit_path = models.CharField(max_length=255, editable=False)
    draft = models.IntegerField(default=0)
    submitted = models.IntegerField(default=0)
    returned = models.IntegerField(default=0)
    accepted = models.IntegerField(default=0)
    passed = models.IntegerField(default=0)
    grassroots_accepted = models.IntegerField(default=0)
    five_good = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "round"], name="assessmenttally_unit_round"),
        ]
        indexes = [models.Index(fields=["round", "unit_path"], name="assessmenttally_round_path")]

    def __str__(self) -> str:
        return f"{self.unit_id} · {self.round_id}: {self.unit_path}"


class ReportSubtreeTally(models.Model):
    """Per unit and task: the reports of its subtree's active units (itself included) on the
    task, by outcome: reported on time, reported late, not reported (pending or returned).

    Derived data like ``AssessmentSubtreeTally``: made when a task is issued, kept in step
    by the services that submit, inspect or return a report and by the tree's, recomputed
    by ``manage.py rebuild_tallies``; the dashboard reads it per unit shown and task due.
    """

    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="+", db_index=False)
    unit_path = models.CharField(max_length=255, editable=False)
    on_time = models.IntegerField(default=0)
    late = models.IntegerField(default=0)
    open = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "task"], name="reporttally_unit_task"),
        ]
        indexes = [models.Index(fields=["task", "unit_path"], name="reporttally_task_path")]

    def __str__(self) -> str:
        return f"{self.unit_id} · {self.task_id}: {self.unit_path}"

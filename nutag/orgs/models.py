"""The unit tree (banner → township → village …), its two bodies and their positions."""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from treebeard.mp_tree import MP_Node, MP_NodeManager

from nutag.core.models import TimeStampedModel


class UnitKind(models.TextChoices):
    """The nine kinds of units. Values are the keys the stats API answers with."""

    BANNER = "banner", _("Banner")  # 旗
    TOWNSHIP = "township", _("Township")  # 苏木 / 镇
    SUBDISTRICT = "subdistrict", _("Sub-district office")  # 街道办事处
    ORGAN = "organ", _("Banner organ")  # 旗直机关
    VILLAGE = "village", _("Village")  # 嘎查 / 村
    COMMUNITY = "community", _("Community")  # 社区
    STATE_FIRM = "state_firm", _("State firm")  # 国企
    PRIVATE_FIRM = "private_firm", _("Private firm")  # 民企
    SCHOOL = "school", pgettext_lazy("unit kind", "School")  # 中小学


# Kinds at township level: units that usually have villages or communities below them.
TOWNSHIP_LEVEL_KINDS = {UnitKind.TOWNSHIP, UnitKind.SUBDISTRICT}

# Kinds whose committees are *not* grassroots committees (基层关工委): the banner's and the
# townships'. Every other committee is grassroots, sub-district offices' included: the seed
# counts 118 grassroots committees of 126 (126 - 1 banner - 7 townships), and its 83
# five-good committees are 70% of those 118.
NON_GRASSROOTS_KINDS = frozenset({UnitKind.BANNER, UnitKind.TOWNSHIP})
GRASSROOTS_KINDS = frozenset(UnitKind) - NON_GRASSROOTS_KINDS


class UnitStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


unit_code_validator = RegexValidator(
    r"^[0-9]{6,12}$", _("A unit code is 6 to 12 digits, like an administrative-division code.")
)


class Unit(MP_Node, TimeStampedModel):  # type: ignore[django-manager-missing]
    """A unit of the tree: the banner, a township, a village, a school…

    ``code`` is stable and used in URLs (``/u/150725/``). A unit is never deleted once
    it has history: moving keeps its rows, merging moves its children and people into
    another unit and closes it, closing keeps it for the record.
    """

    code = models.CharField(_("code"), max_length=12, unique=True, validators=[unit_code_validator])
    kind = models.CharField(_("kind"), max_length=16, choices=UnitKind.choices, db_index=True)
    name = models.CharField(_("name"), max_length=100)
    name_mn = models.CharField(_("Mongolian name"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=UnitStatus.choices, default=UnitStatus.ACTIVE
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
    )

    node_order_by = ["code"]
    objects = MP_NodeManager()  # type: ignore[django-manager-missing]
    # Labels for audit keys that are not fields (see ``core.audit.change_rows``).
    audit_labels: ClassVar[dict[str, Any]] = {
        "parent": _("Parent unit"),
        "merged_from": _("Merged from"),
    }

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        indexes = [
            # The dashboard finds the few units of a subtree whose assessments it must not
            # count (non-grassroots kinds, closed units) as ranges (nutag/stats/selectors/
            # grouped.py), rather than by scanning the subtree.
            models.Index(fields=["kind", "path"], name="unit_kind_path"),
            models.Index(fields=["status", "path"], name="unit_status_path"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status == UnitStatus.ACTIVE

    @property
    def is_grassroots(self) -> bool:
        """Its committee is a grassroots committee (基层关工委): see ``NON_GRASSROOTS_KINDS``."""
        return self.kind not in NON_GRASSROOTS_KINDS


class Branch(TimeStampedModel):
    """党支部: the unit's Party branch. Its secretary chairs the care committee."""

    unit = models.OneToOneField(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="branch"
    )
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        verbose_name = _("Party branch")
        verbose_name_plural = _("Party branches")

    def __str__(self) -> str:
        return self.name


class CareCommittee(TimeStampedModel):
    """关工委: the unit's Care-for-the-Next-Generation working committee."""

    unit = models.OneToOneField(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="committee"
    )
    name = models.CharField(_("name"), max_length=120)
    established_on = models.DateField(_("established on"), null=True, blank=True)

    class Meta:
        verbose_name = _("care committee")
        verbose_name_plural = _("care committees")

    def __str__(self) -> str:
        return self.name


class Body(models.TextChoices):
    BRANCH = "branch", _("Party branch")
    COMMITTEE = "committee", _("Care committee")


class PositionTitle(models.TextChoices):
    BRANCH_SECRETARY = "branch_secretary", _("Branch secretary")  # 党支部书记
    BRANCH_DEPUTY = "branch_deputy", _("Deputy branch secretary")  # 副书记
    BRANCH_MEMBER = "branch_member", _("Branch committee member")  # 支委委员
    CHAIR = "chair", _("Committee chair")  # 关工委主任
    EXEC_VICE_CHAIR = "exec_vice_chair", _("Executive vice-chair")  # 常务副主任
    VICE_CHAIR = "vice_chair", _("Vice-chair")  # 副主任
    MEMBER = "member", _("Committee member")  # 委员
    OFFICER = "officer", _("Committee office officer")  # 关工委办公室工作人员


TITLE_BODY = {
    PositionTitle.BRANCH_SECRETARY: Body.BRANCH,
    PositionTitle.BRANCH_DEPUTY: Body.BRANCH,
    PositionTitle.BRANCH_MEMBER: Body.BRANCH,
    PositionTitle.CHAIR: Body.COMMITTEE,
    PositionTitle.EXEC_VICE_CHAIR: Body.COMMITTEE,
    PositionTitle.VICE_CHAIR: Body.COMMITTEE,
    PositionTitle.MEMBER: Body.COMMITTEE,
    PositionTitle.OFFICER: Body.COMMITTEE,
}
BRANCH_COMMITTEE_TITLES = {
    PositionTitle.BRANCH_SECRETARY,
    PositionTitle.BRANCH_DEPUTY,
    PositionTitle.BRANCH_MEMBER,
}
SINGLE_HOLDER_TITLES = {
    PositionTitle.BRANCH_SECRETARY,
    PositionTitle.CHAIR,
    PositionTitle.EXEC_VICE_CHAIR,
}


class Access(models.TextChoices):
    """The right a position grants at its unit and every unit below it."""

    NONE = "none", _("No management right")
    OFFICER = "officer", _("Unit officer")
    SECRETARY = "secretary", _("Unit secretary")
    YOUTH = "youth", _("Unit officer with the youth right")


DEFAULT_ACCESS = {
    PositionTitle.BRANCH_SECRETARY: Access.SECRETARY,
    PositionTitle.CHAIR: Access.SECRETARY,
    PositionTitle.EXEC_VICE_CHAIR: Access.OFFICER,
    PositionTitle.OFFICER: Access.OFFICER,
}


class Position(TimeStampedModel):
    """A post held by a person in the unit's branch or committee, and the right it grants.

    Ending a position sets ``ended_on``; the row stays for the record.
    """

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="positions"
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="positions",
    )
    title = models.CharField(_("position"), max_length=24, choices=PositionTitle.choices)
    represents = models.CharField(
        _("represents"),
        max_length=60,
        blank=True,
        help_text=_("For committee members: e.g. the youth league, the women's group, the school."),
    )
    access = models.CharField(
        _("right"), max_length=12, choices=Access.choices, default=Access.NONE
    )
    started_on = models.DateField(_("since"), null=True, blank=True)
    ended_on = models.DateField(_("until"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["unit", "title", "id"]

    def __str__(self) -> str:
        return f"{self.unit} · {self.get_title_display()} · {self.person}"

    @property
    def body(self) -> str:
        return TITLE_BODY[PositionTitle(self.title)]

    @property
    def is_current(self) -> bool:
        return self.ended_on is None


class UnitSubtreeTally(models.Model):
    """Per unit: its subtree's active units (itself included), by kind.

    Derived data, kept in step by the tree's services (``unit_create``, ``unit_update``,
    ``unit_close``, ``unit_merge``, ``unit_delete``, ``unit_move``: deltas added to the unit
    and its ancestors with ``F()`` updates, in their transaction; see
    ``nutag.orgs.tallies``) and recomputed by ``manage.py rebuild_tallies``. The dashboard
    reads one row per child unit instead of counting every unit of the subtree.
    """

    unit = models.OneToOneField(
        Unit, primary_key=True, on_delete=models.CASCADE, related_name="subtree_tally"
    )
    # A copy of the unit's path (a registered path copy): the dashboard finds the rows of
    # the units it shows by path.
    unit_path = models.CharField(max_length=255, db_index=True)
    banner = models.PositiveIntegerField(default=0)
    township = models.PositiveIntegerField(default=0)
    subdistrict = models.PositiveIntegerField(default=0)
    organ = models.PositiveIntegerField(default=0)
    village = models.PositiveIntegerField(default=0)
    community = models.PositiveIntegerField(default=0)
    state_firm = models.PositiveIntegerField(default=0)
    private_firm = models.PositiveIntegerField(default=0)
    school = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.unit_path}"

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from nutag.core.masking import mask_id_number, mask_phone
from nutag.orgs.admin_base import SubtreeScopedAdmin
from nutag.orgs.permissions import Perm, has_unit_perm
from nutag.people import services
from nutag.people.models import CareWorker, ImportBatch, PartyMembership, Person
from nutag.people.models.accounts import Invitation, InvitationState, JoinRequest


@admin.register(Person)
class PersonAdmin(SubtreeScopedAdmin):
    """People, scoped to the user's subtree; phone and ID masked unless the right allows."""

    view_perm = Perm.VIEW_PEOPLE
    change_perm = Perm.CHANGE_PEOPLE
    list_display = ["name", "unit", "gender", "ethnicity", "birth_date", "masked_phone"]
    list_filter = ["gender", "is_resident"]
    search_fields = ["name", "name_initials", "name_pinyin"]
    list_select_related = ["unit", "youth"]  # the audit of the list asks who is a minor
    fields = [
        "name",
        "gender",
        "ethnicity",
        "birth_date",
        "phone",
        "id_number",
        "is_resident",
        "is_retired",
        "note",
    ]

    @admin.display(description=Person._meta.get_field("phone").verbose_name)
    def masked_phone(self, obj: Person) -> str:
        return mask_phone(obj.phone)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        hidden = []
        if obj is not None and not has_unit_perm(
            user=request.user, perm=Perm.VIEW_ID_NUMBER, unit=obj.unit
        ):
            hidden.append("masked_id_number")
        return hidden

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(self.fields)
        if obj is not None and not has_unit_perm(
            user=request.user, perm=Perm.VIEW_ID_NUMBER, unit=obj.unit
        ):
            fields[fields.index("id_number")] = "masked_id_number"
        return fields

    @admin.display(description=Person._meta.get_field("id_number").verbose_name)
    def masked_id_number(self, obj: Person) -> str:
        return mask_id_number(obj.id_number)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> Any:
        """A record read in the admin is audited like anywhere else (one row per response)."""
        person = (
            self.get_queryset(request).select_related("unit", "youth").filter(pk=object_id).first()
            if str(object_id).isdigit()
            else None
        )
        if person is not None and request.method == "GET":
            services.sensitive_read_log(
                acting_user=request.user, people=[person], where=request.path
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> Any:
        """The list shows birth dates: one audit row for the minors on the page."""
        response = super().changelist_view(request, extra_context)
        shown = getattr(response, "context_data", None) or {}
        changelist = shown.get("cl")
        if changelist is not None:
            services.sensitive_read_log(
                acting_user=request.user,
                people=list(changelist.result_list),
                where=request.path,
            )
        return response

    def save_model(
        self, request: HttpRequest, obj: Person, form: forms.ModelForm, change: bool
    ) -> None:
        stored = Person.objects.select_related("unit", "party", "care", "youth").get(pk=obj.pk)
        party = getattr(stored, "party", None)
        care = getattr(stored, "care", None)
        youth = getattr(stored, "youth", None)
        data = services.PersonInput(
            name=obj.name,
            gender=obj.gender,
            ethnicity=obj.ethnicity,
            birth_date=obj.birth_date,
            phone=obj.phone,
            id_number=obj.id_number,
            is_resident=obj.is_resident,
            is_retired=obj.is_retired,
            note=obj.note,
            party=services.PartyInput(party.joined_on, party.is_mobile, party.current_location)
            if party
            else None,
            care=services.CareInput(care.elder_category, care.since) if care else None,
            youth=services.YouthInput(youth.school) if youth else None,
        )
        services.person_update(acting_user=request.user, person=stored, unit=stored.unit, data=data)


class RoleAdmin(SubtreeScopedAdmin):
    view_perm = Perm.VIEW_PEOPLE
    list_select_related = ["person", "unit"]
    search_fields = ["person__name"]


@admin.register(PartyMembership)
class PartyMembershipAdmin(RoleAdmin):
    list_display = ["person", "unit", "joined_on", "is_mobile", "current_location"]
    list_filter = ["is_mobile"]


@admin.register(CareWorker)
class CareWorkerAdmin(RoleAdmin):
    list_display = ["person", "unit", "elder_category"]
    list_filter = ["elder_category"]


@admin.register(ImportBatch)
class ImportBatchAdmin(SubtreeScopedAdmin):
    path_field = "unit__path"
    view_perm = Perm.CHANGE_PEOPLE
    list_display = [
        "file_name",
        "unit",
        "status",
        "total",
        "created_count",
        "updated_count",
        "created_at",
    ]
    exclude = ["rows"]
    readonly_fields = [
        "unit",
        "created_by",
        "file_name",
        "status",
        "errors",
        "total",
        "processed",
        "created_count",
        "updated_count",
        "unchanged_count",
        "failure",
    ]


@admin.register(Invitation)
class InvitationAdmin(SubtreeScopedAdmin):
    """Invitations and password links, read-only: issuing, re-issuing and withdrawing happen
    on the workbench through the services (the token itself is never stored, only its digest).
    """

    view_perm = Perm.INVITE_PEOPLE
    list_display = ["person", "unit", "purpose", "state", "expires_at", "created_by"]
    list_filter = ["purpose"]
    search_fields = ["person__name"]
    list_select_related = ["person", "unit", "created_by"]
    readonly_fields = (
        "person",
        "unit",
        "purpose",
        "expires_at",
        "created_by",
        "accepted_at",
        "revoked_at",
    )
    fields = readonly_fields

    @admin.display(description=_("state"))
    def state(self, obj: Invitation) -> str:
        return str(dict(InvitationState.choices).get(obj.state, obj.state))


@admin.register(JoinRequest)
class JoinRequestAdmin(SubtreeScopedAdmin):
    """Requests to join a unit (加入本村), read-only: deciding happens on the workbench."""

    view_perm = Perm.MANAGE_LOGINS
    list_display = ["name", "unit", "masked_phone", "status", "created_at", "decided_by"]
    list_filter = ["status"]
    search_fields = ["name"]
    list_select_related = ["unit", "decided_by"]
    readonly_fields = (
        "unit",
        "user",
        "name",
        "masked_phone",
        "household",
        "status",
        "person",
        "decided_by",
        "decided_at",
        "reason",
    )
    fields = readonly_fields

    @admin.display(description=_("phone"))
    def masked_phone(self, obj: JoinRequest) -> str:
        return mask_phone(obj.phone)

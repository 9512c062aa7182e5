"""The Django admin, scoped like everything else: an officer sees only their subtree.

Every app's admin builds on ``SubtreeScopedAdmin``. Its changes go through the same services
as the workbench and the API; a service's refusal (``ValidationError``, or ``NotFound`` for
something out of reach) comes back on the form with what was typed, never as a 500.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from nutag.core.errors import NotFound
from nutag.core.forms import add_service_errors
from nutag.orgs.paths import subtrees_q
from nutag.orgs.permissions import Perm, granted_paths, is_platform_admin


class SubtreeScopedAdmin(admin.ModelAdmin):
    """Rows are visible when ``path_field`` lies under a unit where the user holds ``view_perm``."""

    path_field = "unit_path"
    view_perm: Perm = Perm.VIEW_UNIT
    change_perm: Perm | None = None

    def _paths(self, request: HttpRequest, perm: Perm) -> list[str]:
        return granted_paths(user=request.user, perm=perm)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = super().get_queryset(request)
        if is_platform_admin(request.user):
            return qs
        paths = self._paths(request, self.view_perm)
        return qs.filter(subtrees_q(paths, self.path_field)) if paths else qs.none()

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_platform_admin(request.user) or bool(self._paths(request, self.view_perm))

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if is_platform_admin(request.user):
            return True
        if obj is None:
            return bool(self._paths(request, self.view_perm))
        return self.get_queryset(request).filter(pk=obj.pk).exists()

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if self.change_perm is None:
            return False
        if is_platform_admin(request.user):
            return True
        paths = self._paths(request, self.change_perm)
        if obj is None:
            return bool(paths)
        qs = super().get_queryset(request).filter(pk=obj.pk)
        return bool(paths) and qs.filter(subtrees_q(paths, self.path_field)).exists()

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    # --- a service's refusal, shown on the form -----------------------------------------

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        """Run Django's add/change view; when the service behind ``save_model`` refuses,
        show the form again with everything posted and the refusal next to its field (the
        refused change was rolled back with the view's transaction)."""
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (ValidationError, NotFound) as exc:
            if request.method != "POST" or hasattr(request, "_nutag_refusal"):
                raise
            request._nutag_refusal = refusal_as_validation_error(exc)  # type: ignore[attr-defined]
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form_class = super().get_form(request, obj, change, **kwargs)
        found: ValidationError | None = getattr(request, "_nutag_refusal", None)
        if found is None:
            return form_class
        refusal: ValidationError = found

        class RefusedForm(form_class):  # type: ignore[misc, valid-type]
            def _post_clean(self) -> None:
                super()._post_clean()
                add_service_errors(self, refusal)

        return RefusedForm


def refusal_as_validation_error(exc: ValidationError | NotFound) -> ValidationError:
    if isinstance(exc, ValidationError):
        return exc
    return ValidationError(_("This is out of your reach, or it no longer exists."))

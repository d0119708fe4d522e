"""Admin screens shared by several apps."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from portal import roles


class TagViewSet(ModelViewSet):
    """Renaming and merging away tags under *Settings*; subclasses set `model` and
    `menu_label`. Writes reach cached pages and search through portal.invalidation."""

    icon = "tag"
    add_to_settings_menu = True
    form_fields = ["name", "slug"]
    list_display = ["name", "slug"]
    search_fields = ["name"]
    ordering = ["name"]


# --- Screens a municipality's administrators share with the platform's --------------------


class MunicipalityScopedPolicy(ModelPermissionPolicy):
    """Rows that belong to a municipality (units, routing rules).

    Superusers, and anyone given the Django model permission (a platform-wide grant, as
    before the region), manage every row; a municipality's administrators manage the
    rows of the municipalities they administer, and only those (`portal.roles`).
    """

    def _platform_wide(self, user, action: str) -> bool:
        return super().user_has_permission(user, action)

    def user_has_permission(self, user, action: str) -> bool:
        return self._platform_wide(user, action) or roles.is_municipality_admin(user)

    def user_has_permission_for_instance(self, user, action: str, instance) -> bool:
        return self._platform_wide(user, action) or roles.manages(user, instance)

    def instances_user_has_any_permission_for(self, user, actions) -> QuerySet:
        rows = self.model._default_manager.all()
        if any(self._platform_wide(user, action) for action in actions):
            return rows
        return rows.filter(municipality_id__in=roles.administered_municipality_ids(user))

    def users_with_any_permission(self, actions) -> QuerySet:
        platform_wide = super().users_with_any_permission(actions).values("pk")
        administrators = get_user_model().objects.filter(
            is_active=True, groups__administered_municipality__isnull=False
        )
        return get_user_model().objects.filter(
            Q(pk__in=platform_wide) | Q(pk__in=administrators.values("pk"))
        )


class MunicipalityScopedViewMixin:
    """For the generic views of a `MunicipalityScopedViewSet`: another municipality's
    rows are not listed, and opening one is refused (Wagtail checks only the model)."""

    scoped_fields: dict[str, str] = {}

    def _scope(self) -> frozenset[int] | None:
        """The municipalities this user's rows may belong to; None: any."""
        user = self.request.user
        policy = self.permission_policy
        if any(policy._platform_wide(user, action) for action in ("add", "change", "delete")):
            return None
        return roles.administered_municipality_ids(user)

    def get_base_queryset(self):
        queryset = super().get_base_queryset()
        scope = self._scope()
        if scope is None or queryset.model is not self.model:  # e.g. the history's log
            return queryset
        return queryset.filter(municipality_id__in=scope)

    def get_object(self, *args, **kwargs):
        instance = super().get_object(*args, **kwargs)
        scope = self._scope()
        if scope is not None and instance.municipality_id not in scope:
            raise PermissionDenied
        return instance

    def get_form(self, *args, **kwargs):
        """Offer only the user's own municipalities, and their units, challenges…"""
        form = super().get_form(*args, **kwargs)
        scope = self._scope()
        if scope is not None:
            for name, lookup in self.scoped_fields.items():
                if name in form.fields:
                    field = form.fields[name]
                    field.queryset = field.queryset.filter(**{f"{lookup}__in": scope})
            if len(scope) == 1 and "municipality" in form.fields and form.instance.pk is None:
                # The administrator of one municipality never has to choose it.
                form.fields["municipality"].initial = next(iter(scope))
        return form


class MunicipalityScopedViewSet(ModelViewSet):
    """A ModelViewSet whose rows have a `municipality`: a municipality's administrators
    see and manage their own. `scoped_fields` names each form field to narrow, with
    the lookup from its choices to their municipality. Register a
    `MunicipalityScopedPolicy` for the model (`register_permission_policy`)."""

    scoped_fields: dict[str, str] = {"municipality": "pk"}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        mixin = MunicipalityScopedViewMixin
        attrs = {"scoped_fields": self.scoped_fields}
        for name in (
            "index_view_class",
            "add_view_class",
            "edit_view_class",
            "delete_view_class",
            "history_view_class",
            "usage_view_class",
            "copy_view_class",
        ):
            base = getattr(self, name)
            setattr(self, name, type(f"Scoped{base.__name__}", (mixin, base), attrs))

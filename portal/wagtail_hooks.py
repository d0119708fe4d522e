from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from portal.ids import IdChoicesMixin
from portal.models import Municipality, Organisation, Unit
from portal.viewsets import MunicipalityScopedPolicy, MunicipalityScopedViewSet


class PlatformAdministratorsOnly(BasePermissionPolicy):
    """Only superusers (the platform's administrators) add, change or remove
    municipalities: no group permission can grant it, so a municipality's own
    administrators can never create or rename one."""

    def user_has_permission(self, user, action: str) -> bool:
        return bool(user.is_active and user.is_superuser)

    def users_with_any_permission(self, actions) -> QuerySet:
        return get_user_model().objects.filter(is_active=True, is_superuser=True)


register_permission_policy(Municipality, PlatformAdministratorsOnly(Municipality))
# A municipality's administrators manage its units and who works in them.
register_permission_policy(Unit, MunicipalityScopedPolicy(Unit))


class MunicipalityViewSet(IdChoicesMixin, ModelViewSet):
    model = Municipality
    icon = "home"
    menu_label = _("Municipalities")
    add_to_settings_menu = True
    form_fields = [
        "name",
        "slug",
        "number",
        "coat_of_arms",
        "contact_email",
        "contact_phone",
        "website",
        "inhabitants",
        "intake_unit",
        "is_active",
    ]
    list_display = ["name", "number", "intake_unit", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "number"]
    ordering = ["name"]

    def formfield_for_dbfield(self, db_field, **kwargs):
        if db_field.name == "coat_of_arms":
            from wagtail.images.widgets import AdminImageChooser

            kwargs["widget"] = AdminImageChooser
        return super().formfield_for_dbfield(db_field, **kwargs)


def _only_active_municipality() -> Municipality | None:
    active = list(Municipality.objects.active()[:2])
    return active[0] if len(active) == 1 else None


class UnitViewSet(IdChoicesMixin, MunicipalityScopedViewSet):
    model = Unit
    scoped_fields = {"municipality": "pk", "parent": "municipality_id"}
    icon = "group"
    menu_label = _("Units")
    menu_order = 220
    add_to_admin_menu = True
    form_fields = [
        "municipality",
        "name",
        "name_en",
        "slug",
        "short_description",
        "contact_email",
        "parent",
        "response_deadline_days",
        "is_active",
        "staff",
    ]
    list_display = [
        "name",
        "name_en",
        "municipality",
        "parent",
        "contact_email",
        "response_deadline_days",
        "is_active",
    ]
    list_filter = ["municipality", "is_active"]
    search_fields = ["name", "name_en", "short_description"]

    def formfield_for_dbfield(self, db_field, **kwargs):
        if db_field.name == "municipality":
            # With one municipality, a new unit belongs to it without anyone choosing.
            # A callable: the form class is built once, the choice is read per form.
            kwargs["initial"] = _only_active_municipality
        return super().formfield_for_dbfield(db_field, **kwargs)


class OrganisationViewSet(IdChoicesMixin, ModelViewSet):
    model = Organisation
    icon = "site"
    menu_label = _("Organisations")
    menu_order = 230
    add_to_admin_menu = True
    form_fields = ["name", "organisation_number", "kind", "website", "members"]
    list_display = ["name", "organisation_number", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "organisation_number"]


@hooks.register("register_admin_viewset")
def register_municipality_viewset() -> MunicipalityViewSet:
    return MunicipalityViewSet("municipalities")


@hooks.register("register_admin_viewset")
def register_unit_viewset() -> UnitViewSet:
    return UnitViewSet("units")


@hooks.register("register_admin_viewset")
def register_organisation_viewset() -> OrganisationViewSet:
    return OrganisationViewSet("organisations")

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from portal.ids import IdChoicesMixin
from portal.models import Organisation, Unit


class UnitViewSet(IdChoicesMixin, ModelViewSet):
    model = Unit
    icon = "group"
    menu_label = _("Units")
    menu_order = 220
    add_to_admin_menu = True
    form_fields = [
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
        "parent",
        "contact_email",
        "response_deadline_days",
        "is_active",
    ]
    list_filter = ["is_active"]
    search_fields = ["name", "name_en", "short_description"]


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
def register_unit_viewset() -> UnitViewSet:
    return UnitViewSet("units")


@hooks.register("register_admin_viewset")
def register_organisation_viewset() -> OrganisationViewSet:
    return OrganisationViewSet("organisations")

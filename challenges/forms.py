"""The filter form on the challenge index. It only reads the query string."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from challenges.models import ChallengeStatus, Theme
from portal.forms import QueryFilterForm
from portal.ids import IdModelChoiceField
from portal.models import Unit

SORT_CHOICES = [
    ("closing", _("Closing soonest")),
    ("newest", _("Newest")),
    ("most_ideas", _("Most ideas")),
]

AUDIENCE_CHOICES = [
    ("", _("Everyone")),
    ("citizens", _("For citizens")),
    ("businesses", _("For businesses and organisations")),
]


class ChallengeFilterForm(QueryFilterForm):
    """Filters and sort order, kept in the URL so every result list can be linked to."""

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *ChallengeStatus.choices],
    )
    theme = IdModelChoiceField(
        label=_("Theme"),
        required=False,
        queryset=Theme.objects.all(),
        to_field_name="slug",
        empty_label=_("All themes"),
    )
    audience = forms.ChoiceField(label=_("Audience"), required=False, choices=AUDIENCE_CHOICES)
    unit = IdModelChoiceField(
        label=_("Owning unit"),
        required=False,
        queryset=Unit.objects.none(),
        to_field_name="slug",
        empty_label=_("All units"),
    )
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units

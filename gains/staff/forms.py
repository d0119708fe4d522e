"""Forms of the gains staff screens. They validate input; `gains.actions` decides what is
allowed. Each form's cleaned data are the action's keyword arguments."""

from __future__ import annotations

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from gains.models import ECONOMIC_UNIT, Gain, GainStatus, GainType
from portal.ids import IdModelChoiceField
from portal.models import User

TEXTAREA = forms.Textarea(attrs={"rows": 3})
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _people(*, also: int | None = None) -> QuerySet[User]:
    """Who may own a gain: staff of a unit (and `also`, the owner now)."""
    staff = User.objects.filter(is_active=True, units__isnull=False).values("pk")
    return User.objects.filter(Q(pk__in=staff) | Q(pk=also)).order_by("email")


class GainForm(forms.Form):
    description = forms.CharField(label=_("Description"), max_length=2000, widget=TEXTAREA)
    type = forms.ChoiceField(label=_("Type of gain"), choices=GainType.choices)
    indicator = forms.CharField(
        label=_("Indicator"),
        max_length=200,
        help_text=_("What is measured, e.g. “hours spent on home visits per week”."),
    )
    unit = forms.CharField(
        label=_("Unit of measure"),
        max_length=40,
        required=False,
        help_text=_(
            "E.g. hours, visits, percent satisfied, tonnes CO₂. Economic gains are always NOK/år."
        ),
    )
    stakeholders = forms.CharField(label=_("Stakeholders affected"), max_length=300, required=False)
    target_value = forms.DecimalField(
        label=_("Target value"), max_digits=16, decimal_places=2, required=False
    )
    target_on = forms.DateField(label=_("Target date"), widget=DATE, required=False)
    owner = IdModelChoiceField(
        label=_("Gain owner"),
        queryset=User.objects.none(),
        help_text=_("The line manager responsible for realising the gain (gevinsteier)."),
    )
    measurement_interval_months = forms.IntegerField(
        label=_("Measure every (months)"), min_value=1, max_value=60, initial=3
    )

    def __init__(self, *args, gain: Gain | None = None, **kwargs):
        if gain is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                name: getattr(gain, name)
                for name in (
                    "description",
                    "type",
                    "indicator",
                    "unit",
                    "stakeholders",
                    "target_value",
                    "target_on",
                    "measurement_interval_months",
                )
            } | {"owner": gain.owner_id}
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _people(also=gain.owner_id if gain else None)

    def clean(self):
        data = super().clean()
        if data.get("type") == GainType.ECONOMIC:
            data["unit"] = ECONOMIC_UNIT
        elif "unit" in data and not data["unit"]:
            self.add_error("unit", _("Give the unit of measure."))
        if (data.get("target_value") is None) != (data.get("target_on") is None):
            self.add_error("target_on", _("Give both the target value and its date, or neither."))
        return data


class MeasurementForm(forms.Form):
    value = forms.DecimalField(label=_("Value"), max_digits=16, decimal_places=2)
    measured_on = forms.DateField(label=_("Measured on"), widget=DATE)
    source = forms.CharField(
        label=_("Source"),
        max_length=300,
        help_text=_("Where the figure comes from, e.g. “the rota system, week 12”."),
    )


class MeasurementWithCommentForm(MeasurementForm):
    comment = forms.CharField(label=_("Comment"), widget=TEXTAREA, required=False)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=GainStatus.choices)
    deviation = forms.CharField(
        label=_("Explanation of the deviation"),
        widget=TEXTAREA,
        required=False,
        help_text=_("Required when the gain is not realised. Shown on the public page."),
    )

    def clean(self):
        data = super().clean()
        if data.get("status") == GainStatus.NOT_REALISED and not data.get("deviation", "").strip():
            self.add_error("deviation", _("Explain why the gain is not realised (the deviation)."))
        return data

"""The library's filter form: filters live in the address, by slug, so every list can be
linked to. An unknown value is left out (the choice is invalid), the others still apply."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from challenges.models import Theme
from gains.models import GainType
from portal.models import Municipality
from solutions.models import SolutionKind
from solutions.selectors import REUSED_AT_LEAST, SIZES, SORTS, LibraryFilters


class LibraryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search the library"), max_length=200, required=False)
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    kind = forms.ChoiceField(label=_("Kind of solution"), required=False)
    municipality = forms.ChoiceField(label=_("Municipality"), required=False)
    size = forms.ChoiceField(label=_("Size of municipality"), required=False)
    gain_type = forms.ChoiceField(label=_("Realised gains"), required=False)
    reused = forms.TypedChoiceField(label=_("Reused"), coerce=int, required=False, empty_value=0)
    sort = forms.ChoiceField(label=_("Sort by"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        every = [("", _("All"))]
        self.fields["theme"].choices = every + [
            (theme.slug, theme.display_name)
            for theme in Theme.objects.order_by("sort_order", "name")
        ]
        self.fields["kind"].choices = every + list(SolutionKind.choices)
        self.fields["municipality"].choices = every + list(
            Municipality.objects.filter(is_active=True).order_by("name").values_list("slug", "name")
        )
        self.fields["size"].choices = every + [(slug, label) for slug, label, *_ in SIZES]
        self.fields["gain_type"].choices = [("", _("Any or none"))] + list(GainType.choices)
        self.fields["reused"].choices = [("", _("Any"))] + [
            (str(n), _("At least %(n)s times") % {"n": n} if n > 1 else _("At least once"))
            for n in REUSED_AT_LEAST
        ]
        self.fields["sort"].choices = list(SORTS.items())

    def filters(self) -> LibraryFilters:
        """The valid filters; an invalid one is dropped, the rest still apply."""
        self.is_valid()
        data = {
            name: value
            for name, value in self.cleaned_data.items()
            if value not in (None, "") and name not in self.errors
        }
        return LibraryFilters(**data)

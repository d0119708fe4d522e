"""Model and form fields for Norwegian identifiers."""

from typing import Any

from django import forms
from django.db import models

from portal.validators import normalise_organisation_number, validate_organisation_number


class OrganisationNumberFormField(forms.CharField):
    """Accepts the number as people write it ("974 760 673") and stores nine digits."""

    default_validators = [validate_organisation_number]

    def __init__(self, **kwargs: Any) -> None:
        kwargs.pop("max_length", None)
        kwargs.setdefault("max_length", 15)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        value = super().to_python(value)
        return normalise_organisation_number(value) if value else value

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "numeric", "autocomplete": "off"})
        return attrs


class OrganisationNumberField(models.CharField):
    default_validators = [validate_organisation_number]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["max_length"] = 9
        super().__init__(*args, **kwargs)

    def deconstruct(self):  # type: ignore[no-untyped-def]
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("max_length", None)
        return name, path, args, kwargs

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        return normalise_organisation_number(value) if isinstance(value, str) else value

    def formfield(self, **kwargs: Any) -> forms.Field:
        kwargs.setdefault("form_class", OrganisationNumberFormField)
        return super().formfield(**kwargs)

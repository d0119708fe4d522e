"""Row ids that come from outside (URLs, query strings, forms), checked before any query.

A number beyond what an integer column holds never reaches a lookup safely: SQLite's
driver raises OverflowError and PostgreSQL raises DataError, and Django's own guard
against that covers plain integer fields only, not the ids of related rows (a page's
or a comment's id is the id of its parent row) or `__in` lookups. Every id people can
type is therefore read here: a path converter for URLs, and form fields for choices.
An id that cannot exist is "not found" or a form error, like any unknown id.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

# Ids are positive and at most the largest bigint (PostgreSQL's and SQLite's limit).
MAX_ID = 2**63 - 1
_DIGITS = re.compile(r"[0-9]{1,19}")


def parse_id(value: Any) -> int | None:
    """`value` as a row id if it can be one, else None (no exceptions)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    else:
        text = str(value).strip()
        if not _DIGITS.fullmatch(text):
            return None
        number = int(text)
    return number if 1 <= number <= MAX_ID else None


class IdConverter:
    """`<id:name>` in URL patterns: a row id, or no match (so 404)."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = parse_id(value)
        if number is None:
            raise ValueError(value)  # Django treats this as "no match"
        return number

    def to_url(self, value: int) -> str:
        if parse_id(value) is None:
            raise ValueError(value)
        return str(value)


def _chosen_by_id(field: forms.ModelChoiceField) -> bool:
    """Whether the field's values are integer ids (the primary key, or a page's, which is
    the id of the row it extends)."""
    opts = field.queryset.model._meta
    target = opts.get_field(field.to_field_name) if field.to_field_name else opts.pk
    while target.is_relation:
        target = target.target_field
    return isinstance(target, models.IntegerField)


class IdModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField whose choices are rows by id: an impossible id is an
    invalid choice, without asking the database."""

    def to_python(self, value: Any) -> Any:
        if (
            value not in self.empty_values
            and not isinstance(value, models.Model)
            and parse_id(value) is None
            and _chosen_by_id(self)
        ):
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return super().to_python(value)


class IdModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField that refuses impossible ids before its `__in` query."""

    def clean(self, value: Any) -> Any:
        if isinstance(value, (list, tuple)) and _chosen_by_id(self):
            for pk in value:
                if not isinstance(pk, models.Model) and parse_id(pk) is None:
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": pk},
                    )
        return super().clean(value)


def id_formfield(db_field: models.Field, **kwargs: Any) -> forms.Field | None:
    """`db_field.formfield()`, with relations chosen through the fields above.

    For forms built from models, such as the admin's create and edit views
    (`IdChoicesMixin`).
    """
    if isinstance(db_field, models.ForeignKey):
        kwargs.setdefault("form_class", IdModelChoiceField)
    elif isinstance(db_field, models.ManyToManyField):
        kwargs.setdefault("form_class", IdModelMultipleChoiceField)
    return db_field.formfield(**kwargs)


class IdChoicesMixin:
    """For a Wagtail ModelViewSet: its forms refuse impossible ids of related rows."""

    def formfield_for_dbfield(self, db_field: models.Field, **kwargs: Any) -> forms.Field | None:
        return id_formfield(db_field, **kwargs)

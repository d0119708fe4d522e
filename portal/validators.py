"""Validators for Norwegian identifiers.

The organisation number's mod-11 check comes from python-stdnum (`stdnum.no.orgnr`), a
maintained library of identifier checks; here we only add the clear, translated messages.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_exceptions
from stdnum.no import orgnr


def normalise_organisation_number(value: str) -> str:
    """Strip the spaces and dots people type between digit groups ("974 760 673")."""
    return orgnr.compact("".join(ch for ch in str(value) if ch not in ".\u00a0"))


def organisation_number_check_digit(first_eight: str) -> int | None:
    """The check digit for eight digits, or None when no digit can make them valid.

    For making valid numbers (demo and test data); validation uses `orgnr.validate`.
    """
    check = -orgnr.checksum(first_eight + "0") % 11
    return None if check == 10 else check


def validate_organisation_number(value: str) -> None:
    number = normalise_organisation_number(value)
    try:
        orgnr.validate(number)
    except (stdnum_exceptions.InvalidLength, stdnum_exceptions.InvalidFormat):
        raise ValidationError(
            _("An organisation number has exactly nine digits."), code="organisation_number_length"
        ) from None
    except stdnum_exceptions.InvalidChecksum:
        raise ValidationError(
            _(
                "%(number)s is not a valid organisation number: the check digit does not "
                "match. Check the number in the Brønnøysund Register Centre."
            ),
            code="organisation_number_checksum",
            params={"number": number},
        ) from None


def validate_municipality_number(value: str) -> None:
    """A kommunenummer is four digits, the first two the county's ("4601" Bergen)."""
    if not (len(value) == 4 and value.isascii() and value.isdigit()):
        raise ValidationError(
            _("A municipality number (kommunenummer) has exactly four digits, like 4601."),
            code="municipality_number_format",
        )

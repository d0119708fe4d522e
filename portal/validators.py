"""Validators for Norwegian identifiers."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Weights of the mod-11 check for organisation numbers (Brønnøysundregistrene).
ORGANISATION_NUMBER_WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)


def normalise_organisation_number(value: str) -> str:
    """Strip the spaces and dots people type between digit groups ("974 760 673")."""
    return "".join(ch for ch in str(value) if ch not in " .\u00a0")


def organisation_number_check_digit(first_eight: str) -> int | None:
    """The check digit for eight digits, or None when no digit can make them valid."""
    total = sum(int(d) * w for d, w in zip(first_eight, ORGANISATION_NUMBER_WEIGHTS, strict=True))
    remainder = total % 11
    if remainder == 0:
        return 0
    check = 11 - remainder
    return None if check == 10 else check


def validate_organisation_number(value: str) -> None:
    number = normalise_organisation_number(value)
    if len(number) != 9 or not number.isdigit():
        raise ValidationError(
            _("An organisation number has exactly nine digits."), code="organisation_number_length"
        )
    expected = organisation_number_check_digit(number[:8])
    if expected is None or expected != int(number[8]):
        raise ValidationError(
            _(
                "%(number)s is not a valid organisation number: the check digit does not "
                "match. Check the number in the Brønnøysund Register Centre."
            ),
            code="organisation_number_checksum",
            params={"number": number},
        )

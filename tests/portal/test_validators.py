import pytest
from django.core.exceptions import ValidationError

from portal.validators import normalise_organisation_number, validate_organisation_number


@pytest.mark.parametrize(
    "number",
    [
        "974760673",  # Brønnøysundregistrene
        "926583417",
        "998877660",  # remainder 0 gives check digit 0
        "974 760 673",  # as people write it
    ],
)
def test_valid_organisation_numbers_are_accepted(number):
    validate_organisation_number(number)


@pytest.mark.parametrize("number", ["974760674", "926583418", "998877661"])
def test_wrong_check_digit_is_rejected_with_a_clear_message(number):
    with pytest.raises(ValidationError) as excinfo:
        validate_organisation_number(number)
    assert excinfo.value.code == "organisation_number_checksum"
    assert "kontrollsifferet stemmer ikke" in excinfo.value.messages[0]
    assert number in excinfo.value.messages[0]


def test_numbers_whose_check_digit_would_be_ten_are_never_valid():
    # 91234567 gives 11 - remainder == 10: no ninth digit makes it valid.
    for last in range(10):
        with pytest.raises(ValidationError):
            validate_organisation_number(f"91234567{last}")


@pytest.mark.parametrize("number", ["12345678", "1234567890", "97476067X", ""])
def test_wrong_length_or_characters_are_rejected(number):
    with pytest.raises(ValidationError) as excinfo:
        validate_organisation_number(number)
    assert excinfo.value.code == "organisation_number_length"


def test_normalise_removes_grouping():
    assert normalise_organisation_number("974 760 673") == "974760673"
    assert normalise_organisation_number("974.760.673") == "974760673"

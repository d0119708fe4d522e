import pytest

from search import text


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        # Snowball's own Norwegian test vocabulary: the "erte"/"ert" rule and the s-rule.
        ("nominerte", "nominer"),
        ("reviderte", "revider"),
        ("tvers", "tvers"),
        ("barnehagen", "barnehag"),
        ("barnehager", "barnehag"),
    ],
)
def test_words_are_stemmed_as_snowball_norwegian_does(word, expected):
    assert text.stem(word) == expected


def test_inflected_forms_find_each_other_and_stop_words_are_dropped():
    assert text.terms("Barnehagen og barnehager") == ["barnehag", "barnehag"]

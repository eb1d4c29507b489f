import pytest

from mhsip.cli.tabular import InputError, is_suppressed, parse_count, parse_denominator


@pytest.mark.parametrize("text", ["", "  ", "*", "[c]", "[C]", "[x]", "[low]", "..", None])
def test_suppression_markers(text):
    assert is_suppressed(text)
    assert parse_count(text, "here").value is None


@pytest.mark.parametrize("text", ["0", "-", "n/a", "5"])
def test_other_cells_are_not_markers(text):
    assert not is_suppressed(text)


def test_counts_allow_thousands_separators_and_whitespace():
    assert parse_count(" 31,735 ", "here").value == 31735
    assert parse_denominator("1,075.5", "here").value == 1075.5


def test_a_dash_is_not_silently_taken_as_zero_or_suppressed():
    with pytest.raises(InputError, match="'-' is not a number"):
        parse_count("-", "here")

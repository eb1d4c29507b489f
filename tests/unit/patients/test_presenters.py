import pytest

from mhsip.patients.presenters import age_band


@pytest.mark.parametrize(
    ("age", "band"),
    [
        (None, "Not known"),
        (12, "Under 18"),
        (17, "Under 18"),
        (18, "18 to 24"),
        (34, "25 to 34"),
        (64, "55 to 64"),
        (65, "65 or over"),
        (101, "65 or over"),
    ],
)
def test_age_band(age, band):
    assert age_band(age) == band

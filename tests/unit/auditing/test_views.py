import pytest
from django.core.paginator import Paginator

from mhsip.auditing.views import _csv_safe, page_numbers


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (1, [1, 2, 3, None, 10]),
        (5, [1, None, 3, 4, 5, 6, 7, None, 10]),
        (10, [1, None, 8, 9, 10]),
    ],
)
def test_page_numbers_show_the_ends_and_the_neighbourhood(number, expected):
    page = Paginator(range(100), 10).page(number)

    assert page_numbers(page) == expected


def test_page_numbers_of_a_single_page():
    assert page_numbers(Paginator(range(3), 10).page(1)) == [1]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("=1+1", "'=1+1"), ("+44", "'+44"), ("@SUM(A1)", "'@SUM(A1)"), ("UOF-000001", "UOF-000001")],
)
def test_csv_cells_never_start_a_formula(value, expected):
    assert _csv_safe(value) == expected


def test_csv_cell_of_none_is_empty():
    assert _csv_safe(None) == ""

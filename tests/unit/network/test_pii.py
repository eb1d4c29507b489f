"""The PII checker finds what may identify a patient and leaves the ordinary words of an
improvement story alone."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mhsip.network.pii import (
    alias_candidates,
    find_identifying,
    highlight,
    identifier_candidates,
    nhs_number_valid,
)

# NHS numbers from the NHS Data Dictionary's check-digit rule (943 476 5919 is NHS England's
# published example of a valid number).
VALID_NHS_NUMBERS = ["9434765919", "4010232137"]


def kinds(text, **kwargs):
    return [(f.kind, f.text) for f in find_identifying(text, **kwargs)]


@pytest.mark.parametrize("number", VALID_NHS_NUMBERS)
def test_nhs_number_valid_with_correct_check_digit(number):
    assert nhs_number_valid(number)


@pytest.mark.parametrize("number", ["9434765918", "1234567890", "123456789", "abcdefghij"])
def test_nhs_number_valid_refuses_wrong_check_digit_or_shape(number):
    assert not nhs_number_valid(number)


def test_nhs_number_valid_refuses_check_digit_ten():
    # Nine digits whose check digit would be 10 start no valid NHS number at all.
    def check(nine):
        total = sum(int(d) * w for d, w in zip(nine, range(10, 1, -1), strict=True))
        return 11 - total % 11

    nine = next(f"{n:09d}" for n in range(1000) if check(f"{n:09d}") == 10)
    assert not any(nhs_number_valid(nine + str(d)) for d in range(10))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("NHS number 943 476 5919 on the form", [("nhs_number", "943 476 5919")]),
        ("9434765919", [("nhs_number", "9434765919")]),
        ("943-476-5919", [("nhs_number", "943-476-5919")]),
        ("ref 9434765918 said", [("long_number", "9434765918")]),
        ("12345678", [("long_number", "12345678")]),
        ("DOB 12/03/1990", [("date_of_birth", "12/03/1990")]),
        ("D.O.B. 1990-03-12", [("date_of_birth", "1990-03-12")]),
        ("born on 3rd April 1988 in Leeds", [("date_of_birth", "3rd April 1988")]),
        ("She was born in 1987.", [("date_of_birth", "1987")]),
        ("It was her birthday on 14 June", [("date_of_birth", "14 June")]),
        ("date of birth: April 3, 1990", [("date_of_birth", "April 3, 1990")]),
        ("Mr Smith was upset", [("name", "Mr Smith")]),
        ("Dr. Jones came to the ward", [("name", "Dr. Jones")]),
        ("Mrs Mary Patel, our manager", [("name", "Mrs Mary Patel")]),
        ("patient John refused", [("name", "patient John")]),
        ("Patients Anna and Ben", [("name", "Patients Anna")]),
        ("a young man called Tom", [("name", "man called Tom")]),
        ("See UOF-000123 for detail", [("record_reference", "UOF-000123")]),
        ("MRN 1234567", [("local_identifier", "1234567")]),
        ("hospital number: RX4-123456", [("local_identifier", "RX4-123456")]),
        ("RX41234567 in notes", [("local_identifier", "RX41234567")]),
        (
            "aged 34 on 3 March 2025 he",
            [("age_with_date", "aged 34"), ("age_with_date", "3 March 2025")],
        ),  # fmt: skip
        (
            "A 17-year-old was restrained on 12/02/2024.",
            [("age_with_date", "17-year-old"), ("age_with_date", "12/02/2024")],
        ),  # fmt: skip
        ("In bed 4 on 3 March", [("bed_with_date", "bed 4"), ("bed_with_date", "3 March")]),
        (
            "room 12 on 1st May 2024 was",
            [("bed_with_date", "room 12"), ("bed_with_date", "1st May 2024")],
        ),  # fmt: skip
        ("lives at LS1 4AB", [("postcode", "LS1 4AB")]),
        ("from SW1A 1AA", [("postcode", "SW1A 1AA")]),
        ("call 07700 900123", [("phone_number", "07700 900123")]),
        ("ring 0113 496 0000 today", [("phone_number", "0113 496 0000")]),
        ("ring (0113) 496 0000 today", [("phone_number", "(0113) 496 0000")]),
        ("+44 7700 900123", [("phone_number", "+44 7700 900123")]),
        ("mail jo.bloggs@nhs.net", [("email", "jo.bloggs@nhs.net")]),
    ],
)
def test_find_identifying_flags(text, expected):
    assert kinds(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "We tested soft words from 3 March 2025 to 17 March 2025.",
        "The rate fell from 26 to 17 per 1,000 occupied bed days.",
        "We had 1,000,000 bed days across the trust.",
        "A 25% reduction by April 2026.",
        "The Patient Safety Collaborative helped us.",
        "Patients and carers co-designed the evening playlist.",
        "We spoke to the patient. Then the team met.",
        "Patient experience surveys improved.",
        "In 2023 we started, and in 2024 we adopted it.",
        "A patient aged 34 helped design the poster.",
        "Bed 4 was moved nearer the nurses' station.",
        "Room 12 became the quiet room.",
        "PDSA cycle 2 of 3 began on 3 March.",
        "Safewards has been used since 2019.",
        "Soft Words and Talk Down were the first Safewards interventions we tried.",
        "Seclusion fell to 5 hours a month.",
        "We met fortnightly on Tuesdays at 14:30.",
        "",
    ],
)
def test_find_identifying_leaves_ordinary_words(text):
    assert kinds(text) == []


def test_find_identifying_matches_known_identifiers_whatever_their_case():
    found = kinds("Ashbury 3f2 settled later", known_identifiers=["Ashbury 3F2"])
    assert found == [("known_identifier", "Ashbury 3f2")]


def test_find_identifying_ignores_blank_known_identifiers():
    assert kinds("Nothing here", known_identifiers=["", "  "]) == []


def test_find_identifying_keeps_the_more_specific_of_overlapping_findings():
    # The number is both "long" and a valid NHS number: the reason given is the NHS number.
    (finding,) = find_identifying("NHS no 9434765919")
    assert finding.kind == "nhs_number"
    assert "NHS number" in finding.reason


def test_find_identifying_gives_positions_of_the_words():
    text = "Then Mr Smith left"
    (finding,) = find_identifying(text)
    assert text[finding.start : finding.end] == "Mr Smith"


def test_highlight_cuts_text_into_marked_and_plain_pieces():
    text = "Mr Smith, DOB 01/02/1980, left"
    findings = find_identifying(text)
    pieces = highlight(text, findings)
    assert "".join(words for words, _ in pieces) == text
    assert [words for words, finding in pieces if finding] == ["Mr Smith", "01/02/1980"]


def test_identifier_candidates_are_words_with_four_or_more_digits():
    assert identifier_candidates("MRNA190417 and RX4 and abc12345, 25%") == [
        "MRNA190417",
        "abc12345",
    ]


def test_alias_candidates_are_written_as_aliases_are_stored():
    assert alias_candidates("we met ashbury 3f2 and Oakley 0A1") == ["Ashbury 3F2", "Oakley 0A1"]


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz ,.;", max_size=200))
def test_find_identifying_finds_nothing_in_lowercase_words(text):
    # Lower-case words and punctuation carry no number, title, capital or address.
    assert find_identifying(text) == []


@given(
    st.integers(min_value=0, max_value=999_999_999).map(lambda n: f"{n:09d}"),
    st.sampled_from(["", " ", "-"]),
)
def test_find_identifying_finds_every_valid_nhs_number(nine, joiner):
    total = sum(int(d) * w for d, w in zip(nine, range(10, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    if check == 10:
        return
    digits = nine + str(check)
    written = joiner.join([digits[:3], digits[3:6], digits[6:]])
    found = find_identifying(f"The number {written} was read out")
    assert [(f.kind, f.text) for f in found] == [("nhs_number", written)]

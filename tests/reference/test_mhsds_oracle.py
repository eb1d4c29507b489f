"""The MHSDS oracle against figures worked by hand, one rule or quirk of mhsds.md at a time.

Each test writes a tiny extract inline and works its figures in comments. Months: 1478 = May
2023 (31 days), 1479 = June 2023 (30 days). Provider RX1 unless said otherwise.
"""

from __future__ import annotations

import pytest

from tests.factories.mhsds_extracts import HandExtract, HandFile, generate_extract
from tests.reference.mhsds_oracle import month_of, oracle_figures, read_table

MAY, JUNE = 1478, 1479
PERIOD = {MAY: "2023-05", JUNE: "2023-06", 1483: "2023-10", 1484: "2023-11"}


def value(figures, measure, month=MAY, organisation="RX1", level="provider"):
    return figures[(level, organisation, PERIOD[month], measure)]["value"]


def figure(figures, measure, month=MAY, organisation="RX1", level="provider"):
    return figures[(level, organisation, PERIOD[month], measure)]


# --------------------------------------------------------------------------------------------
# §3 bed days
# --------------------------------------------------------------------------------------------


def test_spell_bed_days_clamp_start_use_inactive_then_discharge_and_do_not_cap_the_end(tmp_path):
    extract = HandExtract()
    (
        extract.file(101, MAY)
        # Open since April: 1 May to 1 June = 31 days.
        .spell("S1", "P1", "2023-04-20")
        # 10 to 20 May = 10 days.
        .spell("S2", "P2", "2023-05-10", "2023-05-20")
        # In and out on 5 May = 0 days.
        .spell("S3", "P3", "2023-05-05", "2023-05-05")
        # InactTimeHPS wins over the blank discharge: 1 to 25 May = 24 days.
        .spell("S4", "P4", "2023-04-01", None, inactive="2023-05-25")
        # (quirk) a discharge date after the month is not capped: 20 May to 10 June = 21 days.
        .spell("S5", "P5", "2023-05-20", "2023-06-10")
        # InactTimeHPS wins over a discharge date too: 2 to 4 May = 2 days.
        .spell("S6", "P6", "2023-05-02", "2023-05-30", inactive="2023-05-04")
        .restraint("I1", "S1", "P1", "2023-05-03 10:00", "2023-05-03 10:05")
    )
    figures = oracle_figures(extract.write(tmp_path / "extract"))
    # MHSXX = 31 + 10 + 0 + 24 + 21 + 2 = 88; MHS96 = 1 / 88 x 1000.
    assert figure(figures, "MHS96") == {
        "numerator": 1,
        "denominator": 88,
        "value": pytest.approx(1000 / 88),
    }


def test_ward_stay_bed_days_by_ward_need_a_spell_in_the_file(tmp_path):
    extract = HandExtract()
    (
        extract.file(101, MAY)
        .spell("S1", "P1", "2023-04-20")
        # Oak: 1 to 10 May = 9 days; Elm: 10 May to 1 June = 22 days (the transfer day counts
        # for both: dates only).
        .stay("W1", "S1", "P1", "OAK", "2023-04-20 09:00", "2023-05-10 14:00")
        .stay("W2", "S1", "P1", "ELM", "2023-05-10 14:00")
        # InactTimeWS ends a stay for bed days: Elm 3 to 6 May = 3 days.
        .spell("S2", "P2", "2023-05-03")
        .stay("W3", "S2", "P2", "ELM", "2023-05-03 08:00", inactive="2023-05-06")
        # A stay whose spell is not in the file is left out of MHSXXa: Oak + 0.
        .stay("W4", "S9", "P9", "OAK", "2023-05-01 08:00")
        .restraint("I1", "S1", "P1", "2023-05-02 10:00", "2023-05-02 10:05")
        .restraint("I2", "S1", "P1", "2023-05-12 10:00", "2023-05-12 10:05")
    )
    figures = oracle_figures(extract.write(tmp_path / "extract"))
    assert figure(figures, "MHS117", organisation="OAK", level="ward") == {
        "numerator": 1,
        "denominator": 9,
        "value": pytest.approx(1000 / 9),
    }
    assert figure(figures, "MHS117", organisation="ELM", level="ward") == {
        "numerator": 1,
        "denominator": 25,
        "value": pytest.approx(1000 / 25),
    }


# --------------------------------------------------------------------------------------------
# §1 submissions
# --------------------------------------------------------------------------------------------


def test_highest_primary_or_refresh_replaces_the_whole_file_and_file_type_3_is_ignored(tmp_path):
    extract = HandExtract()
    # The Primary has two restraints...
    (
        extract.file(101, MAY, file_type=1)
        .spell("S1", "P1", "2023-05-01")
        .restraint("I1", "S1", "P1", "2023-05-02 10:00", "2023-05-02 10:05")
        .restraint("I2", "S1", "P1", "2023-05-03 10:00", "2023-05-03 10:05")
    )
    # ...the Refresh (higher ID) only one: the whole file replaces it, records not merged.
    (
        extract.file(105, MAY, file_type=2)
        .spell("S1", "P1", "2023-05-01")
        .restraint("I3", "S1", "P1", "2023-05-04 10:00", "2023-05-04 10:05")
    )
    # A FileType 3 with an even higher ID is ignored.
    (
        extract.file(109, MAY, file_type=3)
        .spell("S1", "P1", "2023-05-01")
        .restraint("I4", "S1", "P1", "2023-05-05 10:00", "2023-05-05 10:05")
        .restraint("I5", "S1", "P1", "2023-05-06 10:00", "2023-05-06 10:05")
        .restraint("I6", "S1", "P1", "2023-05-07 10:00", "2023-05-07 10:05")
    )
    # June's Primary of another provider does not disturb May's RX1.
    extract.file(103, JUNE, provider="RX2").spell("S8", "P8", "2023-06-01")
    figures = oracle_figures(extract.write(tmp_path / "extract"))
    assert value(figures, "MHS77") == 1
    assert value(figures, "MHS77", JUNE, "RX2") == 0
    assert ("provider", "RX1", "2023-06", "MHS77") not in figures


def test_a_second_primary_with_a_higher_id_replaces_the_first(tmp_path):
    extract = HandExtract()
    extract.file(101, MAY).spell("S1", "P1", "2023-05-01")
    (
        extract.file(102, MAY)
        .spell("S1", "P1", "2023-05-01")
        .restraint("I1", "S1", "P1", "2023-05-02 10:00", "2023-05-02 10:05")
    )
    assert value(oracle_figures(extract.write(tmp_path / "extract")), "MHS77") == 1


def test_rows_of_a_submission_id_not_in_the_header_are_not_counted(tmp_path):
    extract = HandExtract()
    extract.file(101, MAY).spell("S1", "P1", "2023-05-01")
    orphan = HandFile(extract, 999, MAY, "RX1")
    orphan.spell("S1", "P1", "2023-05-01").restraint("I1", "S1", "P1", "2023-05-02 10:00")
    assert value(oracle_figures(extract.write(tmp_path / "extract")), "MHS77") == 0


# --------------------------------------------------------------------------------------------
# §4 which interventions count
# --------------------------------------------------------------------------------------------


def test_spanning_and_open_interventions_count_in_every_month_sent_and_late_ones_never(tmp_path):
    extract = HandExtract()
    may = extract.file(101, MAY).spell("S1", "P1", "2023-04-01")
    # A: 31 May 23:00 to 1 June 01:00, sent open in May: counts in May...
    may.restraint("A", "S1", "P1", "2023-05-31 23:00", code="05")
    # B: open segregation since April: counts in May (no end date)...
    may.restraint("B", "S1", "P1", "2023-04-20 10:00", code="06")
    june = extract.file(102, JUNE).spell("S1", "P1", "2023-04-01")
    # ...and A counts in June too, now with its end date (end date in June).
    june.restraint("A", "S1", "P1", "2023-05-31 23:00", "2023-06-01 01:00", code="05")
    # (quirk) B, now closed on 2 July, started before June and ended after it: dropped.
    june.restraint("B", "S1", "P1", "2023-04-20 10:00", "2023-07-02 10:00", code="06")
    # C took place in May but was first sent in June's file: never counted.
    june.restraint("C", "S1", "P1", "2023-05-15 10:00", "2023-05-15 10:10")
    figures = oracle_figures(extract.write(tmp_path / "extract"))
    assert value(figures, "MHS77", MAY) == 2  # A, B
    assert value(figures, "MHS77", JUNE) == 1  # A


def test_a_type_counts_on_its_own_dates_joined_to_a_kept_incident_of_a_spell_in_the_file(tmp_path):
    extract = HandExtract()
    f = extract.file(101, MAY).spell("S1", "P1", "2023-04-01")
    # Incident kept (starts in May); its second type ended in April: that type is not kept.
    f.restraint("I1", "S1", "P1", "2023-05-01 00:10", "2023-05-01 00:20")
    f.kind("I1T2", "I1", "S1", "P1", "2023-04-30 23:00", "2023-04-30 23:50", code="14")
    # A type whose incident row is missing: not counted.
    f.kind("X1", "I9", "S1", "P1", "2023-05-05 10:00", "2023-05-05 10:10")
    # A type whose incident belongs to another person: not counted (join on Person_ID).
    f.restraint("I2", "S1", "P1", "2023-05-06 10:00", "2023-05-06 10:10")
    f.kind("X2", "I2", "S1", "P7", "2023-05-06 10:00", "2023-05-06 10:10")
    # An incident whose spell is not in the file: its type is not counted.
    f.restraint("I3", "S9", "P1", "2023-05-07 10:00", "2023-05-07 10:10")
    # An incident that ended in April: not kept, so its May type is not counted either.
    f.restraint("I4", "S1", "P1", "2023-04-28 10:00", "2023-04-29 10:00")
    f.kind("X4", "I4", "S1", "P1", "2023-05-01 09:00", "2023-05-01 09:10")
    figures = oracle_figures(extract.write(tmp_path / "extract"))
    # Counted: (I1, I1T), (I2, I2T).
    assert value(figures, "MHS77") == 2
    assert value(figures, "MHS136") == 2


def test_the_unit_is_the_incident_type_pair_and_unknown_codes_still_count(tmp_path):
    extract = HandExtract()
    f = extract.file(101, MAY).spell("S1", "P1", "2023-05-01").spell("S2", "P2", "2023-05-01")
    f.restraint("I1", "S1", "P1", "2023-05-02 10:00", "2023-05-02 10:05")
    # The same pair sent twice: counted once.
    f.kind("I1T", "I1", "S1", "P1", "2023-05-02 10:00", "2023-05-02 10:05")
    # A second type of I1, with a code not in RestrictiveIntTypeDim: "UNKNOWN", still counts.
    f.kind("I1U", "I1", "S1", "P1", "2023-05-02 10:01", "2023-05-02 10:02", code="99")
    # The same type ID under another incident is another pair.
    f.restraint("I2", "S2", "P2", "2023-05-03 10:00", "2023-05-03 10:05", type_id="I1T")
    figures = oracle_figures(extract.write(tmp_path / "extract"))
    assert value(figures, "MHS77") == 3  # (I1,I1T), (I1,I1U), (I2,I1T)
    assert value(figures, "MHS136") == 2
    assert value(figures, "MHS76") == 2


def test_counts_are_zero_not_missing_when_a_file_has_no_interventions(tmp_path):
    extract = HandExtract()
    extract.file(101, MAY).spell("S1", "P1", "2023-05-01").stay(
        "W1", "S1", "P1", "OAK", "2023-05-01 10:00"
    )
    figures = oracle_figures(extract.write(tmp_path / "extract"))
    assert value(figures, "MHS77") == 0
    assert value(figures, "MHS76") == 0
    assert value(figures, "MHS77", level="ward", organisation="OAK") == 0
    # Rates only when there is something to count.
    assert ("provider", "RX1", "2023-05", "MHS96") not in figures
    assert ("provider", "RX1", "2023-05", "MHS97") not in figures
    assert ("ward", "OAK", "2023-05", "MHS117") not in figures


# --------------------------------------------------------------------------------------------
# §6 people in hospital (MHS97)
# --------------------------------------------------------------------------------------------


def test_people_in_hospital_need_a_referral_in_the_same_file(tmp_path):
    extract = HandExtract()
    (
        extract.file(101, MAY)
        .spell("S1", "P1", "2023-05-01")
        # Discharged and same-day patients are in hospital.
        .spell("S2", "P2", "2023-05-03", "2023-05-09")
        .spell("S3", "P3", "2023-05-04", "2023-05-04")
        # Two spells of one person: one person.
        .spell("S4", "P3", "2023-05-20")
        # No referral row: not counted.
        .spell("S5", "P5", "2023-05-01", referral=False)
        .restraint("I1", "S1", "P1", "2023-05-02 10:00", "2023-05-02 10:05")
        # P5 is restrained but not "in hospital": still in the numerator.
        .restraint("I2", "S5", "P5", "2023-05-02 11:00", "2023-05-02 11:05")
    )
    # A referral in another provider's file does not count for RX1.
    extract.file(102, MAY, provider="RX2").spell("S5", "P5", "2023-05-01")
    figures = oracle_figures(extract.write(tmp_path / "extract"))
    # MHS97 = 2 people restrained / 3 people in hospital (P1, P2, P3) x 100.
    assert figure(figures, "MHS97") == {
        "numerator": 2,
        "denominator": 3,
        "value": pytest.approx(200 / 3),
    }


# --------------------------------------------------------------------------------------------
# §5 linking a type to a ward stay
# --------------------------------------------------------------------------------------------


def test_a_restraint_at_the_moment_of_transfer_goes_to_the_stay_being_left(tmp_path):
    extract = HandExtract()
    (
        extract.file(101, MAY)
        .spell("S1", "P1", "2023-05-01")
        .stay("W1", "S1", "P1", "OAK", "2023-05-01 09:00", "2023-05-10 14:00")
        .stay("W2", "S1", "P1", "ELM", "2023-05-10 14:00")
        # Starts at 14:00 on the transfer: overlaps both; Oak's stay ends first, so rank 1.
        .restraint("I1", "S1", "P1", "2023-05-10 14:00", "2023-05-10 14:20")
        # An hour later: only Elm.
        .restraint("I2", "S1", "P1", "2023-05-10 15:00", "2023-05-10 15:20")
    )
    figures = oracle_figures(extract.write(tmp_path / "extract"))
    assert value(figures, "MHS77", level="ward", organisation="OAK") == 1
    assert value(figures, "MHS77", level="ward", organisation="ELM") == 1
    assert value(figures, "MHS136", level="ward", organisation="OAK") == 1


def test_a_restraint_on_the_1st_before_the_admission_time_has_no_ward(tmp_path):
    extract = HandExtract()
    (
        extract.file(102, JUNE)
        .spell("S1", "P1", "2023-05-20")
        # Admitted 20 May at 15:00; clamped to 1 June 15:00 (quirk).
        .stay("W1", "S1", "P1", "OAK", "2023-05-20 15:00")
        # Restrained 1 June 09:00-09:20: before the clamped start, no overlap, no ward.
        .restraint("I1", "S1", "P1", "2023-06-01 09:00", "2023-06-01 09:20")
        # The same on 2 June is on Oak.
        .restraint("I2", "S1", "P1", "2023-06-02 09:00", "2023-06-02 09:20")
    )
    figures = oracle_figures(extract.write(tmp_path / "extract"))
    assert value(figures, "MHS77", JUNE) == 2  # the provider counts both
    assert value(figures, "MHS77", JUNE, level="ward", organisation="OAK") == 1
    # MHS117 on Oak: 1 / (1 June to 1 July = 30 days) x 1000.
    assert value(figures, "MHS117", JUNE, level="ward", organisation="OAK") == pytest.approx(
        1000 / 30
    )


def test_blank_times_are_midnight_and_open_ends_the_day_after_the_month(tmp_path):
    extract = HandExtract()
    f = (
        extract.file(101, MAY)
        .spell("S1", "P1", "2023-05-01")
        # Oak until 3 May (blank time: 00:00), then Elm from 3 May 00:00.
        .stay("W1", "S1", "P1", "OAK", "2023-05-01 09:00", "2023-05-03")
        .stay("W2", "S1", "P1", "ELM", "2023-05-03")
    )
    # Restraint on 3 May with a blank start time: 3 May 00:00, the transfer moment: Oak.
    f.restraint("I1", "S1", "P1", "2023-05-03", "2023-05-03 00:30")
    # Open restraint from 31 May 23:00: its end is 1 June 00:00; Elm only.
    f.restraint("I2", "S1", "P1", "2023-05-31 23:00")
    figures = oracle_figures(extract.write(tmp_path / "extract"))
    assert value(figures, "MHS77", level="ward", organisation="OAK") == 1
    assert value(figures, "MHS77", level="ward", organisation="ELM") == 1


def test_no_overlapping_stay_means_no_ward_and_ties_share_rank_one(tmp_path):
    extract = HandExtract()
    f = (
        extract.file(101, MAY)
        .spell("S1", "P1", "2023-05-01")
        .stay("W1", "S1", "P1", "OAK", "2023-05-01 09:00", "2023-05-05 09:00")
        # A restraint after Oak's stay ended, no later stay: "No associated Ward Stay".
        .restraint("I1", "S1", "P1", "2023-05-06 10:00", "2023-05-06 10:05")
        # Two stays with the same start and end on two wards: both rank 1, both count.
        .spell("S2", "P2", "2023-05-01")
        .stay("W2", "S2", "P2", "ASH", "2023-05-01 09:00", "2023-05-09 09:00")
        .stay("W3", "S2", "P2", "YEW", "2023-05-01 09:00", "2023-05-09 09:00")
        .restraint("I2", "S2", "P2", "2023-05-02 10:00", "2023-05-02 10:05")
    )
    # A restraint in a spell with no ward stays at all: provider only.
    f.spell("S3", "P3", "2023-05-01").restraint("I3", "S3", "P3", "2023-05-02 10:00")
    figures = oracle_figures(extract.write(tmp_path / "extract"))
    assert value(figures, "MHS77") == 3
    assert value(figures, "MHS77", level="ward", organisation="OAK") == 0
    assert value(figures, "MHS77", level="ward", organisation="ASH") == 1
    assert value(figures, "MHS77", level="ward", organisation="YEW") == 1
    assert value(figures, "MHS76", level="ward", organisation="YEW") == 1


def test_an_earlier_ending_overlapping_stay_wins_over_a_later_one(tmp_path):
    extract = HandExtract()
    (
        extract.file(101, MAY)
        .spell("S1", "P1", "2023-05-01")
        .stay("W1", "S1", "P1", "OAK", "2023-05-01 09:00", "2023-05-04 12:00")
        .stay("W2", "S1", "P1", "ELM", "2023-05-04 12:00", "2023-05-08 12:00")
        .stay("W3", "S1", "P1", "ASH", "2023-05-08 12:00")
        # Seclusion from Oak into Ash (4 May 11:00 to 9 May): overlaps all three; Oak ends first.
        .restraint("I1", "S1", "P1", "2023-05-04 11:00", "2023-05-09 10:00", code="05")
    )
    figures = oracle_figures(extract.write(tmp_path / "extract"))
    assert value(figures, "MHS77", level="ward", organisation="OAK") == 1
    assert value(figures, "MHS77", level="ward", organisation="ELM") == 0
    assert value(figures, "MHS77", level="ward", organisation="ASH") == 0


# --------------------------------------------------------------------------------------------
# §6 MHS98 / MHS99 minutes of physical restraint
# --------------------------------------------------------------------------------------------


def test_minutes_of_restraint_over_complete_physical_types_only(tmp_path):
    extract = HandExtract()
    f = (
        extract.file(102, JUNE)
        .spell("S1", "P1", "2023-05-20")
        .spell("S2", "P2", "2023-06-10", "2023-06-12")
    )
    # Complete: 10 minutes and 30 minutes.
    f.restraint("A", "S1", "P1", "2023-06-02 10:00", "2023-06-02 10:10")
    f.restraint("B", "S1", "P1", "2023-06-03 10:00", "2023-06-03 10:30", code="09")
    # Complete, and the time before the month counts: 30 May 22:00 to 2 June 02:00 = 3,120 min.
    f.restraint("C", "S1", "P1", "2023-05-30 22:00", "2023-06-02 02:00", code="13")
    # Not physical restraint: seclusion, rapid tranquillisation.
    f.restraint("D", "S1", "P1", "2023-06-04 10:00", "2023-06-04 16:00", code="05")
    f.restraint("E", "S1", "P1", "2023-06-05 10:00", "2023-06-05 10:01", code="14")
    # Not complete: no end (open), a blank end time, an end after the month.
    f.restraint("F", "S1", "P1", "2023-06-30 23:00")
    f.restraint("G", "S1", "P1", "2023-06-06 10:00", "2023-06-06")
    f.restraint("H", "S1", "P1", "2023-06-30 23:30", "2023-07-01 00:10")
    # Not complete: same clamped day, start time not before end time.
    f.restraint("J", "S1", "P1", "2023-06-07 10:00", "2023-06-07 10:00")
    # Not complete: starts the day before its spell; ends the day after the discharge.
    f.restraint("K", "S2", "P2", "2023-06-09 10:00", "2023-06-10 10:00")
    f.restraint("L", "S2", "P2", "2023-06-12 23:00", "2023-06-13 00:30")
    figures = oracle_figures(extract.write(tmp_path / "extract"))
    # Mean of 10, 30, 3120 = 1053.33...; max 3120.
    assert value(figures, "MHS98", JUNE) == pytest.approx((10 + 30 + 3120) / 3)
    assert value(figures, "MHS99", JUNE) == 3120
    assert value(figures, "MHS77", JUNE) == 11  # A to L, all counted


def test_the_23_52_to_00_14_restraint_is_complete_in_neither_month(tmp_path):
    extract = HandExtract()
    # May's file holds it open (it ended after the file was made): not complete in May.
    may = extract.file(101, MAY).spell("S1", "P1", "2023-05-01")
    may.restraint("A", "S1", "P1", "2023-05-31 23:52")
    may.restraint("B", "S1", "P1", "2023-05-10 10:00", "2023-05-10 10:06")
    june = extract.file(102, JUNE).spell("S1", "P1", "2023-05-01")
    # (quirk) In June the clamped start date (1 June) equals the end date and 23:52 >= 00:14.
    june.restraint("A", "S1", "P1", "2023-05-31 23:52", "2023-06-01 00:14")
    june.restraint("C", "S1", "P1", "2023-06-10 10:00", "2023-06-10 10:04")
    figures = oracle_figures(extract.write(tmp_path / "extract"))
    assert value(figures, "MHS77", MAY) == 2
    assert value(figures, "MHS77", JUNE) == 2  # counted in both months...
    assert value(figures, "MHS98", MAY) == 6  # ...but its 22 minutes in neither
    assert value(figures, "MHS98", JUNE) == 4
    assert value(figures, "MHS99", JUNE) == 4


def test_minutes_are_wall_clock_across_the_clock_change(tmp_path):
    extract = HandExtract()
    # The clocks went back at 02:00 BST on 29 October 2023: 00:30 to 02:30 wall clock is
    # 120 minutes by the clock (180 in real time); NHS Digital takes the wall clock.
    f = extract.file(106, 1483).spell("S1", "P1", "2023-10-01")
    f.restraint("A", "S1", "P1", "2023-10-29 00:30", "2023-10-29 02:30")
    assert value(oracle_figures(extract.write(tmp_path / "extract")), "MHS98", 1483) == 120


def test_duplicate_rows_of_a_pair_count_once_in_the_minutes(tmp_path):
    extract = HandExtract()
    f = extract.file(101, MAY).spell("S1", "P1", "2023-05-01")
    f.restraint("A", "S1", "P1", "2023-05-02 10:00", "2023-05-02 10:10")
    f.kind("AT", "A", "S1", "P1", "2023-05-02 10:00", "2023-05-02 10:10")
    f.restraint("B", "S1", "P1", "2023-05-03 10:00", "2023-05-03 10:40")
    # Mean over pairs: (10 + 40) / 2 = 25 (not (10 + 10 + 40) / 3).
    assert value(oracle_figures(extract.write(tmp_path / "extract")), "MHS98") == 25


# --------------------------------------------------------------------------------------------
# Measures at a glance: all of a provider-month on one small file
# --------------------------------------------------------------------------------------------


def test_every_measure_of_a_small_provider_month(tmp_path):
    extract = HandExtract()
    f = (
        extract.file(101, MAY)
        # P1: all May on Oak (31 bed days), P2: on Elm 10-20 May (10), P3 same-day (0).
        .spell("S1", "P1", "2023-04-25")
        .stay("W1", "S1", "P1", "OAK", "2023-04-25 10:00")
        .spell("S2", "P2", "2023-05-10", "2023-05-20")
        .stay("W2", "S2", "P2", "ELM", "2023-05-10 10:00", "2023-05-20 12:00")
        .spell("S3", "P3", "2023-05-05", "2023-05-05")
        .stay("W3", "S3", "P3", "ELM", "2023-05-05 10:00", "2023-05-05 18:00")
    )
    # P1: one incident with prone restraint (12 min) and rapid tranquillisation.
    f.restraint("I1", "S1", "P1", "2023-05-03 10:00", "2023-05-03 10:12")
    f.kind("I1RT", "I1", "S1", "P1", "2023-05-03 10:05", "2023-05-03 10:05", code="14")
    # P2: seated restraint, 4 minutes.
    f.restraint("I2", "S2", "P2", "2023-05-15 08:00", "2023-05-15 08:04", code="11")
    figures = oracle_figures(extract.write(tmp_path / "extract"))
    assert value(figures, "MHS76") == 2
    assert value(figures, "MHS77") == 3
    assert value(figures, "MHS136") == 2
    assert value(figures, "MHS96") == pytest.approx(3 / 41 * 1000)
    assert value(figures, "MHS97") == pytest.approx(2 / 3 * 100)
    assert value(figures, "MHS98") == 8
    assert value(figures, "MHS99") == 12
    assert value(figures, "MHS77", level="ward", organisation="OAK") == 2
    assert value(figures, "MHS117", level="ward", organisation="OAK") == pytest.approx(2000 / 31)
    assert value(figures, "MHS117", level="ward", organisation="ELM") == pytest.approx(1000 / 10)
    assert value(figures, "MHS76", level="ward", organisation="ELM") == 1


# --------------------------------------------------------------------------------------------
# The generated extracts hold every case worked above
# --------------------------------------------------------------------------------------------


def test_generated_extracts_hold_every_quirk_and_are_reproducible(tmp_path):
    parameters = {"seed": 1, "providers": 3, "months": 5, "spells_per_provider": 80}
    directory = generate_extract(tmp_path / "a", **parameters).directory
    generate_extract(tmp_path / "b", **parameters)
    for path in directory.iterdir():
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes(), path.name

    headers = read_table(directory, "MHS000Header")
    assert {h["FileType"] for h in headers} == {"1", "2", "3"}
    stays = read_table(directory, "MHS502WardStay")
    types = read_table(directory, "MHS515RestrictiveInterventType")
    incidents = read_table(directory, "MHS505RestrictiveInterventInc")
    spells = read_table(directory, "MHS501HospProvSpell")
    assert any(not s["EndDateWardStay"] for s in stays)  # open stays
    assert any(s["StartDateWardStay"] == s["EndDateWardStay"] for s in stays)  # same-day
    assert any(s["InactTimeWS"] for s in stays) and any(s["InactTimeHPS"] for s in spells)
    assert any(t["StartTimeRestrictiveIntType"] == "" for t in types)  # blank times
    assert any(
        t["StartTimeRestrictiveIntType"] == "23:52:00"
        and t["EndTimeRestrictiveIntType"] == "00:14:00"
        for t in types
    )
    pairs = [
        (t["UniqSubmissionID"], t["UniqRestrictiveIntIncID"], t["UniqRestrictiveIntTypeID"])
        for t in types
    ]
    assert len(set(pairs)) < len(pairs)  # the same pair twice in one file
    # Sent late: an incident whose dates are all before the month of the first file holding it.
    first_month = {}
    for incident in incidents:
        key = incident["UniqRestrictiveIntIncID"]
        first_month[key] = min(first_month.get(key, 9999), int(incident["UniqMonthID"]))
    assert any(
        incident["EndDateRestrictiveIntInc"]
        and incident["EndDateRestrictiveIntInc"] < month_start_text(first_month[key])
        for incident in incidents
        for key in [incident["UniqRestrictiveIntIncID"]]
    )


def month_start_text(uniq_month_id: int) -> str:
    return month_of(uniq_month_id)[0].isoformat()

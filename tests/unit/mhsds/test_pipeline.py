"""NHS Digital's counting (mhsds.md) on hand-worked extracts, quirks included. May 2023 is
UniqMonthID 1478: the month runs from 1 May to 31 May and "the day after" is 1 June."""

from datetime import date

import pytest

from mhsip.mhsds import (
    HeaderRow,
    choose_submissions,
    extract_figures,
    month_bounds,
    month_id_of,
    read_extract,
)
from tests.unit.mhsds.helpers import (
    header,
    referral,
    restraint,
    spell,
    tables_with,
    ward_stay,
    write_extract,
)


def figures_of(tmp_path, tables, submissions=None):
    extract = read_extract(write_extract(tmp_path / "x", tables, submissions=submissions))
    return extract_figures(extract)


@pytest.fixture
def may(tmp_path):
    tables = tables_with(
        spells=[
            spell("S1", "P1", "2023-04-20"),  # open: 1 May to 1 June = 31 days
            spell("S2", "P2", "2023-05-10", "2023-05-20"),  # 10 days; no referral
            spell("S3", "P3", "2023-05-31", "2023-05-31"),  # same day: 0 days
        ],
        referrals=[referral("P1"), referral("P3")],
        stays=[
            ward_stay("WS1", "S1", "P1", "W1", "2023-04-20 10:00:00", "2023-05-15 14:00:00"),
            ward_stay("WS2", "S1", "P1", "W2", "2023-05-15 14:00:00"),
            ward_stay("WS3", "S2", "P2", "W1", "2023-05-10 09:00:00", "2023-05-20 09:00:00"),
        ],
        restraints=[
            # At the moment of transfer: overlaps both stays, goes to the one being left.
            restraint(1, "S1", "P1", "01", "2023-05-15 14:00:00", "2023-05-15 14:10:00"),
            # Before the ward stay's admission time on the 1st (clamping quirk): no ward.
            restraint(2, "S1", "P1", "07", "2023-05-01 08:00:00", "2023-05-01 08:30:00"),
            # Open seclusion: counts, not complete.
            restraint(3, "S2", "P2", "05", "2023-05-12 10:00:00"),
            # Started in April, ended in May: counts, 7 days of minutes.
            restraint(4, "S1", "P1", "01", "2023-04-25 10:00:00", "2023-05-02 10:00:00"),
            # Spans the whole month with its June end already sent: dropped (quirk).
            restraint(5, "S1", "P1", "01", "2023-04-28 10:00:00", "2023-06-03 10:00:00"),
            restraint(6, "S3", "P3", "12", "2023-05-31 22:00:00", "2023-05-31 22:20:00"),
        ],
    )
    return figures_of(tmp_path, tables)[("RX4", 1478)]


def test_month_bounds_anchor_and_following_months():
    assert month_bounds(1478) == (date(2023, 5, 1), date(2023, 5, 31))
    assert month_bounds(1489) == (date(2024, 4, 1), date(2024, 4, 30))
    assert month_id_of(date(2024, 4, 17)) == 1489


def test_provider_counts_pairs_incidents_and_people(may):
    f = may.provider_figures
    assert (f.interventions, f.incidents, f.people_restrained) == (5, 5, 3)


def test_provider_bed_days_clamp_start_and_run_open_spells_to_the_day_after(may):
    assert may.provider_figures.bed_days == 31 + 10 + 0
    assert may.measures()["MHS96"] == pytest.approx(5 / 41 * 1000)


def test_people_in_hospital_need_a_referral_in_the_same_file(may):
    assert may.provider_figures.people_in_hospital == 2
    assert may.measures()["MHS97"] == pytest.approx(150.0)


def test_minutes_over_complete_physical_restraints(may):
    # 10 (transfer) + 30 (early on the 1st) + 10080 (April to May) + 20; the open seclusion
    # is neither physical nor complete.
    assert may.measures()["MHS98"] == pytest.approx((10 + 30 + 10080 + 20) / 4)
    assert may.measures()["MHS99"] == pytest.approx(10080)
    assert may.provider_figures.minutes_by_type.get("05") is None


def test_ward_link_rank_one_overlap_and_ward_stay_bed_days(may):
    w1, w2 = may.wards["W1"], may.wards["W2"]
    # W1: the transfer restraint, P2's seclusion, and the April-to-May restraint.
    assert (w1.interventions, w1.incidents, w1.people_restrained) == (3, 3, 2)
    assert w1.bed_days == 14 + 10
    assert may.ward_measures()["W1"]["MHS117"] == pytest.approx(3 / 24 * 1000)
    assert (w2.interventions, w2.bed_days) == (0, 17)


def test_restraint_over_midnight_into_the_month_is_not_complete_quirk(tmp_path):
    tables = tables_with(
        spells=[spell("S1", "P1", "2023-04-01")],
        restraints=[
            restraint(1, "S1", "P1", "01", "2023-04-30 23:52:00", "2023-05-01 00:14:00"),
        ],
    )
    f = figures_of(tmp_path, tables)[("RX4", 1478)]
    assert f.provider_figures.interventions == 1
    assert f.measures()["MHS98"] is None


def test_tied_ward_stays_share_rank_one(tmp_path):
    tables = tables_with(
        spells=[spell("S1", "P1", "2023-05-01")],
        stays=[
            ward_stay("WS1", "S1", "P1", "W1", "2023-05-01 10:00:00", "2023-05-10 10:00:00"),
            ward_stay("WS2", "S1", "P1", "W2", "2023-05-01 10:00:00", "2023-05-10 10:00:00"),
        ],
        restraints=[restraint(1, "S1", "P1", "01", "2023-05-05 10:00:00", "2023-05-05 10:05:00")],
    )
    f = figures_of(tmp_path, tables)[("RX4", 1478)]
    assert f.wards["W1"].interventions == f.wards["W2"].interventions == 1
    assert f.provider_figures.interventions == 1


def test_type_of_an_incident_not_kept_is_not_counted(tmp_path):
    r = restraint(1, "S1", "P1", "01", "2023-05-05 10:00:00", "2023-05-05 10:05:00")
    r["incident"]["StartDateRestrictiveIntInc"] = "2023-03-01"
    r["incident"]["EndDateRestrictiveIntInc"] = "2023-03-02"
    tables = tables_with(spells=[spell("S1", "P1", "2023-03-01")], restraints=[r])
    assert figures_of(tmp_path, tables)[("RX4", 1478)].provider_figures.interventions == 0


def test_submission_picker_keeps_highest_primary_or_refresh():
    chosen = choose_submissions(
        [
            HeaderRow(5, 1478, "RX4", 1),
            HeaderRow(9, 1478, "RX4", 2),
            HeaderRow(12, 1478, "RX4", 3),  # ignored: not a primary or refresh
            HeaderRow(7, 1479, "RX4", 1),
        ]
    )
    assert chosen[("RX4", 1478)].submission_id == 9
    assert chosen[("RX4", 1479)].submission_id == 7


def test_refresh_replaces_the_whole_file(tmp_path):
    r1 = restraint(1, "S1", "P1", "01", "2023-05-05 10:00:00", "2023-05-05 10:05:00")
    primary = tables_with(spells=[spell("S1", "P1", "2023-05-01")], restraints=[r1])
    figures = figures_of(
        tmp_path,
        primary,
        submissions=[header(100), header(101, file_type=2)],
    )
    # Submission 101 holds no rows, and it replaces 100 whole.
    assert figures[("RX4", 1478)].submission_id == 101
    assert figures[("RX4", 1478)].provider_figures.interventions == 0

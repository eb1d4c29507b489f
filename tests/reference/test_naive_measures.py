"""The vectorised measures against the naive month-by-month implementation, on generated data."""

import random
from datetime import date, timedelta

import numpy as np
import pytest

from mhsip.measures import RecordsData, compute_measures, load_catalogue, month_periods
from tests.reference import naive_measures as naive

FIRST, LAST = date(2023, 1, 1), date(2024, 6, 30)
WARDS = 4


def _generate(seed):
    rng = random.Random(seed)
    stays, rows, records = [], [], []
    for patient in range(60):
        ward = rng.randrange(WARDS)
        start = FIRST - timedelta(days=40) + timedelta(days=rng.randrange(600))
        length = rng.choice([0, 0, 1, 3, 15, 31, 45, 90, 200])
        end = start + timedelta(days=length) if rng.random() < 0.8 else None
        stays.append({"ward": ward, "patient": patient, "start": start, "end": end})
        for _ in range(rng.choice([0, 0, 1, 2, 5])):
            day = start + timedelta(days=rng.randrange(max(length, 1)))
            begin = naive.at(day, rng.randrange(24 * 60))
            record = len(records)
            records.append(record)
            for _ in range(rng.choice([1, 1, 2, 3])):
                kind = rng.choice(["01", "05", "11", "11", "14", "06"])
                length_minutes = rng.choice([2, 10, 45, 600, 3000])
                finish = begin + timedelta(minutes=length_minutes) if rng.random() < 0.9 else None
                rows.append(
                    {
                        "ward": ward,
                        "record": record,
                        "patient": patient,
                        "type": kind,
                        "start": begin,
                        "end": finish,
                    }
                )
    return stays, rows, records


def _arrays(stays, rows, records):
    def dates(values, unit):
        return np.array(
            [np.datetime64(v, unit) if v else np.datetime64("NaT") for v in values],
            dtype=f"datetime64[{unit}]",
        )

    n = len(records)
    return RecordsData(
        n_groups=WARDS,
        stay_group=np.array([s["ward"] for s in stays]),
        stay_patient=np.array([s["patient"] for s in stays]),
        stay_start=dates([s["start"] for s in stays], "D"),
        stay_end=dates([s["end"] for s in stays], "D"),
        intervention_group=np.array([r["ward"] for r in rows]),
        intervention_record=np.array([r["record"] for r in rows]),
        intervention_patient=np.array([r["patient"] for r in rows]),
        intervention_type=np.array([int(r["type"]) for r in rows]),
        intervention_start=dates([r["start"] for r in rows], "s"),
        intervention_end=dates([r["end"] for r in rows], "s"),
        record_group=np.zeros(n, int),
        record_start=np.full(n, np.datetime64("2023-01-01T00:00"), "datetime64[s]"),
        record_end=np.full(n, np.datetime64("NaT"), "datetime64[s]"),
        record_complete=np.ones(n, bool),
        record_review_offered=np.ones(n, bool),
        record_injury=np.zeros(n, bool),
        record_completed_at=np.full(n, np.datetime64("NaT"), "datetime64[s]"),
    )


@pytest.mark.parametrize("seed", range(8))
def test_measures_match_the_naive_counting(seed):
    stays, rows, records = _generate(seed)
    catalogue = load_catalogue()
    wanted = [
        "restrictive_interventions",
        "prone_restraint",
        "seclusion",
        "incidents",
        "people_restrained",
        "percent_restrained",
        "restraint_minutes_mean",
    ]
    results = {
        r.measure.id: r
        for r in compute_measures(
            _arrays(stays, rows, records),
            month_periods(FIRST, LAST),
            [catalogue[m] for m in wanted],
        )
    }
    for p, month in enumerate(naive.months(FIRST, LAST)):
        for ward in range(WARDS):
            days = naive.bed_days(stays, ward, month)
            count = naive.interventions(rows, ward, month)
            assert results["restrictive_interventions"].denominator[ward, p] == days
            assert results["restrictive_interventions"].numerator[ward, p] == count
            if days:
                assert results["restrictive_interventions"].value[ward, p] == pytest.approx(
                    count / days * 1000
                )
            assert results["prone_restraint"].numerator[ward, p] == naive.interventions(
                rows, ward, month, {"01"}
            )
            assert results["seclusion"].numerator[ward, p] == naive.interventions(
                rows, ward, month, {"05"}
            )
            assert results["incidents"].numerator[ward, p] == naive.incidents(rows, ward, month)
            people = naive.people_restrained(rows, ward, month)
            assert results["people_restrained"].numerator[ward, p] == people
            inpatients = naive.people_in_hospital(stays, ward, month)
            assert results["percent_restrained"].denominator[ward, p] == inpatients
            physical = {"01", "07", "08", "09", "10", "11", "12", "13"}
            mean = naive.mean_minutes(rows, ward, month, physical)
            got = results["restraint_minutes_mean"].value[ward, p]
            assert (mean is None and np.isnan(got)) or got == pytest.approx(mean)

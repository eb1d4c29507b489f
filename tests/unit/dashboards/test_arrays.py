from datetime import UTC, datetime

import numpy as np

from mhsip.dashboards.arrays import local_datetimes, lookup, to_local, utc_datetimes


def test_utc_to_london_across_both_daylight_saving_changes():
    # British Summer Time began at 01:00 UTC on 31 March 2024 and ended at 01:00 UTC on 27 October.
    utc = np.array(
        [
            "2024-03-31T00:59:59",
            "2024-03-31T01:00:00",
            "2024-10-27T00:59:59",
            "2024-10-27T01:00:00",
            "2024-07-31T23:30:00",
            "NaT",
        ],
        dtype="datetime64[s]",
    )
    assert to_local(utc).astype(str).tolist() == [
        "2024-03-31T00:59:59",
        "2024-03-31T02:00:00",
        "2024-10-27T01:59:59",
        "2024-10-27T01:00:00",
        "2024-08-01T00:30:00",
        "NaT",
    ]


def test_database_values_of_every_kind():
    aware = [datetime(2024, 7, 31, 23, 30, tzinfo=UTC), None]
    strings = ["2024-07-31 23:30:00", None]
    assert utc_datetimes(aware).tolist() == utc_datetimes(strings).tolist()
    # A restraint at 00:30 BST on 1 August is in August, though it was 31 July in UTC.
    assert str(local_datetimes(strings)[0]) == "2024-08-01T00:30:00"
    assert utc_datetimes([]).size == 0 and np.isnat(utc_datetimes([None, None])).all()


def test_lookup_maps_ids_to_groups():
    assert lookup(np.array([7, 3, 7]), {3: 0, 7: 1}).tolist() == [1, 0, 1]


def test_epoch_seconds_from_the_database():
    # 2024-07-31 23:30 UTC, as Epoch() returns it (SQLite gives a float, PostgreSQL a double).
    values = [1722468600.0, None, 1722468600]
    assert utc_datetimes(values).astype(str).tolist() == [
        "2024-07-31T23:30:00",
        "NaT",
        "2024-07-31T23:30:00",
    ]

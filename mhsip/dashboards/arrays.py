"""Fetch columns from the database straight into numpy arrays.

Dashboards read tens of thousands of rows; Django's per-value converters (and a timezone lookup
per datetime) cost more than the measures themselves. These helpers run the queryset's SQL on a
cursor and convert whole columns at once, turning UTC into the wards' local clock (MHSDS dates
are local: a restraint at 00:30 on 1 April BST belongs to April).
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from django.db import connection
from django.db.models import FloatField, Func, QuerySet
from django.utils import timezone


class Epoch(Func):
    """A datetime column as seconds since 1970 (UTC), computed by the database.

    Numbers cross the driver far faster than datetime objects (which both SQLite's converters
    and psycopg build one by one), and numpy turns them into datetime64 in one step.
    """

    output_field = FloatField()

    def as_sqlite(self, compiler, connection, **extra_context):
        # Django stores aware datetimes in SQLite as UTC text. The percent sign is doubled twice:
        # once for this template, once for the SQLite backend's own %s-to-? conversion.
        return self.as_sql(
            compiler,
            connection,
            template="CAST(strftime('%%%%s', %(expressions)s) AS REAL)",
            **extra_context,
        )

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="CAST(EXTRACT(EPOCH FROM %(expressions)s) AS DOUBLE PRECISION)",
            **extra_context,
        )


def fetch_columns(queryset: QuerySet, *fields: str | Func) -> list[list[Any]]:
    """The raw database values of `fields` (names or expressions), one list per field."""
    # Without an explicit order, drop the model's default one: the columns are regrouped in
    # numpy, so sorting would be wasted work. An explicit order_by() is kept.
    if not queryset.query.order_by:
        queryset = queryset.order_by()
    sql, params = queryset.values_list(*fields).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if not rows:
        return [[] for _ in fields]
    # One list per column, whatever the number of rows.
    return [list(column) for column in zip(*rows, strict=True)]


def utc_datetimes(values: list[Any]) -> np.ndarray:
    """datetime64[s] in UTC from what the database returned: seconds since 1970 (`Epoch`),
    aware datetimes (PostgreSQL), ISO strings in UTC (SQLite), or None (NaT)."""
    if not values:
        return np.array([], dtype="datetime64[s]")
    sample = next((v for v in values if v is not None), None)
    if sample is None:
        return np.full(len(values), np.datetime64("NaT"), dtype="datetime64[s]")
    if isinstance(sample, (int, float)):  # seconds since 1970, from Epoch()
        seconds = np.array([np.nan if v is None else v for v in values], dtype=float)
        known = ~np.isnan(seconds)
        out = np.full(len(values), np.datetime64("NaT"), dtype="datetime64[s]")
        out[known] = np.round(seconds[known]).astype(np.int64).astype("datetime64[s]")
        return out
    if isinstance(sample, str):
        return np.array(
            [v.replace(" ", "T")[:19] if v is not None else "NaT" for v in values],
            dtype="datetime64[s]",
        )
    return np.array(
        [
            (v.astimezone(UTC) if v.tzinfo else v).replace(tzinfo=None) if v is not None else None
            for v in values
        ],
        dtype="datetime64[s]",
    )


@lru_cache(maxsize=65536)
def _offset_seconds(zone_key: str, utc_seconds: int) -> int:
    zone = ZoneInfo(zone_key)
    offset = datetime.fromtimestamp(utc_seconds, UTC).astimezone(zone).utcoffset()
    return int(offset.total_seconds()) if offset else 0


def to_local(utc: np.ndarray) -> np.ndarray:
    """UTC datetime64[s] to the current time zone's wall clock.

    Offsets are looked up once per UTC day (at its start and end); only the few days on which
    the offset changes (daylight saving, on the hour) are looked up hour by hour.
    """
    if utc.size == 0:
        return utc
    known = ~np.isnat(utc)
    seconds = utc[known].astype(np.int64)
    zone = str(timezone.get_current_timezone())
    day = 86_400
    days = np.unique(seconds // day)
    start = np.array([_offset_seconds(zone, int(d) * day) for d in days], dtype=np.int64)
    end = np.array([_offset_seconds(zone, int(d) * day + day - 1) for d in days], dtype=np.int64)
    position = np.searchsorted(days, seconds // day)
    offsets = start[position]
    changing = np.flatnonzero(start != end)
    if len(changing):
        on_change = np.isin(position, changing)
        hours = seconds[on_change] // 3600 * 3600
        offsets[on_change] = [_offset_seconds(zone, int(h)) for h in hours]
    local = utc.copy()
    local[known] = (seconds + offsets).astype("datetime64[s]")
    return local


def local_datetimes(values: list[Any]) -> np.ndarray:
    return to_local(utc_datetimes(values))


def lookup(keys: list[Any] | np.ndarray, mapping: dict[Any, int]) -> np.ndarray:
    """Map each key through `mapping` (e.g. ward id -> group index), vectorised."""
    if len(keys) == 0:
        return np.array([], dtype=np.int64)
    known = np.array(sorted(mapping), dtype=np.int64)
    values = np.array([mapping[k] for k in known], dtype=np.int64)
    return values[np.searchsorted(known, np.asarray(keys, dtype=np.int64))]

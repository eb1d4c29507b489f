"""A deliberately naive implementation of the counting rules, month by month and row by row,
written from ../shared/docs/mhsds.md. It shares no code with mhsip.measures."""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta


def months(first: date, last: date) -> list[tuple[date, date]]:
    """(first day, last day) of each month."""
    out, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        out.append((date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def bed_days(stays, ward, month):
    first, last = month
    total = 0
    for s in stays:
        if s["ward"] != ward or s["start"] > last:
            continue
        end = s["end"] if s["end"] is not None else last + timedelta(days=1)
        end = min(end, last + timedelta(days=1))
        begin = max(s["start"], first)
        if s["end"] is not None and s["end"] < first:
            continue
        total += max((end - begin).days, 0)
    return total


def _touches(start: date, end: date | None, month) -> bool:
    first, last = month
    return start <= last and (end is None or end >= first)


def counted(interventions, ward, month, types=None):
    out = []
    for i in interventions:
        if i["ward"] != ward or i["start"] is None:
            continue
        if types is not None and i["type"] not in types:
            continue
        end = i["end"].date() if i["end"] else None
        if _touches(i["start"].date(), end, month):
            out.append(i)
    return out


def interventions(rows, ward, month, types=None):
    return len({(i["record"], i["type"]) for i in counted(rows, ward, month, types)})


def incidents(rows, ward, month):
    return len({i["record"] for i in counted(rows, ward, month)})


def people_restrained(rows, ward, month):
    return len({i["patient"] for i in counted(rows, ward, month)})


def people_in_hospital(stays, ward, month):
    return len(
        {s["patient"] for s in stays if s["ward"] == ward and _touches(s["start"], s["end"], month)}
    )


def mean_minutes(rows, ward, month, types):
    first, last = month
    minutes = [
        (i["end"] - i["start"]).total_seconds() / 60
        for i in rows
        if i["ward"] == ward
        and i["type"] in types
        and i["start"]
        and i["end"]
        and first <= i["end"].date() <= last
    ]
    return sum(minutes) / len(minutes) if minutes else None


def at(day: date, minutes: int) -> datetime:
    return datetime(day.year, day.month, day.day) + timedelta(minutes=minutes)

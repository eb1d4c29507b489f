"""Synthetic MHSDS extracts: a directory of table CSVs as trusts submit them, month by month.

The file format (agreed with the import, `mhsip import mhsds DIR`): one CSV per table, named
after it (`MHS502WardStay.csv`, ...), with the MHSDS column names of ../shared/docs/mhsds.md §2,
UTF-8, blank = missing, dates `YYYY-MM-DD`, times `HH:MM:SS`, booleans `true`/`false`, UniqMonthID
1478 = May 2023. Several providers and months share one directory; every activity row carries
UniqMonthID, UniqSubmissionID, OrgIDProv, Person_ID and RecordNumber.

`generate_extract(directory, seed=..., ...)` simulates providers' patients over time (spells,
ward stays with transfers, restrictive interventions), then writes what each provider would have
sent in each month's file given what it knew when it sent it: records active in the month, end
dates only once they have happened (so open records are re-sent month after month), a Refresh
(FileType 2) sent weeks later that replaces the Primary, a FileType 3 file that must be ignored,
interventions first sent a month late, and the quirks of mhsds.md placed on purpose (23:52 to
00:14 over a month end, a restraint on the 1st before the ward stay's admission time, a restraint
at the moment of a transfer, duplicate rows of one type, blank times, InactTime values).

Generation is vectorised with numpy and streamed submission by submission: a million ward-stay
rows (3.7 million rows in all, 350 MB of CSV) take 10-20 s and about 250 MB of memory, most of it
the identifiers (benchmarks/imports.py).

`write_tables(directory, tables)` writes a tiny hand-made extract and `HandExtract` builds one
file by file (the oracle's worked examples);
`corrupt(directory, kind)` damages a generated extract in one of the ways data managers meet.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np

FIRST_MONTH_ID = 1478  # May 2023
FIRST_MONTH = date(2023, 5, 1)
KEYS = ["UniqMonthID", "UniqSubmissionID", "OrgIDProv", "Person_ID", "RecordNumber"]
COLUMNS: dict[str, list[str]] = {
    "MHS000Header": [
        "UniqSubmissionID",
        "UniqMonthID",
        "OrgIDProvider",
        "ReportingPeriodStartDate",
        "ReportingPeriodEndDate",
        "FileType",
    ],
    "MHS001MPI": [
        *KEYS,
        "PatMRecInRP",
        "AgeRepPeriodEnd",
        "Gender",
        "NHSDEthnicity",
        "OrgIDSubICBLocResidence",
    ],
    "MHS101Referral": [*KEYS, "UniqServReqID", "ServDischDate"],
    "MHS501HospProvSpell": [
        *KEYS,
        "UniqHospProvSpellID",
        "UniqServReqID",
        "MHS501UniqID",
        "StartDateHospProvSpell",
        "DischDateHospProvSpell",
        "InactTimeHPS",
    ],
    "MHS502WardStay": [
        *KEYS,
        "UniqWardStayID",
        "UniqHospProvSpellID",
        "UniqWardCode",
        "WardCode",
        "StartDateWardStay",
        "StartTimeWardStay",
        "EndDateWardStay",
        "EndTimeWardStay",
        "InactTimeWS",
        "SpecialisedMHServiceCode",
        "MHS502UniqID",
    ],
    "MHS505RestrictiveInterventInc": [
        *KEYS,
        "UniqRestrictiveIntIncID",
        "RestrictiveIntIncID",
        "UniqHospProvSpellID",
        "StartDateRestrictiveIntInc",
        "StartTimeRestrictiveIntInc",
        "EndDateRestrictiveIntInc",
        "EndTimeRestrictiveIntInc",
        "RestrictiveIntReason",
    ],
    "MHS515RestrictiveInterventType": [
        *KEYS,
        "UniqRestrictiveIntTypeID",
        "UniqRestrictiveIntIncID",
        "UniqHospProvSpellID",
        "RestrictiveIntType",
        "StartDateRestrictiveIntType",
        "StartTimeRestrictiveIntType",
        "EndDateRestrictiveIntType",
        "EndTimeRestrictiveIntType",
        "RestraintInjuryPatient",
        "MHS515UniqID",
    ],
    "MHS903WardDetails": ["UniqWardCode", "UniqMonthID", "SiteIDOfWard"],
}
TABLES = list(COLUMNS)

PHYSICAL = ["01", "07", "08", "09", "10", "11", "12", "13"]
CHEMICAL = ["14", "15", "16", "17"]
REASONS = ["10", "11", "12", "13", "14", "15", "16", "17", "18", "19", "98", "99"]
ETHNICITIES = [*"ABCDEFGHJKLMNPRSZ", "99", "", "X"]
GENDERS = ["1", "2", "3", "9", ""]
SPECIALISED = ["", "", "", "", "NCBPS22E", "NCBPS05C"]

MINUTES_PER_DAY = 1440
DAY_ZERO = date(1970, 1, 1)


def month_start(k: int) -> date:
    """First day of the k-th month after May 2023 (k may be negative)."""
    months = FIRST_MONTH.year * 12 + FIRST_MONTH.month - 1 + k
    return date(months // 12, months % 12 + 1, 1)


def month_id(k: int) -> int:
    return FIRST_MONTH_ID + k


def _minute(day: date) -> int:
    return (day - DAY_ZERO).days * MINUTES_PER_DAY


# --------------------------------------------------------------------------------------------
# Hand-made extracts
# --------------------------------------------------------------------------------------------


def write_tables(directory: Path, tables: Mapping[str, Iterable[Mapping[str, object]]]) -> Path:
    """Write the given rows (dicts by column name; absent columns blank) as an extract.

    Every one of the eight tables is written, empty where not given, so the directory is a
    complete extract.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    for table, columns in COLUMNS.items():
        with open(directory / f"{table}.csv", "w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(columns)
            for row in tables.get(table, ()):
                unknown = set(row) - set(columns)
                if unknown:
                    raise ValueError(f"{table} has no columns {sorted(unknown)}")
                writer.writerow(["" if row.get(c) is None else str(row.get(c)) for c in columns])
    return directory


MONTH_TEXT = {
    month_id(k): (month_start(k).isoformat(), (month_start(k + 1) - timedelta(days=1)).isoformat())
    for k in range(-12, 48)
}


@dataclass
class HandFile:
    """One submitted file: its header and the rows in it."""

    extract: HandExtract
    submission: int
    month: int
    provider: str

    def _keys(self, person: str) -> dict:
        return {
            "UniqMonthID": self.month,
            "UniqSubmissionID": self.submission,
            "OrgIDProv": self.provider,
            "Person_ID": person,
            "RecordNumber": self.submission * 100 + int(person.strip("P") or 0),
        }

    def spell(self, spell, person, start, discharge=None, *, inactive=None, referral=True):
        self.extract.add(
            "MHS501HospProvSpell",
            {
                **self._keys(person),
                "UniqHospProvSpellID": spell,
                "UniqServReqID": f"R{spell}",
                "MHS501UniqID": f"{self.submission}{spell}",
                "StartDateHospProvSpell": start,
                "DischDateHospProvSpell": discharge,
                "InactTimeHPS": inactive,
            },
        )
        self.extract.add("MHS001MPI", {**self._keys(person), "PatMRecInRP": "true"})
        if referral:
            self.extract.add(
                "MHS101Referral",
                {**self._keys(person), "UniqServReqID": f"R{spell}", "ServDischDate": discharge},
            )
        return self

    def stay(self, stay, spell, person, ward, start, end=None, *, inactive=None):
        """start/end are 'YYYY-MM-DD HH:MM' (or a bare date: blank time)."""
        start_date, _, start_time = start.partition(" ")
        end_date, _, end_time = (end or "").partition(" ")
        self.extract.add(
            "MHS502WardStay",
            {
                **self._keys(person),
                "UniqWardStayID": stay,
                "UniqHospProvSpellID": spell,
                "UniqWardCode": ward,
                "WardCode": ward[-3:],
                "StartDateWardStay": start_date,
                "StartTimeWardStay": start_time and start_time + ":00",
                "EndDateWardStay": end_date,
                "EndTimeWardStay": end_time and end_time + ":00",
                "InactTimeWS": inactive,
                "MHS502UniqID": f"{self.submission}{stay}",
            },
        )
        return self

    def restraint(self, incident, spell, person, start, end=None, *, code="01", type_id=None):
        """An incident with one type over the same times (add more with `kind`)."""
        start_date, _, start_time = start.partition(" ")
        end_date, _, end_time = (end or "").partition(" ")
        self.extract.add(
            "MHS505RestrictiveInterventInc",
            {
                **self._keys(person),
                "UniqRestrictiveIntIncID": incident,
                "RestrictiveIntIncID": incident,
                "UniqHospProvSpellID": spell,
                "StartDateRestrictiveIntInc": start_date,
                "StartTimeRestrictiveIntInc": start_time and start_time + ":00",
                "EndDateRestrictiveIntInc": end_date,
                "EndTimeRestrictiveIntInc": end_time and end_time + ":00",
                "RestrictiveIntReason": "10",
            },
        )
        return self.kind(type_id or f"{incident}T", incident, spell, person, start, end, code=code)

    def kind(self, type_id, incident, spell, person, start, end=None, *, code="01"):
        start_date, _, start_time = start.partition(" ")
        end_date, _, end_time = (end or "").partition(" ")
        self.extract.add(
            "MHS515RestrictiveInterventType",
            {
                **self._keys(person),
                "UniqRestrictiveIntTypeID": type_id,
                "UniqRestrictiveIntIncID": incident,
                "UniqHospProvSpellID": spell,
                "RestrictiveIntType": code,
                "StartDateRestrictiveIntType": start_date,
                "StartTimeRestrictiveIntType": start_time and start_time + ":00",
                "EndDateRestrictiveIntType": end_date,
                "EndTimeRestrictiveIntType": end_time and end_time + ":00",
                "RestraintInjuryPatient": "false",
                "MHS515UniqID": f"{self.submission}-{len(self.extract.tables.get('MHS515RestrictiveInterventType', []))}",
            },
        )
        return self


@dataclass
class HandExtract:
    tables: dict[str, list[dict]] = field(default_factory=dict)

    def add(self, table: str, row: dict) -> None:
        self.tables.setdefault(table, []).append(row)

    def file(self, submission, month, provider="RX1", file_type=1) -> HandFile:
        first, last = MONTH_TEXT.get(month, ("", ""))
        self.add(
            "MHS000Header",
            {
                "UniqSubmissionID": submission,
                "UniqMonthID": month,
                "OrgIDProvider": provider,
                "ReportingPeriodStartDate": first,
                "ReportingPeriodEndDate": last,
                "FileType": file_type,
            },
        )
        return HandFile(self, submission, month, provider)

    def write(self, directory: Path) -> Path:
        return write_tables(directory, self.tables)


# --------------------------------------------------------------------------------------------
# Generated extracts
# --------------------------------------------------------------------------------------------


@dataclass
class ExtractSummary:
    """What was written: rows per table, the providers and months, and the submissions."""

    directory: Path
    providers: list[str]
    months: list[int]
    rows: dict[str, int] = field(default_factory=dict)
    #: (UniqSubmissionID, OrgIDProvider, UniqMonthID, FileType)
    submissions: list[tuple[int, str, int, int]] = field(default_factory=list)


def provider_codes(count: int) -> list[str]:
    """ODS-like codes: NHS trusts start with R or T; every fourth is an independent provider."""
    codes = []
    for i in range(count):
        prefix = "N" if i % 4 == 3 else ("R" if i % 2 == 0 else "T")
        codes.append(f"{prefix}{chr(ord('A') + i // 26 % 26)}{chr(ord('A') + i % 26)}")
    return codes


def sizes_for(stays: int, interventions: int, months: int = 12) -> dict[str, int]:
    """Parameters of generate_extract for about `stays` MHS502 rows and `interventions` MHS515
    rows over `months` months.

    Measured on generated extracts of 12 months: each spell gives about 2.7 ward-stay rows (1.5
    stays, each sent in every month it touches, plus Refreshes), each incident about 2.85 type
    rows (1.4 types, 3% sent twice; long segregations and open ones are sent month after month).
    """
    scale = 12 / months
    providers = max(1, min(26, round(stays / 50_000)))
    return {
        "providers": providers,
        "months": months,
        "wards_per_provider": 20,
        "spells_per_provider": max(20, round(stays * scale / 2.7 / providers)),
        "incidents_per_provider": max(5, round(interventions * scale / 2.85 / providers)),
    }


class _Table:
    """A table's CSV, open for appending rows column by column."""

    def __init__(self, directory: Path, name: str):
        self.name = name
        # Closed by generate_extract once every submission is written.
        self.handle = open(directory / f"{name}.csv", "w", newline="", encoding="utf-8")  # noqa: SIM115
        self.writer = csv.writer(self.handle, lineterminator="\n")
        self.writer.writerow(COLUMNS[name])
        self.rows = 0

    def write(self, columns: dict[str, object], count: int) -> None:
        if count == 0:
            return
        ordered = []
        for name in COLUMNS[self.name]:
            value = columns[name]
            if isinstance(value, (str, int)):
                value = [str(value)] * count
            ordered.append(value)
        self.writer.writerows(zip(*ordered, strict=True))
        self.rows += count

    def close(self) -> None:
        self.handle.close()


def generate_extract(
    directory: Path,
    *,
    seed: int = 1,
    providers: int = 2,
    months: int = 4,
    wards_per_provider: int = 4,
    spells_per_provider: int = 60,
    incidents_per_provider: int = 40,
) -> ExtractSummary:
    """Write a generated extract into `directory` and say what it holds."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    world = _World(
        seed=seed,
        providers=providers,
        months=months,
        wards=wards_per_provider,
        spells=spells_per_provider,
        incidents=incidents_per_provider,
    )
    tables = {name: _Table(directory, name) for name in TABLES}
    try:
        submissions = world.submissions()
        for sub_id, p, k, file_type, known_before in submissions:
            world.write_submission(tables, sub_id, p, k, file_type, known_before)
        world.write_ward_details(tables["MHS903WardDetails"])
    finally:
        for table in tables.values():
            table.close()
    return ExtractSummary(
        directory=directory,
        providers=world.codes,
        months=[month_id(k) for k in range(months)],
        rows={name: table.rows for name, table in tables.items()},
        submissions=[(s, world.codes[p], month_id(k), ft) for s, p, k, ft, _ in submissions],
    )


class _World:
    """The truth: every provider's spells, ward stays, incidents and types, as numpy columns.

    Times are whole minutes since 1970-01-01, wall clock (MHSDS has no time zone). An end
    beyond everything any file knows is simply in the future: files leave it blank.
    """

    def __init__(self, *, seed, providers, months, wards, spells, incidents):
        self.rng = np.random.default_rng(seed)
        self.months = months
        self.codes = provider_codes(providers)
        self.wards = max(2, wards)
        self.first = _minute(month_start(0))
        self.last = _minute(month_start(months))  # first minute after the last month
        self.day_zero = (month_start(-6) - DAY_ZERO).days
        day_count = (month_start(months + 40) - month_start(-6)).days
        self.day_text = np.array(
            [(month_start(-6) + timedelta(days=d)).isoformat() for d in range(day_count)] + [""],
            dtype=object,
        )
        self.time_text = np.array(
            [f"{m // 60:02d}:{m % 60:02d}:00" for m in range(MINUTES_PER_DAY)], dtype=object
        )
        self._make_spells(providers, spells)
        self._make_stays()
        self._make_incidents(providers, incidents)
        self._make_people()
        self.record_number = 0

    # -- the truth -----------------------------------------------------------------------------

    def _make_spells(self, providers: int, per_provider: int) -> None:
        rng = self.rng
        n = providers * per_provider
        self.spell_prov = np.repeat(np.arange(providers), per_provider)
        begin = self.first - 120 * MINUTES_PER_DAY
        start = rng.integers(begin, self.last, size=n)
        kind = rng.random(n)
        days = np.exp(rng.normal(np.log(16), 0.9, size=n))
        length = (days * MINUTES_PER_DAY).astype(np.int64)
        # Same-day spells: end before midnight of the day they start.
        same_day = kind < 0.06
        left_in_day = MINUTES_PER_DAY - 1 - start % MINUTES_PER_DAY
        length[same_day] = (rng.random(same_day.sum()) * left_in_day[same_day]).astype(np.int64)
        # Long stays still open when the last file is sent.
        long = kind > 0.95
        length[long] = rng.integers(300, 900, size=long.sum()) * MINUTES_PER_DAY
        self.spell_start = start
        self.spell_end = start + length
        self.spell_id = np.array(
            [f"{self.codes[p]}S{i:07d}" for i, p in enumerate(self.spell_prov)], dtype=object
        )
        # A few spells have no referral in the file: they are not "people in hospital".
        self.spell_referral = rng.random(n) > 0.03

    def _make_stays(self) -> None:
        rng = self.rng
        n_spells = len(self.spell_start)
        length = self.spell_end - self.spell_start
        count = np.where(
            length < MINUTES_PER_DAY,
            1 + (rng.random(n_spells) < 0.2),  # some same-day spells move ward the same day
            1 + (rng.random(n_spells) < 0.45) + (rng.random(n_spells) < 0.15),
        )
        spell = np.repeat(np.arange(n_spells), count)
        first = np.r_[0, np.cumsum(count)[:-1]]
        fraction = rng.random(len(spell))
        fraction[first] = 0.0
        order = np.lexsort((fraction, spell))
        fraction = fraction[order]
        start = self.spell_start[spell] + (fraction * length[spell]).astype(np.int64)
        end = np.empty_like(start)
        end[:-1] = start[1:]
        last = np.r_[first[1:], len(spell)] - 1
        end[last] = self.spell_end
        # Each transfer goes to a different ward of the same provider.
        step = 1 + rng.integers(0, self.wards - 1, size=len(spell))
        step[first] = rng.integers(0, self.wards, size=n_spells)
        total = np.cumsum(step)
        before = (total[first] - step[first])[np.repeat(np.arange(n_spells), count)]
        self.stay_spell = spell
        self.stay_ward = (total - before) % self.wards
        self.stay_start = start
        self.stay_end = end
        self.stay_first = np.zeros(len(spell), dtype=bool)
        self.stay_first[first] = True
        self.stay_specialised = np.array(SPECIALISED, dtype=object)[
            rng.integers(0, len(SPECIALISED), size=len(spell))
        ]
        prov = self.spell_prov[spell]
        self.stay_id = np.array(
            [f"{self.codes[p]}WS{i:07d}" for i, p in enumerate(prov)], dtype=object
        )

    def _make_incidents(self, providers: int, per_provider: int) -> None:
        rng = self.rng
        inside_start = np.maximum(self.spell_start, self.first)
        inside_end = np.minimum(self.spell_end, self.last)
        exposure = np.clip(inside_end - inside_start, 0, None).astype(float) + 1
        spells, starts, codes, lengths = [], [], [], []
        for p in range(providers):
            mine = np.flatnonzero(self.spell_prov == p)
            weights = exposure[mine] * (inside_end[mine] > inside_start[mine])
            if weights.sum() == 0:
                continue
            chosen = rng.choice(mine, size=per_provider, p=weights / weights.sum())
            spells.append(chosen)
            span = np.clip(inside_end[chosen] - inside_start[chosen], 1, None)
            starts.append(inside_start[chosen] + (rng.random(len(chosen)) * span).astype(np.int64))
        spell = np.concatenate(spells) if spells else np.zeros(0, dtype=np.int64)
        start = np.concatenate(starts) if starts else np.zeros(0, dtype=np.int64)
        # Most incidents are at random times; the scripted ones below are the quirks.
        scripted = self._scripted_incidents(rng)
        kinds = np.zeros(len(spell), dtype=np.int8)
        for s_spell, s_start, s_code, s_len, s_kind in scripted:
            spell = np.r_[spell, s_spell]
            start = np.r_[start, s_start]
            codes.append(s_code)
            lengths.append(s_len)
            kinds = np.r_[kinds, np.full(len(s_spell), s_kind, dtype=np.int8)]
        n_random = len(start) - sum(len(s[0]) for s in scripted)
        n = len(start)
        # Types: one to three per random incident, one per scripted incident.
        per = np.ones(n, dtype=np.int64)
        per[:n_random] += (rng.random(n_random) < 0.3).astype(np.int64) + (
            rng.random(n_random) < 0.1
        )
        incident = np.repeat(np.arange(n), per)
        first = np.cumsum(per) - per
        random_types = incident < n_random
        type_code = np.empty(len(incident), dtype=object)
        type_len = np.zeros(len(incident), dtype=np.int64)
        m = int(random_types.sum())
        type_code[random_types], type_len[random_types] = self._random_types(rng, m)
        type_code[~random_types] = np.concatenate(codes) if codes else []
        type_len[~random_types] = np.concatenate(lengths) if lengths else []
        offset = rng.integers(0, 6, size=len(incident))
        offset[first] = 0
        offset[~random_types] = 0
        t_start = start[incident] + offset
        t_end = t_start + type_len
        # Most types stop at discharge; a few run past it (incomplete for MHS98/99).
        cap = random_types & (rng.random(len(incident)) < 0.97)
        t_end[cap] = np.minimum(
            t_end[cap], np.maximum(self.spell_end[spell[incident[cap]]], t_start[cap])
        )
        self.inc_spell = spell
        self.inc_start = start
        self.inc_end = np.maximum.reduceat(t_end, first) if n else t_end
        self.inc_kind = kinds
        self.type_incident = incident
        self.type_code = type_code
        self.type_start = t_start
        self.type_end = t_end
        t = len(incident)
        self.type_blank_start_time = rng.random(t) < 0.03
        self.type_blank_end_time = rng.random(t) < 0.03
        self.type_duplicated = rng.random(t) < 0.03
        self.type_injury = np.where(rng.random(t) < 0.05, "true", "false").astype(object)
        self.inc_reason = np.array(REASONS, dtype=object)[rng.integers(0, len(REASONS), size=n)]
        prov = self.spell_prov[spell]
        self.inc_id = np.array(
            [f"{self.codes[p]}I{i:07d}" for i, p in enumerate(prov)], dtype=object
        )
        self.inc_local_id = np.array([f"I{i}" for i in range(n)], dtype=object)
        self.type_id = np.array(
            [f"{self.codes[p]}T{i:07d}" for i, p in enumerate(prov[incident])], dtype=object
        )
        # Sent a month late: within one month, the spell still there next month; such an
        # incident is missing from its month's Primary and never counted unless a Refresh
        # of its month carries it.
        start_month = self._month_of(self.inc_start)
        end_month = self._month_of(self.inc_end)
        next_start = np.array([_minute(month_start(k + 1)) for k in range(-8, self.months + 2)])
        next_month_start = next_start[np.clip(start_month + 8, 0, len(next_start) - 1)]
        late = (
            (np.arange(n) < n_random)
            & (start_month == end_month)
            & (start_month >= 0)
            & (start_month < self.months - 1)
            & (self.spell_end[spell] > next_month_start + 3 * MINUTES_PER_DAY)
            & (self.spell_start[spell] < self.inc_start)
            & (rng.random(n) < 0.04)
        )
        self.inc_late = late
        self.inc_reveal = np.where(late, next_month_start + 7 * MINUTES_PER_DAY, self.inc_start)
        self.inc_late_month = np.where(late, start_month + 1, -99)

    def _random_types(self, rng, n: int) -> tuple[np.ndarray, np.ndarray]:
        group = rng.random(n)
        code = np.empty(n, dtype=object)
        length = np.zeros(n, dtype=np.int64)
        physical = group < 0.55
        code[physical] = np.array(PHYSICAL, dtype=object)[rng.integers(0, 8, physical.sum())]
        length[physical] = np.clip(rng.lognormal(np.log(8), 0.8, physical.sum()), 1, 240)
        chemical = (group >= 0.55) & (group < 0.83)
        code[chemical] = np.array(CHEMICAL, dtype=object)[rng.integers(0, 4, chemical.sum())]
        length[chemical] = rng.integers(0, 3, chemical.sum())
        seclusion = (group >= 0.83) & (group < 0.94)
        code[seclusion] = "05"
        length[seclusion] = rng.integers(60, 60 * 72, seclusion.sum())
        segregation = (group >= 0.94) & (group < 0.98)
        code[segregation] = "06"
        length[segregation] = rng.integers(3, 70, segregation.sum()) * MINUTES_PER_DAY
        mechanical = group >= 0.98
        code[mechanical] = "04"
        length[mechanical] = rng.integers(5, 120, mechanical.sum())
        return code, length

    def _scripted_incidents(self, rng) -> list[tuple[np.ndarray, ...]]:
        """(spell, start, type code, minutes, kind) for each quirk of mhsds.md, a few each."""
        out = []
        boundaries = np.array([_minute(month_start(k)) for k in range(1, self.months)])
        if len(boundaries) == 0:
            return out

        def pick(candidates: np.ndarray, share: float) -> np.ndarray:
            if len(candidates) == 0:
                return candidates
            size = max(1, int(len(candidates) * share))
            return rng.choice(candidates, size=min(size, len(candidates)), replace=False)

        def physical(n: int) -> np.ndarray:
            return np.array(PHYSICAL, dtype=object)[rng.integers(0, 8, n)]

        for b in boundaries:
            # 23:52 on the last day to 00:14 on the 1st: complete in neither month (quirk).
            s = pick(np.flatnonzero((self.spell_start < b - 30) & (self.spell_end > b + 30)), 0.02)
            out.append((s, np.full(len(s), b - 8), physical(len(s)), np.full(len(s), 22), 1))
            # Seclusion over the month end: counted in both months.
            s = pick(
                np.flatnonzero((self.spell_start < b - 200) & (self.spell_end > b + 400)), 0.02
            )
            out.append(
                (
                    s,
                    np.full(len(s), b - 120),
                    np.full(len(s), "05", dtype=object),
                    np.full(len(s), 300),
                    2,
                )
            )
            # On the 1st, earlier in the day than the ward stay's admission time: no ward.
            tod = self.stay_start % MINUTES_PER_DAY
            st = pick(
                np.flatnonzero(
                    (self.stay_start < b - MINUTES_PER_DAY)
                    & (self.stay_end > b + MINUTES_PER_DAY)
                    & (tod >= 600)
                ),
                0.03,
            )
            out.append(
                (self.stay_spell[st], b + tod[st] - 60, physical(len(st)), np.full(len(st), 10), 3)
            )
        # At the moment of a transfer: overlaps both stays, goes to the stay being left.
        st = pick(
            np.flatnonzero(
                ~self.stay_first & (self.stay_start >= self.first) & (self.stay_start < self.last)
            ),
            0.05,
        )
        out.append(
            (self.stay_spell[st], self.stay_start[st], physical(len(st)), np.full(len(st), 15), 4)
        )
        # Segregation still going when the last file is sent: open in every file.
        s = pick(
            np.flatnonzero(
                (self.spell_start < self.first + 20 * MINUTES_PER_DAY)
                & (self.spell_end > self.last + 90 * MINUTES_PER_DAY)
            ),
            0.1,
        )
        start = np.maximum(self.spell_start[s], self.first) + rng.integers(
            0, 20 * MINUTES_PER_DAY, len(s)
        )
        out.append(
            (
                s,
                start,
                np.full(len(s), "06", dtype=object),
                np.full(len(s), 400 * MINUTES_PER_DAY),
                5,
            )
        )
        # Segregation from before month 1 to after it: counted in month 1's Primary (open), but
        # dropped from its Refresh, which knows the end date (quirk).
        if self.months > 2:
            b, b2 = boundaries[0], boundaries[1]
            s = pick(
                np.flatnonzero(
                    (self.spell_start < b - 6 * MINUTES_PER_DAY)
                    & (self.spell_end > b2 + 20 * MINUTES_PER_DAY)
                ),
                0.05,
            )
            out.append(
                (
                    s,
                    np.full(len(s), b - 5 * MINUTES_PER_DAY + 600),
                    np.full(len(s), "06", dtype=object),
                    np.full(len(s), b2 - b + 15 * MINUTES_PER_DAY),
                    8,
                )
            )
        # A restraint dated the day before the spell starts (not complete for MHS98/99).
        day = self.spell_start // MINUTES_PER_DAY
        s = pick(
            np.flatnonzero(
                (self.spell_start >= self.first + 2 * MINUTES_PER_DAY)
                & (self.spell_start < self.last)
                & (self._day_of_month(day) > 2)
            ),
            0.02,
        )
        out.append(
            (s, self.spell_start[s] - MINUTES_PER_DAY, physical(len(s)), np.full(len(s), 20), 6)
        )
        # A restraint running past the discharge.
        s = pick(
            np.flatnonzero(
                (self.spell_end > self.first)
                & (self.spell_end < self.last - 60)
                & (self.spell_end - self.spell_start > 60)
            ),
            0.02,
        )
        out.append((s, self.spell_end[s] - 10, physical(len(s)), np.full(len(s), 30), 7))
        return out

    def _day_of_month(self, days: np.ndarray) -> np.ndarray:
        as_dates = (np.datetime64("1970-01-01") + days.astype("timedelta64[D]")).astype(
            "datetime64[D]"
        )
        return (as_dates - as_dates.astype("datetime64[M]")).astype(np.int64) + 1

    def _month_of(self, minutes: np.ndarray) -> np.ndarray:
        """Month index k (0 = May 2023) of each time."""
        months = (np.datetime64("1970-01-01T00:00") + minutes.astype("timedelta64[m]")).astype(
            "datetime64[M]"
        )
        return (months - np.datetime64(FIRST_MONTH.isoformat()[:7], "M")).astype(np.int64)

    def _make_people(self) -> None:
        rng = self.rng
        n_spells = len(self.spell_start)
        # Readmissions: a person may have several spells; a few are seen by two providers.
        own = np.array(
            [
                f"{self.codes[p]}P{int(i):06d}"
                for p, i in zip(
                    self.spell_prov,
                    rng.integers(0, max(2, int(n_spells * 0.8 / len(self.codes))), n_spells),
                    strict=True,
                )
            ],
            dtype=object,
        )
        shared = rng.random(n_spells) < 0.02
        own[shared] = np.array(
            [f"XP{int(i):05d}" for i in rng.integers(0, max(2, n_spells // 50), shared.sum())],
            dtype=object,
        )
        people, index = np.unique(own, return_inverse=True)
        self.person_ids = people
        self.spell_person = index
        n = len(people)
        self.person_age = rng.integers(12, 90, size=n)
        self.person_age_missing = rng.random(n) < 0.02
        self.person_gender = np.array(GENDERS, dtype=object)[rng.integers(0, len(GENDERS), n)]
        self.person_ethnicity = np.array(ETHNICITIES, dtype=object)[
            rng.integers(0, len(ETHNICITIES), n)
        ]
        self.person_residence = np.array([f"{c}{c}{c}" for c in "ABCDEFGH"], dtype=object)[
            rng.integers(0, 8, n)
        ]

    # -- what each file holds --------------------------------------------------------------------

    def submissions(self) -> list[tuple[int, int, int, int, int]]:
        """(UniqSubmissionID, provider, month, FileType, knowledge cut-off), in the order sent."""
        rng = self.rng
        planned = []
        for p in range(len(self.codes)):
            for k in range(self.months):
                if p == 1 and k == 2 and self.months > 3:
                    continue  # a provider that sent nothing one month
                after = _minute(month_start(k + 1))
                planned.append((after, p, k, 1))
                # Every provider refreshes month 1 (see the month-long segregations).
                forced = (p == 0 and k == 0) or k == 1
                if rng.random() < 0.05 or (p == len(self.codes) - 1 and k == 0 and self.months > 1):
                    planned.append((after + 5 * MINUTES_PER_DAY, p, k, 1))  # sent again
                if rng.random() < 0.15 or forced:
                    planned.append((after + 45 * MINUTES_PER_DAY, p, k, 2))  # Refresh
                if rng.random() < 0.08 or (p == 0 and k == min(1, self.months - 1)):
                    planned.append((after + 60 * MINUTES_PER_DAY, p, k, 3))  # ignored
        planned.sort()
        return [
            (300_001 + i, p, k, file_type, known_before)
            for i, (known_before, p, k, file_type) in enumerate(planned)
        ]

    def _dates(self, minutes: np.ndarray, known: np.ndarray | None = None) -> np.ndarray:
        index = minutes // MINUTES_PER_DAY - self.day_zero
        index = np.clip(index, 0, len(self.day_text) - 2)
        if known is not None:
            index = np.where(known, index, len(self.day_text) - 1)
        return self.day_text[index]

    def _times(self, minutes: np.ndarray, known: np.ndarray | None = None) -> np.ndarray:
        out = self.time_text[minutes % MINUTES_PER_DAY]
        if known is not None:
            out = np.where(known, out, "")
        return out

    def _own(self, p: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Indexes of provider p's spells, ward stays and incidents (kept between files)."""
        if not hasattr(self, "_owned"):
            self._owned = {}
        if p not in self._owned:
            self._owned[p] = (
                np.flatnonzero(self.spell_prov == p),
                np.flatnonzero(self.spell_prov[self.stay_spell] == p),
                np.flatnonzero(self.spell_prov[self.inc_spell] == p),
            )
        return self._owned[p]

    def write_submission(
        self, tables, sub_id: int, p: int, k: int, file_type: int, known_before: int
    ):
        rng = self.rng
        code = self.codes[p]
        first_day = _minute(month_start(k))
        after = _minute(month_start(k + 1))
        keys = {"UniqMonthID": month_id(k), "UniqSubmissionID": sub_id, "OrgIDProv": code}
        tables["MHS000Header"].write(
            {
                "UniqSubmissionID": sub_id,
                "UniqMonthID": month_id(k),
                "OrgIDProvider": code,
                "ReportingPeriodStartDate": month_start(k).isoformat(),
                "ReportingPeriodEndDate": (month_start(k + 1) - timedelta(days=1)).isoformat(),
                "FileType": file_type,
            },
            1,
        )
        # Spells active in the month (by date), as known when the file was sent.
        day_after = after  # minute 0 of the day after the month ends
        own_spells, own_stays, own_incidents = self._own(p)
        spells = own_spells[
            (self.spell_start[own_spells] < day_after)
            & (self.spell_end[own_spells] // MINUTES_PER_DAY * MINUTES_PER_DAY >= first_day)
        ]
        in_file = np.zeros(len(self.spell_start), dtype=bool)
        in_file[spells] = True
        people = self.spell_person[spells]
        unique_people, person_row = np.unique(people, return_inverse=True)
        numbers = self.record_number + np.arange(len(unique_people))
        self.record_number += len(unique_people)
        record = (sub_id * 10_000_000 + numbers).astype(str)
        n = len(unique_people)
        tables["MHS001MPI"].write(
            {
                **keys,
                "Person_ID": self.person_ids[unique_people],
                "RecordNumber": record,
                "PatMRecInRP": np.where(rng.random(n) < 0.97, "true", "false"),
                "AgeRepPeriodEnd": np.where(
                    self.person_age_missing[unique_people],
                    "",
                    (self.person_age[unique_people] + k // 12).astype(str),
                ),
                "Gender": self.person_gender[unique_people],
                "NHSDEthnicity": self.person_ethnicity[unique_people],
                "OrgIDSubICBLocResidence": self.person_residence[unique_people],
            },
            n,
        )
        spell_record = record[person_row]
        known_end = self.spell_end[spells] < known_before
        referred = self.spell_referral[spells]
        tables["MHS101Referral"].write(
            {
                **keys,
                "Person_ID": self.person_ids[people][referred],
                "RecordNumber": spell_record[referred],
                "UniqServReqID": np.array(
                    [f"R{s}" for s in self.spell_id[spells][referred]], dtype=object
                ),
                "ServDischDate": self._dates(self.spell_end[spells], known_end)[referred],
            },
            int(referred.sum()),
        )
        m = len(spells)
        start = np.maximum(self.spell_start[spells], first_day)
        # InactTime: a date the record stopped being active, on a few rows.
        inactive = rng.random(m) < 0.03
        inact = start + (rng.random(m) * (after - start)).astype(np.int64)
        tables["MHS501HospProvSpell"].write(
            {
                **keys,
                "Person_ID": self.person_ids[people],
                "RecordNumber": spell_record,
                "UniqHospProvSpellID": self.spell_id[spells],
                "UniqServReqID": np.array([f"R{s}" for s in self.spell_id[spells]], dtype=object),
                "MHS501UniqID": (sub_id * 10_000_000 + np.arange(m)).astype(str),
                "StartDateHospProvSpell": self._dates(self.spell_start[spells]),
                "DischDateHospProvSpell": self._dates(self.spell_end[spells], known_end),
                "InactTimeHPS": self._dates(inact, inactive),
            },
            m,
        )
        record_of_spell = np.full(len(self.spell_start), "", dtype=object)
        record_of_spell[spells] = spell_record

        stays = own_stays[
            in_file[self.stay_spell[own_stays]]
            & (self.stay_start[own_stays] < day_after)
            & (self.stay_end[own_stays] // MINUTES_PER_DAY * MINUTES_PER_DAY >= first_day)
        ]
        s_spell = self.stay_spell[stays]
        known = self.stay_end[stays] < known_before
        w = len(stays)
        start = np.maximum(self.stay_start[stays], first_day)
        inactive = rng.random(w) < 0.03
        inact = start + (rng.random(w) * (after - start)).astype(np.int64)
        ward = self.stay_ward[stays]
        tables["MHS502WardStay"].write(
            {
                **keys,
                "Person_ID": self.person_ids[self.spell_person[s_spell]],
                "RecordNumber": record_of_spell[s_spell],
                "UniqWardStayID": self.stay_id[stays],
                "UniqHospProvSpellID": self.spell_id[s_spell],
                "UniqWardCode": np.array(
                    [f"{code}W{x:02d}" for x in range(self.wards)], dtype=object
                )[ward],
                "WardCode": np.array([f"W{x:02d}" for x in range(self.wards)], dtype=object)[ward],
                "StartDateWardStay": self._dates(self.stay_start[stays]),
                "StartTimeWardStay": self._times(self.stay_start[stays]),
                "EndDateWardStay": self._dates(self.stay_end[stays], known),
                "EndTimeWardStay": self._times(self.stay_end[stays], known),
                "InactTimeWS": self._dates(inact, inactive),
                "SpecialisedMHServiceCode": self.stay_specialised[stays],
                "MHS502UniqID": (sub_id * 10_000_000 + np.arange(w)).astype(str),
            },
            w,
        )

        mine = own_incidents
        active = (self.inc_start[mine] < day_after) & (
            self.inc_end[mine] // MINUTES_PER_DAY * MINUTES_PER_DAY >= first_day
        )
        incidents = mine[
            in_file[self.inc_spell[mine]]
            & (self.inc_reveal[mine] < known_before)
            & (active | (self.inc_late_month[mine] == k))
        ]
        i_spell = self.inc_spell[incidents]
        known = self.inc_end[incidents] < known_before
        tables["MHS505RestrictiveInterventInc"].write(
            {
                **keys,
                "Person_ID": self.person_ids[self.spell_person[i_spell]],
                "RecordNumber": record_of_spell[i_spell],
                "UniqRestrictiveIntIncID": self.inc_id[incidents],
                "RestrictiveIntIncID": self.inc_local_id[incidents],
                "UniqHospProvSpellID": self.spell_id[i_spell],
                "StartDateRestrictiveIntInc": self._dates(self.inc_start[incidents]),
                "StartTimeRestrictiveIntInc": self._times(self.inc_start[incidents]),
                "EndDateRestrictiveIntInc": self._dates(self.inc_end[incidents], known),
                "EndTimeRestrictiveIntInc": self._times(self.inc_end[incidents], known),
                "RestrictiveIntReason": self.inc_reason[incidents],
            },
            len(incidents),
        )
        in_incidents = np.zeros(len(self.inc_start), dtype=bool)
        in_incidents[incidents] = True
        types = np.flatnonzero(in_incidents[self.type_incident] & (self.type_start < known_before))
        types = np.sort(np.r_[types, types[self.type_duplicated[types]]])
        t_spell = self.inc_spell[self.type_incident[types]]
        known = self.type_end[types] < known_before
        t = len(types)
        tables["MHS515RestrictiveInterventType"].write(
            {
                **keys,
                "Person_ID": self.person_ids[self.spell_person[t_spell]],
                "RecordNumber": record_of_spell[t_spell],
                "UniqRestrictiveIntTypeID": self.type_id[types],
                "UniqRestrictiveIntIncID": self.inc_id[self.type_incident[types]],
                "UniqHospProvSpellID": self.spell_id[t_spell],
                "RestrictiveIntType": self.type_code[types],
                "StartDateRestrictiveIntType": self._dates(self.type_start[types]),
                "StartTimeRestrictiveIntType": self._times(
                    self.type_start[types], ~self.type_blank_start_time[types]
                ),
                "EndDateRestrictiveIntType": self._dates(self.type_end[types], known),
                "EndTimeRestrictiveIntType": self._times(
                    self.type_end[types], known & ~self.type_blank_end_time[types]
                ),
                "RestraintInjuryPatient": self.type_injury[types],
                "MHS515UniqID": (sub_id * 10_000_000 + np.arange(t)).astype(str),
            },
            t,
        )

    def write_ward_details(self, table: _Table) -> None:
        """Every ward, every month: MHS903 is joined on ward and month only."""
        codes, months, sites = [], [], []
        for code in self.codes:
            for x in range(self.wards):
                for k in range(self.months):
                    codes.append(f"{code}W{x:02d}")
                    months.append(str(month_id(k)))
                    sites.append(f"{code}{x % 2 + 1:02d}")
        table.write(
            {"UniqWardCode": codes, "UniqMonthID": months, "SiteIDOfWard": sites}, len(codes)
        )


# --------------------------------------------------------------------------------------------
# Bad input
# --------------------------------------------------------------------------------------------

CORRUPTIONS = [
    "wrong_column_names",
    "missing_column",
    "bad_codes",
    "impossible_date",
    "end_before_start",
    "duplicate_keys",
    "broken_encoding",
    "cut_short",
    "missing_file",
]


@dataclass
class Corruption:
    """What `corrupt` did: where the problem is (file, spreadsheet row, field), which provider
    months it touched, and which figures can no longer be compared with the clean extract."""

    kind: str
    file: str
    row: int | None
    fields: tuple[str, ...]
    #: (OrgIDProv, UniqMonthID) whose figures the damage may change.
    months: set[tuple[str, int]] = field(default_factory=set)
    #: Figures no longer comparable anywhere: (level or None for both, measure_id or None).
    measures: set[tuple[str | None, str | None]] = field(default_factory=set)

    def touches(self, level: str, provider: str, month: int, measure_id: str) -> bool:
        if (provider, month) in self.months:
            return True
        return any(
            (lv is None or lv == level) and (m is None or m == measure_id)
            for lv, m in self.measures
        )


def _read(path: Path) -> tuple[list[str], list[list[str]]]:
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def _pick_row(rows, rng) -> int:
    """Index of a data row other than the first of its file."""
    return rng.randrange(1, len(rows))


def corrupt(directory: Path, kind: str, *, seed: int = 0) -> Corruption:
    """Damage the extract in `directory` in place in one way, and say where and how."""
    import random

    rng = random.Random(seed)
    directory = Path(directory)

    def month_of(header, row) -> tuple[str, int]:
        record = dict(zip(header, row, strict=True))
        return record["OrgIDProv"], int(record["UniqMonthID"])

    if kind == "wrong_column_names":
        name = "MHS101Referral"
        path = directory / f"{name}.csv"
        header, rows = _read(path)
        header = ["ServiceRequestId" if c == "UniqServReqID" else c for c in header]
        header = ["ServiceDischargeDate" if c == "ServDischDate" else c for c in header]
        _write(path, header, rows)
        # Referrals only feed "people in hospital", the denominator of MHS97.
        return Corruption(
            kind,
            f"{name}.csv",
            None,
            ("UniqServReqID", "ServiceRequestId"),
            measures={("provider", "MHS97")},
        )
    if kind == "missing_column":
        name = "MHS502WardStay"
        path = directory / f"{name}.csv"
        header, rows = _read(path)
        gone = header.index("EndTimeWardStay")
        _write(path, header[:gone] + header[gone + 1 :], [r[:gone] + r[gone + 1 :] for r in rows])
        # Ward stays only feed the ward level.
        return Corruption(
            kind, f"{name}.csv", None, ("EndTimeWardStay",), measures={("ward", None)}
        )
    if kind in {"bad_codes", "impossible_date", "end_before_start", "broken_encoding"}:
        name, column, change = {
            "bad_codes": (
                "MHS515RestrictiveInterventType",
                "RestrictiveIntType",
                lambda v, r: "X9",
            ),
            "impossible_date": ("MHS502WardStay", "StartDateWardStay", lambda v, r: "2023-02-30"),
            "end_before_start": (
                "MHS501HospProvSpell",
                "DischDateHospProvSpell",
                lambda v, r: (
                    date.fromisoformat(r["StartDateHospProvSpell"]) - timedelta(days=3)
                ).isoformat(),
            ),
            "broken_encoding": (
                "MHS505RestrictiveInterventInc",
                "RestrictiveIntIncID",
                lambda v, r: "Café",
            ),
        }[kind]
        path = directory / f"{name}.csv"
        header, rows = _read(path)
        col = header.index(column)
        index = _pick_row(rows, rng)
        rows[index][col] = change(rows[index][col], dict(zip(header, rows[index], strict=True)))
        touched = month_of(header, rows[index])
        if kind == "broken_encoding":
            # The row is written in latin-1 inside an otherwise UTF-8 file.
            lines = []
            for i, row in enumerate([header, *rows]):
                text = ",".join(row) + "\n"
                lines.append(text.encode("latin-1" if i == index + 1 else "utf-8"))
            path.write_bytes(b"".join(lines))
        else:
            _write(path, header, rows)
        return Corruption(kind, f"{name}.csv", index + 2, (column,), months={touched})
    if kind == "duplicate_keys":
        name = "MHS502WardStay"
        path = directory / f"{name}.csv"
        header, rows = _read(path)
        index = _pick_row(rows, rng)
        copy = list(rows[index])
        ward = header.index("UniqWardCode")
        copy[ward] = copy[ward][:-2] + ("99" if copy[ward][-2:] != "99" else "98")
        copy[header.index("WardCode")] = copy[ward][-3:]
        rows.append(copy)
        _write(path, header, rows)
        return Corruption(
            kind,
            f"{name}.csv",
            len(rows) + 1,
            ("UniqWardStayID", "MHS502UniqID"),
            months={month_of(header, copy)},
        )
    if kind == "cut_short":
        name = "MHS515RestrictiveInterventType"
        path = directory / f"{name}.csv"
        header, rows = _read(path)
        data = path.read_bytes()
        last_line_start = data.rstrip(b"\n").rfind(b"\n") + 1
        # Cut in the middle of the last row, after its keys, before its dates.
        cut = last_line_start + len(",".join(rows[-1][:7])) + 2
        path.write_bytes(data[:cut])
        return Corruption(
            kind, f"{name}.csv", len(rows) + 1, (), months={month_of(header, rows[-1])}
        )
    if kind == "missing_file":
        name = "MHS903WardDetails"
        (directory / f"{name}.csv").unlink()
        # Ward details give a ward its site, which none of the compared figures use.
        return Corruption(kind, f"{name}.csv", None, ())
    raise ValueError(f"unknown kind of corruption {kind!r}; one of {CORRUPTIONS}")

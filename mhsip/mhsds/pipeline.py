"""NHS Digital's restrictive-intervention counting, reproduced on an MHSDS extract.

This is NHSDigital/mental-health-monthly-statistics (`Mental_Health_Monthly_Statistics/
Restraints/`, commit 7b4d742) as `../shared/docs/mhsds.md` describes it, quirks included, for
two levels: the provider (`OrgIDProv`) and the ward (the `UniqWardCode` of the rank-1 linked
ward stay, where NHS Digital groups by the ward's site). The public functions:

- `choose_submissions(headers)`: the Submission Picker: per provider and month, the highest
  `UniqSubmissionID` with `FileType` <= 2.
- `submission_figures(tables, provider=, month_id=, submission_id=)`: every figure of one
  provider-month from the rows of its chosen file (a month is computed only from that month's
  file, so the figures of one submission never change when other files arrive).
- `extract_figures(extract)`: the above for every chosen submission of an extract read by
  `mhsip.mhsds.reading.read_extract`, keyed by (provider, UniqMonthID).

Reproduced (section numbers are those of mhsds.md):

- §1 whole-file replacement; every table inner-joined to the chosen file and its month.
- §3 bed days: `MHSXX` from spells, `MHSXXa` from ward stays whose spell and person match a
  spell in the file; start clamped to the month, end = inactive date, else discharge/end date,
  else the day after the month; dates only; **the end is not capped at the month end**.
- §4 which interventions count: the start-or-end-in-month-or-open test on the incident and on
  the type, the joins type -> incident -> spell on (incident, person, spell), and the unit: the
  distinct (incident, type) pair. **An intervention spanning the whole month with its later
  end already filled in is not counted.** Unknown type codes count (as UNKNOWN).
- §5 the ward link: closed-interval overlap between the type and each ward stay of its spell,
  **the ward start clamped to the month but keeping its own time**, dense ranking (overlapping
  first, then earliest ward end, then earliest ward start), **ties share rank 1** (the type
  counts on each tied ward), nothing overlapping = "No associated Ward Stay" (left out of the
  ward figures).
- §6 MHS76, MHS77, MHS136, MHS96 (per 1,000 MHSXX), MHS97 (per 100 people in hospital, via
  the referral join), MHS98/MHS99 (mean/max minutes over "complete" types, **including the
  23:52-to-00:14 quirk**), MHS117 (per 1,000 MHSXXa of the ward).

Where mhsip's own records differ (mhsip.measures.counting applies the clean rules): its
records have no re-submissions, so an intervention spanning a month end counts in both months
whatever its end date, and stays' bed days are capped at the period's end.

Not reproduced: the demographic, site, specialised-service and region breakdowns, and the
suppression of the published CSV (mhsip applies its own small-number suppression). NHS
Digital stores rates as 32-bit floats; these are 64-bit (they agree to about 7 significant
figures). Where NHS Digital publishes no row (MHS96 when MHS77 is 0; MHSXX when the provider
sent no MHS515 row) these figures still give the count and the bed days.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np

from mhsip.mhsds.tables import (
    ACTIVITY_TABLES,
    HEADER,
    HOSPITAL_SPELL,
    INCIDENT,
    INTERVENTION_TYPE,
    MONTH_ID_ANCHOR,
    PHYSICAL_RESTRAINT_TYPES,
    REFERRAL,
    WARD_STAY,
)

#: The file types the "Performance" run uses: 1 Primary, 2 Refresh.
PERFORMANCE_FILE_TYPES = (1, 2)

Columns = Mapping[str, Sequence[Any]]


def month_bounds(month_id: int) -> tuple[date, date]:
    """The first and last day of the month numbered `month_id` (1478 = May 2023)."""
    anchor, year, month = MONTH_ID_ANCHOR
    index = year * 12 + (month - 1) + (month_id - anchor)
    first = date(index // 12, index % 12 + 1, 1)
    following = date((index + 1) // 12, (index + 1) % 12 + 1, 1)
    return first, following - timedelta(days=1)


def month_id_of(day: date) -> int:
    anchor, year, month = MONTH_ID_ANCHOR
    return anchor + (day.year * 12 + day.month - 1) - (year * 12 + month - 1)


@dataclass(frozen=True)
class HeaderRow:
    submission_id: int
    month_id: int
    provider: str
    file_type: int


def header_rows(header: Columns) -> list[HeaderRow]:
    return [
        HeaderRow(*values)
        for values in zip(
            header["UniqSubmissionID"],
            header["UniqMonthID"],
            header["OrgIDProvider"],
            header["FileType"],
            strict=True,
        )
    ]


def choose_submissions(headers: Iterable[HeaderRow]) -> dict[tuple[str, int], HeaderRow]:
    """NHS Digital's Submission Picker ("Performance"): per (provider, month), the header with
    the highest UniqSubmissionID among file types 1 and 2. Other file types are ignored."""
    chosen: dict[tuple[str, int], HeaderRow] = {}
    for header in headers:
        if header.file_type not in PERFORMANCE_FILE_TYPES:
            continue
        key = (header.provider, header.month_id)
        if key not in chosen or header.submission_id > chosen[key].submission_id:
            chosen[key] = header
    return chosen


@dataclass
class Figures:
    """NHS Digital's figures for one provider, or one ward, in one month."""

    #: MHS76: distinct Person_ID with at least one counted intervention type.
    people_restrained: int = 0
    #: MHS77: distinct (UniqRestrictiveIntIncID, UniqRestrictiveIntTypeID) pairs counted.
    interventions: int = 0
    #: MHS136: distinct UniqRestrictiveIntIncID with at least one counted type.
    incidents: int = 0
    #: MHSXX (provider: hospital spells) or MHSXXa (ward: ward stays).
    bed_days: int = 0
    #: MHS97's denominator (provider level only).
    people_in_hospital: int | None = None
    #: Minutes of each "complete" counted type, by RestrictiveIntType code (provider only).
    minutes_by_type: dict[str | None, list[float]] = field(default_factory=dict)

    @property
    def rate_per_1000_bed_days(self) -> float | None:
        """MHS96 (provider) or MHS117 (ward)."""
        return 1000 * self.interventions / self.bed_days if self.bed_days else None

    @property
    def percent_restrained(self) -> float | None:
        """MHS97."""
        if not self.people_in_hospital:
            return None
        return 100 * self.people_restrained / self.people_in_hospital

    def minutes(self, types: Iterable[str] | None = None) -> list[float]:
        """Minutes of the complete types with these codes (all codes when None)."""
        if types is None:
            return [m for values in self.minutes_by_type.values() for m in values]
        wanted = set(types)
        return [
            m for code, values in self.minutes_by_type.items() if code in wanted for m in values
        ]

    def mean_minutes(self, types: Iterable[str] | None = PHYSICAL_RESTRAINT_TYPES) -> float | None:
        """MHS98 over `types` (physical restraint unless told)."""
        values = self.minutes(types)
        return sum(values) / len(values) if values else None

    def max_minutes(self, types: Iterable[str] | None = PHYSICAL_RESTRAINT_TYPES) -> float | None:
        """MHS99 over `types` (physical restraint unless told)."""
        values = self.minutes(types)
        return max(values) if values else None


@dataclass
class SubmissionFigures:
    provider: str
    month_id: int
    submission_id: int
    provider_figures: Figures
    #: By UniqWardCode: every ward with a stay in the file, linked interventions or not.
    wards: dict[str, Figures]
    #: NHS Digital shows the provider's MHSXX only when it sent an MHS515 row that month.
    sent_intervention_types: bool = False

    def measures(self) -> dict[str, float | int | None]:
        """The provider's figures by MHSDS measure ID (MHS98/MHS99 over physical restraint)."""
        f = self.provider_figures
        return {
            "MHS76": f.people_restrained,
            "MHS77": f.interventions,
            "MHS136": f.incidents,
            "MHSXX": f.bed_days,
            "MHS96": f.rate_per_1000_bed_days,
            "MHS97": f.percent_restrained,
            "MHS98": f.mean_minutes(),
            "MHS99": f.max_minutes(),
        }

    def ward_measures(self) -> dict[str, dict[str, float | int | None]]:
        return {
            code: {
                "MHS76": w.people_restrained,
                "MHS77": w.interventions,
                "MHS136": w.incidents,
                "MHSXXa": w.bed_days,
                "MHS117": w.rate_per_1000_bed_days,
            }
            for code, w in self.wards.items()
        }


def _in_month(day: date | None, first: date, last: date) -> bool:
    return day is not None and first <= day <= last


def _counted_in_month(start: date | None, end: date | None, first: date, last: date) -> bool:
    """§4: starts in the month, ends in the month, or has no end (yet)."""
    return end is None or _in_month(start, first, last) or _in_month(end, first, last)


def _bed_days(
    starts: Sequence[date | None],
    ends: Sequence[date | None],
    inactive: Sequence[date | None],
    first: date,
    after: date,
) -> np.ndarray:
    """§3, vectorised: end (inactive date, else end date, else the day after the month) minus
    the start clamped to the month, in whole days. Not capped at the month end (quirk)."""
    start = np.array(starts, dtype="datetime64[D]")
    end = np.array(ends, dtype="datetime64[D]")
    inact = np.array(inactive, dtype="datetime64[D]")
    end = np.where(np.isnat(inact), np.where(np.isnat(end), np.datetime64(after), end), inact)
    start = np.maximum(start, np.datetime64(first))
    return (end - start).astype(np.int64)


def _seconds(day: date, time: int | None) -> int:
    """A date glued to the HH:MM:SS of a time, as seconds; a blank time is 00:00 (§5)."""
    return day.toordinal() * 86400 + (time or 0)


def submission_figures(
    tables: Mapping[str, Columns],
    *,
    provider: str,
    month_id: int,
    submission_id: int,
    unusable: Iterable[str] = (),
) -> SubmissionFigures:
    """Every figure of one provider-month from the rows of its chosen file.

    `tables` maps table names (`MHS501HospProvSpell`, ...) to columns (name -> values: str,
    int, `date`, times as seconds after midnight, None where blank). Rows of other months or
    submissions are ignored, as NHS Digital's join to the chosen file ignores them.
    `unusable` names tables the extract could not give (without MHS101, MHS97 is left empty).
    """
    first, last = month_bounds(month_id)
    after = last + timedelta(days=1)
    tables = {
        name: _rows_of(tables[name], provider, month_id, submission_id)
        for name in (t.name for t in ACTIVITY_TABLES)
        if name in tables
    }

    # Hospital spells (§3), once each.
    spells_in = tables[HOSPITAL_SPELL.name]
    spell_of: dict[tuple[str, str], tuple[date, date | None]] = {}
    spell_rows = []
    for i, key in enumerate(
        zip(spells_in["UniqHospProvSpellID"], spells_in["Person_ID"], strict=True)
    ):
        if key not in spell_of:
            spell_of[key] = (
                spells_in["StartDateHospProvSpell"][i],
                spells_in["DischDateHospProvSpell"][i],
            )
            spell_rows.append(i)
    inactive = spells_in.get("InactTimeHPS") or [None] * len(spells_in["Person_ID"])
    spell_bed_days = _bed_days(
        [spells_in["StartDateHospProvSpell"][i] for i in spell_rows],
        [spells_in["DischDateHospProvSpell"][i] for i in spell_rows],
        [inactive[i] for i in spell_rows],
        first,
        after,
    )

    # People in hospital (MHS97's denominator): a spell whose referral is in the same file.
    referrals = tables[REFERRAL.name]
    referral_keys = set(zip(referrals["UniqServReqID"], referrals["Person_ID"], strict=True))
    people_in_hospital = {
        person
        for referral, person in zip(spells_in["UniqServReqID"], spells_in["Person_ID"], strict=True)
        if (referral, person) in referral_keys
    }

    # Incidents and types (§4).
    incidents_in = tables[INCIDENT.name]
    kept_incidents = {
        (incident, person, spell)
        for incident, person, spell, start, end in zip(
            incidents_in["UniqRestrictiveIntIncID"],
            incidents_in["Person_ID"],
            incidents_in["UniqHospProvSpellID"],
            incidents_in["StartDateRestrictiveIntInc"],
            incidents_in["EndDateRestrictiveIntInc"],
            strict=True,
        )
        if (spell, person) in spell_of and _counted_in_month(start, end, first, last)
    }
    types_in = tables[INTERVENTION_TYPE.name]
    counted: dict[tuple[str, str], int] = {}  # (incident, type) -> its first row
    for i, (incident, kind_id, person, spell, start, end) in enumerate(
        zip(
            types_in["UniqRestrictiveIntIncID"],
            types_in["UniqRestrictiveIntTypeID"],
            types_in["Person_ID"],
            types_in["UniqHospProvSpellID"],
            types_in["StartDateRestrictiveIntType"],
            types_in["EndDateRestrictiveIntType"],
            strict=True,
        )
    ):
        if (incident, person, spell) in kept_incidents and _counted_in_month(
            start, end, first, last
        ):
            counted.setdefault((incident, kind_id), i)

    provider_figures = Figures(
        people_restrained=len({types_in["Person_ID"][i] for i in counted.values()}),
        interventions=len(counted),
        incidents=len({pair[0] for pair in counted}),
        bed_days=int(spell_bed_days.sum()),
        people_in_hospital=None if REFERRAL.name in unusable else len(people_in_hospital),
    )

    # Minutes of complete types (§6, MHS98/MHS99).
    for i in counted.values():
        start_day = types_in["StartDateRestrictiveIntType"][i]
        end_day = types_in["EndDateRestrictiveIntType"][i]
        start_time = types_in["StartTimeRestrictiveIntType"][i]
        end_time = types_in["EndTimeRestrictiveIntType"][i]
        if start_day is None or end_day is None or start_time is None or end_time is None:
            continue
        if end_day > last:
            continue
        # Quirk: the clamped start date is compared with the end date, but the times are the
        # raw ones, so 23:52 on the last day to 00:14 on the 1st is dropped in the second month.
        if max(start_day, first) == end_day and start_time >= end_time:
            continue
        spell_start, discharge = spell_of[
            (types_in["UniqHospProvSpellID"][i], types_in["Person_ID"][i])
        ]
        if start_day < spell_start or end_day > (discharge or after):
            continue
        minutes = (_seconds(end_day, end_time) - _seconds(start_day, start_time)) / 60
        provider_figures.minutes_by_type.setdefault(types_in["RestrictiveIntType"][i], []).append(
            minutes
        )

    wards = _ward_figures(tables[WARD_STAY.name], spell_of, types_in, counted, first, after)
    return SubmissionFigures(
        provider=provider,
        month_id=month_id,
        submission_id=submission_id,
        provider_figures=provider_figures,
        wards=wards,
        sent_intervention_types=bool(len(types_in["Person_ID"])),
    )


def _ward_figures(
    stays: Columns,
    spell_of: Mapping[tuple[str, str], Any],
    types_in: Columns,
    counted: Mapping[tuple[str, str], int],
    first: date,
    after: date,
) -> dict[str, Figures]:
    n = len(stays["Person_ID"])
    codes = list(stays["UniqWardCode"])
    in_file_spell = np.fromiter(
        (
            key in spell_of
            for key in zip(stays["UniqHospProvSpellID"], stays["Person_ID"], strict=True)
        ),
        dtype=bool,
        count=n,
    )
    days = _bed_days(
        stays["StartDateWardStay"],
        stays["EndDateWardStay"],
        stays.get("InactTimeWS", [None] * n),
        first,
        after,
    )
    wards: dict[str, Figures] = {code: Figures() for code in codes if code is not None}
    if n:
        labels = np.array(["" if c is None else c for c in codes], dtype=object)
        unique, inverse = np.unique(labels, return_inverse=True)
        sums = np.bincount(inverse, weights=np.where(in_file_spell, days, 0), minlength=len(unique))
        for code, total in zip(unique, sums, strict=True):
            if code:
                wards[code].bed_days = int(round(total))

    # §5: each counted type's rank-1 ward stays among the stays of its spell and person.
    stays_of: dict[tuple[str, str], list[tuple[int, int, str | None]]] = {}
    for i in range(n):
        if not in_file_spell[i]:
            continue
        start = _seconds(max(stays["StartDateWardStay"][i], first), stays["StartTimeWardStay"][i])
        end = _seconds(stays["EndDateWardStay"][i] or after, stays["EndTimeWardStay"][i])
        key = (stays["UniqHospProvSpellID"][i], stays["Person_ID"][i])
        stays_of.setdefault(key, []).append((start, end, codes[i]))

    linked: dict[str, tuple[set, set, set]] = {}
    for (incident, kind_id), i in counted.items():
        candidates = stays_of.get((types_in["UniqHospProvSpellID"][i], types_in["Person_ID"][i]))
        start_day = types_in["StartDateRestrictiveIntType"][i]
        if not candidates or start_day is None:
            continue  # no associated ward stay
        type_start = _seconds(start_day, types_in["StartTimeRestrictiveIntType"][i])
        type_end = _seconds(
            types_in["EndDateRestrictiveIntType"][i] or after,
            types_in["EndTimeRestrictiveIntType"][i],
        )
        ranked = [
            (0 if type_end >= ward_start and type_start <= ward_end else 1, ward_end, ward_start)
            for ward_start, ward_end, _ in candidates
        ]
        best = min(ranked)
        if best[0] != 0:
            continue  # nothing overlaps: "No associated Ward Stay"
        for order, (_, _, code) in zip(ranked, candidates, strict=True):
            if order == best and code is not None:
                pairs, incidents, people = linked.setdefault(code, (set(), set(), set()))
                pairs.add((incident, kind_id))
                incidents.add(incident)
                people.add(types_in["Person_ID"][i])
    for code, (pairs, incidents, people) in linked.items():
        figures = wards.setdefault(code, Figures())
        figures.interventions = len(pairs)
        figures.incidents = len(incidents)
        figures.people_restrained = len(people)
    return wards


def _rows_of(columns: Columns, provider: str, month_id: int, submission_id: int) -> Columns:
    """The rows of the chosen file and month (all of them when they already are)."""
    keys = zip(
        columns["UniqSubmissionID"], columns["UniqMonthID"], columns["OrgIDProv"], strict=True
    )
    wanted = (submission_id, month_id, provider)
    keep = [i for i, key in enumerate(keys) if key == wanted]
    if len(keep) == len(columns["UniqSubmissionID"]):
        return columns
    return {name: [values[i] for i in keep] for name, values in columns.items()}


def split_by_submission(rows: Any) -> dict[tuple[int, int, str], np.ndarray]:
    """Row indices of an activity table (`TableRows`) by (UniqSubmissionID, UniqMonthID,
    OrgIDProv), in file order, found by one sort rather than a pass per submission."""
    if not len(rows):
        return {}
    columns = rows.columns
    submission, month, provider = (
        columns["UniqSubmissionID"],
        columns["UniqMonthID"],
        columns["OrgIDProv"],
    )
    order = np.lexsort((provider, month, submission))  # stable: file order within a group
    s, m, p = submission[order], month[order], provider[order]
    starts = np.flatnonzero((s[1:] != s[:-1]) | (m[1:] != m[:-1]) | (p[1:] != p[:-1])) + 1
    bounds = np.concatenate(([0], starts, [len(order)])).tolist()
    names = rows.vocabulary.decode(p[bounds[:-1]])
    return {
        (int(s[a]), int(m[a]), name): order[a:b]
        for a, b, name in zip(bounds[:-1], bounds[1:], names, strict=True)
    }


def extract_figures(extract: Any) -> dict[tuple[str, int], SubmissionFigures]:
    """NHS Digital's figures for every provider-month of an extract (`read_extract`'s result),
    from the chosen submission of each."""
    header = extract[HEADER.name]
    chosen = choose_submissions(header_rows(header.take(slice(None))))
    split = {t.name: split_by_submission(extract[t.name]) for t in ACTIVITY_TABLES}
    nothing = np.zeros(0, dtype=np.int64)
    figures = {}
    for (provider, month_id), chosen_header in sorted(chosen.items()):
        key = (chosen_header.submission_id, month_id, provider)
        tables = {
            t.name: extract[t.name].take(split[t.name].get(key, nothing)) for t in ACTIVITY_TABLES
        }
        figures[(provider, month_id)] = submission_figures(
            tables,
            provider=provider,
            month_id=month_id,
            submission_id=chosen_header.submission_id,
            unusable=extract.unusable,
        )
    return figures

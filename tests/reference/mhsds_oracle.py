"""NHS Digital's restrictive-intervention figures from an MHSDS extract, the slow and obvious way.

A deliberately naive reading of ../shared/docs/mhsds.md, written without looking at mhsip's
import: the csv module, dicts and loops, one provider-month at a time, every rule spelled out
where it is used (section numbers refer to mhsds.md). It shares no code with mhsip. Small-number
suppression (§8) is not applied: these are the unsuppressed figures.

    oracle_figures(directory) -> {(level, organisation, period, measure_id):
                                  {"numerator": ..., "denominator": ..., "value": ...}}

level "provider" (organisation = OrgIDProv) or "ward" (organisation = the UniqWardCode of the
rank-1 linked ward stay, §5); period "YYYY-MM". Conventions shared with the import:
- MHS76, MHS77, MHS136: counts; numerator = the count, no denominator, value = the count. They
  are given (possibly 0) for every provider-month with a chosen submission, and for every ward
  with a ward stay that month (linked to a spell of the file).
- MHS96 = MHS77 / hospital-spell bed days (MHSXX) x 1000, only when MHS77 > 0;
  MHS117 = the ward's MHS77 / the ward's ward-stay bed days (MHSXXa) x 1000, only when > 0.
- MHS97 = MHS76 / people in hospital x 100, only when MHS76 > 0.
- MHS98 / MHS99: mean / maximum minutes over complete types of physical restraint (01, 07-13),
  each (incident, type) pair once; only when there is one. Only `value` is a shared convention.
- A zero denominator gives value None.
"""

from __future__ import annotations

import csv
from datetime import date, datetime, time, timedelta
from pathlib import Path

PHYSICAL_RESTRAINT = {"01", "07", "08", "09", "10", "11", "12", "13"}
FIRST_MONTH_ID = 1478  # May 2023 (§1)


def month_of(uniq_month_id: int) -> tuple[date, date]:
    """First and last day of an MHSDS month."""
    index = 2023 * 12 + 4 + (uniq_month_id - FIRST_MONTH_ID)
    first = date(index // 12, index % 12 + 1, 1)
    after = date((index + 1) // 12, (index + 1) % 12 + 1, 1)
    return first, after - timedelta(days=1)


def period_of(uniq_month_id: int) -> str:
    return month_of(uniq_month_id)[0].strftime("%Y-%m")


def read_table(directory: Path, name: str) -> list[dict[str, str]]:
    """All rows of one table; a missing file is an empty table."""
    path = Path(directory) / f"{name}.csv"
    if not path.exists():
        return []
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def as_date(text: str | None) -> date | None:
    if not text:
        return None
    return date.fromisoformat(text[:10])


def as_time(text: str | None) -> time | None:
    if not text:
        return None
    return time.fromisoformat(text)


def glue(day: date, clock: time | None) -> datetime:
    """A date with the HH:MM:SS of a time; a blank time is midnight (§5)."""
    return datetime.combine(day, clock or time(0, 0))


def chosen_submissions(headers: list[dict[str, str]]) -> dict[tuple[str, int], int]:
    """§1 Submission picker: per provider and month, the highest UniqSubmissionID among
    Primary (1) and Refresh (2) files; FileType 3 and above are ignored."""
    chosen: dict[tuple[str, int], int] = {}
    for header in headers:
        if int(header["FileType"]) > 2:
            continue
        key = (header["OrgIDProvider"], int(header["UniqMonthID"]))
        submission = int(header["UniqSubmissionID"])
        if key not in chosen or submission > chosen[key]:
            chosen[key] = submission
    return chosen


def rows_of_file(rows, provider: str, month: int, submission: int) -> list[dict[str, str]]:
    """The activity rows that the inner join to the chosen submission keeps (§1)."""
    kept = []
    for row in rows:
        if (
            row["OrgIDProv"] == provider
            and int(row["UniqMonthID"]) == month
            and int(row["UniqSubmissionID"]) == submission
        ):
            kept.append(row)
    return kept


def bed_days(start_text, end_text, inactive_text, first: date, last: date) -> int:
    """§3: date difference between end and start; start clamped to the month's first day; end
    = inactive date, else end date, else the day after the month; not capped (quirk)."""
    start = max(as_date(start_text), first)
    if as_date(inactive_text) is not None:
        end = as_date(inactive_text)
    elif as_date(end_text) is not None:
        end = as_date(end_text)
    else:
        end = last + timedelta(days=1)
    return (end - start).days


def in_month(start_text, end_text, first: date, last: date) -> bool:
    """§4: start date in the month, or end date in the month, or no end date."""
    start, end = as_date(start_text), as_date(end_text)
    if start is not None and first <= start <= last:
        return True
    if end is None:
        return True
    return first <= end <= last


def figures_for_month(tables, provider: str, month: int, submission: int) -> dict:
    first, last = month_of(month)
    period = period_of(month)
    spells = rows_of_file(tables["MHS501HospProvSpell"], provider, month, submission)
    stays = rows_of_file(tables["MHS502WardStay"], provider, month, submission)
    incidents = rows_of_file(tables["MHS505RestrictiveInterventInc"], provider, month, submission)
    types = rows_of_file(tables["MHS515RestrictiveInterventType"], provider, month, submission)
    referrals = rows_of_file(tables["MHS101Referral"], provider, month, submission)

    # §3 hospital-spell bed days (MHSXX): each spell once.
    spell_by_key = {}
    for spell in spells:
        key = (spell["UniqHospProvSpellID"], spell["Person_ID"])
        if key not in spell_by_key:
            spell_by_key[key] = spell
    spell_bed_days = 0
    for spell in spell_by_key.values():
        spell_bed_days += bed_days(
            spell["StartDateHospProvSpell"],
            spell["DischDateHospProvSpell"],
            spell["InactTimeHPS"],
            first,
            last,
        )

    # §3 ward-stay bed days (MHSXXa) by ward: only stays whose spell is in the file.
    linked_stays = {}
    for stay in stays:
        if (stay["UniqHospProvSpellID"], stay["Person_ID"]) not in spell_by_key:
            continue
        if stay["UniqWardStayID"] not in linked_stays:
            linked_stays[stay["UniqWardStayID"]] = stay
    ward_bed_days: dict[str, int] = {}
    for stay in linked_stays.values():
        ward = stay["UniqWardCode"]
        ward_bed_days[ward] = ward_bed_days.get(ward, 0) + bed_days(
            stay["StartDateWardStay"], stay["EndDateWardStay"], stay["InactTimeWS"], first, last
        )

    # §4 which interventions count.
    kept_incidents = set()
    for incident in incidents:
        if not in_month(
            incident["StartDateRestrictiveIntInc"],
            incident["EndDateRestrictiveIntInc"],
            first,
            last,
        ):
            continue
        if (incident["UniqHospProvSpellID"], incident["Person_ID"]) not in spell_by_key:
            continue
        kept_incidents.add(
            (
                incident["UniqRestrictiveIntIncID"],
                incident["Person_ID"],
                incident["UniqHospProvSpellID"],
            )
        )
    counted = []
    for kind in types:
        if not in_month(
            kind["StartDateRestrictiveIntType"], kind["EndDateRestrictiveIntType"], first, last
        ):
            continue
        incident_key = (
            kind["UniqRestrictiveIntIncID"],
            kind["Person_ID"],
            kind["UniqHospProvSpellID"],
        )
        if incident_key in kept_incidents:
            counted.append(kind)

    figures = {}

    def put(level, organisation, measure, numerator, denominator, value):
        figures[(level, organisation, period, measure)] = {
            "numerator": numerator,
            "denominator": denominator,
            "value": value,
        }

    def rate(numerator, denominator, per):
        return None if not denominator else numerator / denominator * per

    # §6 provider level.
    people = set()
    pairs = set()
    incident_ids = set()
    for kind in counted:
        people.add(kind["Person_ID"])
        pairs.add((kind["UniqRestrictiveIntIncID"], kind["UniqRestrictiveIntTypeID"]))
        incident_ids.add(kind["UniqRestrictiveIntIncID"])
    put("provider", provider, "MHS76", len(people), None, len(people))
    put("provider", provider, "MHS77", len(pairs), None, len(pairs))
    put("provider", provider, "MHS136", len(incident_ids), None, len(incident_ids))
    if len(pairs) > 0:
        put(
            "provider",
            provider,
            "MHS96",
            len(pairs),
            spell_bed_days,
            rate(len(pairs), spell_bed_days, 1000),
        )
    if len(people) > 0:
        # People in hospital: a spell whose referral is in the same file.
        referral_keys = set()
        for referral in referrals:
            referral_keys.add(
                (referral["UniqServReqID"], referral["Person_ID"], referral["OrgIDProv"])
            )
        in_hospital = set()
        for spell in spells:
            if (spell["UniqServReqID"], spell["Person_ID"], spell["OrgIDProv"]) in referral_keys:
                in_hospital.add(spell["Person_ID"])
        put(
            "provider",
            provider,
            "MHS97",
            len(people),
            len(in_hospital),
            rate(len(people), len(in_hospital), 100),
        )

    # §6 MHS98/99: complete physical-restraint types.
    minutes_of = set()
    for kind in counted:
        if kind["RestrictiveIntType"] not in PHYSICAL_RESTRAINT:
            continue
        minutes = complete_minutes(kind, spell_by_key, first, last)
        if minutes is not None:
            pair = (kind["UniqRestrictiveIntIncID"], kind["UniqRestrictiveIntTypeID"])
            minutes_of.add((pair, minutes))
    if minutes_of:
        values = [m for _, m in minutes_of]
        put("provider", provider, "MHS98", sum(values), len(values), sum(values) / len(values))
        put("provider", provider, "MHS99", max(values), None, max(values))

    # §5 ward level: each counted type to its rank-1 overlapping ward stay(s).
    ward_people: dict[str, set] = {}
    ward_pairs: dict[str, set] = {}
    ward_incidents: dict[str, set] = {}
    for kind in counted:
        for ward in rank_one_wards(kind, stays, first, last):
            ward_people.setdefault(ward, set()).add(kind["Person_ID"])
            ward_pairs.setdefault(ward, set()).add(
                (kind["UniqRestrictiveIntIncID"], kind["UniqRestrictiveIntTypeID"])
            )
            ward_incidents.setdefault(ward, set()).add(kind["UniqRestrictiveIntIncID"])
    for ward in set(ward_bed_days) | set(ward_pairs):
        n_people = len(ward_people.get(ward, ()))
        n_pairs = len(ward_pairs.get(ward, ()))
        n_incidents = len(ward_incidents.get(ward, ()))
        put("ward", ward, "MHS76", n_people, None, n_people)
        put("ward", ward, "MHS77", n_pairs, None, n_pairs)
        put("ward", ward, "MHS136", n_incidents, None, n_incidents)
        if n_pairs > 0:
            days = ward_bed_days.get(ward, 0)
            put("ward", ward, "MHS117", n_pairs, days, rate(n_pairs, days, 1000))
    return figures


def complete_minutes(kind, spell_by_key, first: date, last: date) -> float | None:
    """§6 MHS98/99: minutes of a complete type, None when it is not complete."""
    start_day = as_date(kind["StartDateRestrictiveIntType"])
    end_day = as_date(kind["EndDateRestrictiveIntType"])
    start_clock = as_time(kind["StartTimeRestrictiveIntType"])
    end_clock = as_time(kind["EndTimeRestrictiveIntType"])
    if start_day is None or end_day is None or start_clock is None or end_clock is None:
        return None
    if end_day > last:
        return None
    # (quirk) the start date is clamped to the month for this test only.
    if max(start_day, first) == end_day and start_clock >= end_clock:
        return None
    spell = spell_by_key.get((kind["UniqHospProvSpellID"], kind["Person_ID"]))
    if spell is None:
        return None
    if start_day < as_date(spell["StartDateHospProvSpell"]):
        return None
    discharge = as_date(spell["DischDateHospProvSpell"]) or last + timedelta(days=1)
    if end_day > discharge:
        return None
    # Wall-clock minutes from the raw (unclamped) start: time before the month included.
    return (glue(end_day, end_clock) - glue(start_day, start_clock)).total_seconds() / 60


def rank_one_wards(kind, stays, first: date, last: date) -> list[str]:
    """§5: the UniqWardCode of each rank-1 ward stay of the type's spell, if it overlaps."""
    type_start = glue(
        as_date(kind["StartDateRestrictiveIntType"]), as_time(kind["StartTimeRestrictiveIntType"])
    )
    type_end = glue(
        as_date(kind["EndDateRestrictiveIntType"]) or last + timedelta(days=1),
        as_time(kind["EndTimeRestrictiveIntType"]),
    )
    candidates = []
    for stay in stays:
        if stay["UniqHospProvSpellID"] != kind["UniqHospProvSpellID"]:
            continue
        if stay["Person_ID"] != kind["Person_ID"]:
            continue
        # (quirk) the clamped start date with the original admission time.
        ward_start = glue(
            max(as_date(stay["StartDateWardStay"]), first), as_time(stay["StartTimeWardStay"])
        )
        ward_end = glue(
            as_date(stay["EndDateWardStay"]) or last + timedelta(days=1),
            as_time(stay["EndTimeWardStay"]),
        )
        overlaps = type_end >= ward_start and type_start <= ward_end
        # Ranked: overlapping first, then earliest end, then earliest start.
        candidates.append(((0 if overlaps else 1, ward_end, ward_start), stay["UniqWardCode"]))
    if not candidates:
        return []
    best = min(key for key, _ in candidates)
    if best[0] != 0:
        return []  # "No associated Ward Stay"
    return sorted({ward for key, ward in candidates if key == best})


def oracle_figures(directory: Path) -> dict[tuple[str, str, str, str], dict]:
    """Every provider and ward figure of every month in the extract (unsuppressed)."""
    tables = {
        name: read_table(directory, name)
        for name in [
            "MHS000Header",
            "MHS101Referral",
            "MHS501HospProvSpell",
            "MHS502WardStay",
            "MHS505RestrictiveInterventInc",
            "MHS515RestrictiveInterventType",
        ]
    }
    figures = {}
    for (provider, month), submission in sorted(chosen_submissions(tables["MHS000Header"]).items()):
        figures.update(figures_for_month(tables, provider, month, submission))
    return figures


def ward_providers(directory: Path) -> dict[str, str]:
    """UniqWardCode -> OrgIDProv, from the ward stays (a ward belongs to one provider)."""
    return {
        row["UniqWardCode"]: row["OrgIDProv"]
        for row in read_table(directory, "MHS502WardStay")
        if row["UniqWardCode"]
    }

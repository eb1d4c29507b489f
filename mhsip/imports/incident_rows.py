"""From checked rows to incidents, by the export's layout.

One row per incident: each reference once; a repeated reference is left out after its first row
(and when its type of force differs, the problem says the export looks like one row per
intervention, since that is what a data manager then needs to change).

One row per restrictive intervention: the rows sharing a reference are one incident. They must
agree on everything but the type of force and its times (ward, patient, the incident's start and
end, each mapped field, the staff): where they do not, each disagreeing field is reported with
both rows and none of the incident's rows is imported, so that no value is picked silently. Each
row adds its intervention(s), with the row's own times where the mapping has intervention times.
A row that cannot be read keeps its whole incident out: an incident without one of its
interventions would be imported as if it were whole.

No database: the ward is compared by its key.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from django.utils import timezone

from mhsip.imports.incident_fields import CODE_LISTS, FIELD_BY_KEY, FieldKind
from mhsip.imports.models import IncidentLayout
from mhsip.organisations.models import Ward
from mhsip.tabular import Problem

#: Longest text quoted in a disagreement (the rest is cut, with an ellipsis).
QUOTE_LIMIT = 60


@dataclass
class ParsedRow:
    """A row's contents as a record's, or (combined) an incident's from all of its rows."""

    number: int
    reference: str
    ward: Ward
    local_id: str
    started_at: datetime
    ended_at: datetime | None
    #: Only the record fields the mapping covers: others keep what the record already holds.
    fields: dict[str, Any]
    #: None when the mapping has no type-of-force column (the record keeps its own).
    interventions: list[dict[str, Any]] | None
    staff: list[dict[str, Any]] | None
    #: Whether the interventions carry their own times from the export (else the incident's).
    timed_interventions: bool = False
    #: The spreadsheet rows the incident was read from (just `number` for one row).
    rows: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.rows:
            self.rows = [self.number]


@dataclass
class Combined:
    incidents: list[ParsedRow]
    problems: list[Problem]
    rejected_rows: int


def combine_rows(
    rows: list[ParsedRow],
    *,
    layout: str,
    failed: dict[str, list[int]],
    name: str,
) -> Combined:
    """The incidents the checked `rows` make. `failed`: reference -> the rows of that reference
    that did not pass their own checks (already reported and counted)."""
    if layout == IncidentLayout.INTERVENTION:
        return _by_intervention(rows, failed=failed, name=name)
    return _by_incident(rows, name=name)


def _by_incident(rows: list[ParsedRow], *, name: str) -> Combined:
    first: dict[str, ParsedRow] = {}
    problems: list[Problem] = []
    rejected = 0
    for row in rows:
        earlier = first.get(row.reference)
        if earlier is None:
            first[row.reference] = row
            continue
        rejected += 1
        message = (
            f"Incident {row.reference} is also in row {earlier.number}: each incident must appear "
            "once, so this row was left out"
        )
        if _types(row) != _types(earlier):
            message = (
                f"Incident {row.reference} is also in row {earlier.number}, with another type of "
                "force: the export looks like one row per restrictive intervention. The mapping "
                "says one row per incident, so this row was left out: if each row is one "
                "intervention, choose “One row per restrictive intervention” on the mapping's "
                "columns page and import again"
            )
        problems.append(Problem(name, row.number, "Incident reference", message))
    return Combined(list(first.values()), problems, rejected)


def _types(row: ParsedRow) -> set[str]:
    return {i["type_code"] for i in row.interventions or []}


def _by_intervention(rows: list[ParsedRow], *, failed: dict[str, list[int]], name: str) -> Combined:
    groups: dict[str, list[ParsedRow]] = {}
    for row in rows:
        groups.setdefault(row.reference, []).append(row)
    incidents: list[ParsedRow] = []
    problems: list[Problem] = []
    rejected = 0
    for reference, group in groups.items():
        if reference in failed:
            bad = _row_list(failed[reference])
            for row in group:
                problems.append(
                    Problem(
                        name,
                        row.number,
                        "Incident reference",
                        f"Incident {reference} was left out because its {bad} could not be "
                        "imported (see there): an incident's rows are imported together, so "
                        "that none of its interventions goes missing",
                    )
                )
            rejected += len(group)
            continue
        disagreements = [
            problem
            for row in group[1:]
            for problem in _disagreements(group[0], row, name=name, rows=len(group))
        ]
        if disagreements:
            later = sorted({p.row for p in disagreements})
            problems.append(
                Problem(
                    name,
                    group[0].number,
                    "Incident reference",
                    f"Incident {reference} was left out: its {_row_list(later)} "
                    f"{'disagrees' if len(later) == 1 else 'disagree'} with this row about the "
                    "incident (see there)",
                )
            )
            problems.extend(disagreements)
            rejected += len(group)
            continue
        incidents.append(_merge(group))
    return Combined(incidents, problems, rejected)


def _row_list(numbers: list[int]) -> str:
    if len(numbers) == 1:
        return f"row {numbers[0]}"
    return "rows " + ", ".join(str(n) for n in numbers[:-1]) + f" and {numbers[-1]}"


def _merge(group: list[ParsedRow]) -> ParsedRow:
    first = group[0]
    interventions = None
    if first.interventions is not None:
        interventions, seen = [], set()
        for row in group:
            for item in row.interventions or []:
                # The same type at the same times twice is one intervention exported twice.
                key = (item["type_code"], item["started_at"], item["ended_at"])
                if key not in seen:
                    seen.add(key)
                    interventions.append(item)
    return replace(
        first,
        interventions=interventions,
        timed_interventions=any(r.timed_interventions for r in group),
        rows=[r.number for r in group],
    )


def _disagreements(first: ParsedRow, row: ParsedRow, *, name: str, rows: int) -> list[Problem]:
    """A problem on `row` for each incident-level field it holds differently from `first`."""
    found: list[Problem] = []

    def differs(label: str, here: str, there: str, hint: str = "") -> None:
        found.append(
            Problem(
                name,
                row.number,
                label,
                f"Incident {row.reference} has {here} in this row but {there} in row "
                f"{first.number}: the rows of one incident must agree on everything but the type "
                f"of force and its times, so none of its {rows} rows was imported{hint}",
            )
        )

    if first.ward.pk != row.ward.pk:
        differs("Ward", _quote(row.ward.name), _quote(first.ward.name))
    if first.local_id != row.local_id:
        # The identifier itself is not repeated: mhsip keeps only a keyed hash of it.
        differs("Patient's local identifier", "one patient", "another")
    timing_hint = (
        ". If this column holds each intervention's own time, choose it for the intervention "
        "times on the mapping's columns page instead"
    )
    if first.started_at != row.started_at:
        differs("Start date", _when(row.started_at), _when(first.started_at), timing_hint)
    if first.ended_at != row.ended_at:
        differs("End date", _when(row.ended_at), _when(first.ended_at), timing_hint)
    for key in first.fields.keys() | row.fields.keys():
        here, there = row.fields.get(key) or "", first.fields.get(key) or ""
        if here != there:
            target = FIELD_BY_KEY[key]
            differs(target.label, _value(key, here), _value(key, there))
    if first.staff is not None and _people(first.staff) != _people(row.staff or []):
        differs("Staff involved", _staff(row.staff or []), _staff(first.staff))
    # Keep the field order the mapping page has, whatever order they were compared in.
    order = {target.label: index for index, target in enumerate(FIELD_BY_KEY.values())}
    return sorted(found, key=lambda p: order.get(p.field, len(order)))


def _people(staff: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return sorted((s["name"].casefold(), s["job_title"].casefold()) for s in staff)


def _staff(staff: list[dict[str, Any]]) -> str:
    if not staff:
        return "nobody"
    return _quote("; ".join(f"{s['name']} ({s['job_title']})" for s in staff))


def _when(moment: datetime | None) -> str:
    if moment is None:
        return "nothing"
    return f"{timezone.localtime(moment):%d/%m/%Y %H:%M}"


def _value(key: str, value: str) -> str:
    if not value:
        return "nothing"
    target = FIELD_BY_KEY[key]
    if target.kind == FieldKind.CODE:
        return _quote(CODE_LISTS[target.code_list].label_of(value))
    return _quote(value)


def _quote(text: str) -> str:
    if len(text) > QUOTE_LIMIT:
        text = text[: QUOTE_LIMIT - 1].rstrip() + "…"
    return f"“{text}”"

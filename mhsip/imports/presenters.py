"""What the mapping pages show about an uploaded export: its columns with example values, the
column that probably holds each field, and the distinct values of its coded columns."""

from __future__ import annotations

import re
from dataclasses import dataclass

from mhsip.imports.incident_fields import CODE_LISTS, FIELDS, INTERVENTION_SLOTS, FieldKind
from mhsip.imports.models import IncidentMapping
from mhsip.tabular.reader import Table, cell_text, column_examples
from mhsip.tabular.values import split_values

#: At most this many different values of one code list are offered for mapping.
MAX_VALUES = 80


@dataclass(frozen=True)
class Column:
    name: str
    examples: list[str]


def columns_with_examples(table: Table) -> list[Column]:
    examples = column_examples(table)
    return [Column(h, examples.get(h, [])) for h in table.headers]


def _normalise(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.casefold()).strip()


def guess_columns(headers: list[str]) -> dict[str, str]:
    """A first guess for a new mapping: columns named like the field (the user confirms)."""
    guesses: dict[str, str] = {}
    by_name = {_normalise(h): h for h in headers}
    for target in FIELDS:
        for candidate in (target.label, target.key.replace("_", " ")):
            if _normalise(candidate) in by_name:
                guesses[target.key] = by_name[_normalise(candidate)]
                break
    return guesses


def coded_values(table: Table, columns: dict[str, str]) -> dict[str, list[str]]:
    """Code list -> the different values the file's mapped coded columns hold, in file order."""
    found: dict[str, dict[str, None]] = {}
    coded = [
        (f.key, f.code_list, columns[f.key])
        for f in FIELDS
        if f.kind == FieldKind.CODE and columns.get(f.key) in table.headers
    ]
    for row in table.rows():
        for key, code_list, column in coded:
            values = found.setdefault(code_list, {})
            cell = row.values.get(column)
            parts = split_values(cell) if key in INTERVENTION_SLOTS else [cell_text(cell)]
            for value in parts:
                if value and len(values) < MAX_VALUES:
                    values.setdefault(value, None)
    return {k: list(v) for k, v in found.items() if v}


def initial_codes(mapping: IncidentMapping, found: dict[str, list[str]]) -> dict[str, str]:
    """The form's starting codes: the mapping's own, else a near-certain suggestion."""
    initial = {}
    for code_list, values in found.items():
        for index, value in enumerate(values):
            code = mapping.code_for(code_list, value) or CODE_LISTS[code_list].suggest(value)
            if code:
                initial[f"{code_list}__{index}"] = code
    return initial


def unmapped(mapping: IncidentMapping, found: dict[str, list[str]]) -> list[tuple[str, str]]:
    """(code list label, value) for each value the saved mapping has no code for."""
    return [
        (CODE_LISTS[code_list].label, value)
        for code_list, values in found.items()
        for value in values
        if mapping.code_for(code_list, value) is None
    ]


@dataclass(frozen=True)
class Repeats:
    """Incident references on more than one row of an export: the sign of an export with one row
    per restrictive intervention, which the values page points out when the mapping says
    otherwise."""

    incidents: int = 0
    #: Of those, how many have different types of force on their rows.
    with_other_types: int = 0
    #: The first repeated reference and its rows, to show.
    example: tuple[str, list[int]] | None = None


def repeated_references(table: Table, columns: dict[str, str]) -> Repeats:
    column = columns.get("incident_reference")
    if column not in table.headers:
        return Repeats()
    slots = [columns[s] for s in INTERVENTION_SLOTS if columns.get(s) in table.headers]
    rows: dict[str, list[int]] = {}
    types: dict[str, set[frozenset[str]]] = {}
    for row in table.rows():
        reference = cell_text(row.values.get(column))
        if not reference:
            continue
        rows.setdefault(reference, []).append(row.number)
        found = frozenset(
            value.casefold() for slot in slots for value in split_values(row.values.get(slot))
        )
        types.setdefault(reference, set()).add(found)
    repeated = [reference for reference, numbers in rows.items() if len(numbers) > 1]
    return Repeats(
        incidents=len(repeated),
        with_other_types=sum(1 for reference in repeated if len(types[reference]) > 1),
        example=(repeated[0], rows[repeated[0]]) if repeated else None,
    )

"""`mhsip equity`: rates and rate ratios by group (ethnicity, age band, sex …) from a CSV file.

    mhsip equity INPUT.csv --group-column C --events-column C --denominator-column C
        --reference GROUP [--multiplier 1000] [--no-suppression]
        [--format {json,csv}] [--output FILE]

One row per group, in the file's order: group, events, denominator, rate, rate_lower, rate_upper,
rate_ratio, ratio_lower, ratio_upper, suppressed, reading. The option names and output fields are a
contract that analysts script against: keep them. Bad input exits with status 1 and one line naming
the line of the file and the column; bad options exit with status 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from mhsip.cli.tabular import (
    InputError,
    OneLineArgumentParser,
    describe_rows,
    positive_number,
    read_count_rows,
    to_csv,
    to_json,
    where,
    write_text,
)
from mhsip.equity import GROUP_FIELDS, group_table
from mhsip.equity.suppression import NHS_DIGITAL

PROG = "mhsip equity"


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineArgumentParser(
        prog=PROG,
        description="Rates by group with exact 95% Poisson intervals, and each group's rate "
        "ratio against a reference group with the exact conditional interval, from a CSV file "
        "with one row per group. JSON output is a list of row objects with the fields group, "
        "events, denominator, rate, rate_lower, rate_upper, rate_ratio, ratio_lower, "
        "ratio_upper, suppressed and reading; CSV output is a header and the same rows. "
        "Suppressed or blank input cells (*, [c], [x], [low], .., blank) are kept: the row is "
        "output with suppressed true and no rates, and a note on standard error lists them.",
        epilog="suppressed is true when the group's figures are withheld: it has fewer than "
        f"{NHS_DIGITAL.smallest_count} events (NHS Digital's rule; its events, rates and ratio "
        "are then null), or its events or denominator were suppressed or blank in the input. "
        "Rates are events / denominator x multiplier. See docs/statistics/equity.md.",
    )
    parser.add_argument("input", metavar="INPUT.csv", help="CSV file with a header row")
    parser.add_argument("--group-column", required=True, metavar="COL")
    parser.add_argument("--events-column", required=True, metavar="COL")
    parser.add_argument(
        "--denominator-column", required=True, metavar="COL", help="bed days, people, population"
    )
    parser.add_argument(
        "--reference", required=True, metavar="GROUP", help="the group others are compared with"
    )
    parser.add_argument(
        "--multiplier",
        type=positive_number,
        default=1000.0,
        metavar="X",
        help="rates per X of the denominator (default 1000, e.g. per 1,000 bed days)",
    )
    parser.add_argument(
        "--no-suppression",
        action="store_true",
        help=f"show groups with fewer than {NHS_DIGITAL.smallest_count} events too; only for "
        "figures that stay inside the organisation that owns the data",
    )
    parser.add_argument("--format", choices=["json", "csv"], default="json")
    parser.add_argument("--output", metavar="FILE", help="write here instead of standard output")
    return parser


@dataclass
class Groups:
    """The groups read from the file, in its order."""

    names: list[str] = field(default_factory=list)
    events: list[float | None] = field(default_factory=list)
    denominators: list[float | None] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    #: Descriptions of rows with a suppressed or blank value, for the note.
    withheld: list[str] = field(default_factory=list)


def main(argv: Sequence[str]) -> int:
    args = build_parser().parse_args(list(argv))
    path = Path(args.input)
    try:
        groups = read_groups(
            path,
            group_column=args.group_column,
            events_column=args.events_column,
            denominator_column=args.denominator_column,
        )
        rule = None if args.no_suppression else NHS_DIGITAL
        _check_reference(groups, args, path, smallest=None if rule is None else rule.smallest_count)
        try:
            table = group_table(
                groups.names,
                groups.events,
                groups.denominators,
                reference=args.reference,
                multiplier=args.multiplier,
                rule=rule,
            )
        except ValueError as error:
            raise InputError(f"{path}: {error}") from None
        rows = table.to_list()
        text = to_json(rows) if args.format == "json" else to_csv(rows, GROUP_FIELDS)
        write_text(text, args.output)
    except InputError as error:
        print(f"{PROG}: error: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"{PROG}: error: {error.strerror}: {error.filename}", file=sys.stderr)
        return 1
    _notes(groups, [r for r in table.rows if r.because == "small"])
    return 0


def read_groups(
    path: Path, *, group_column: str, events_column: str, denominator_column: str
) -> Groups:
    groups = Groups()
    for row in read_count_rows(
        path,
        name_column=group_column,
        events_column=events_column,
        denominator_column=denominator_column,
        noun="group",
    ):
        groups.names.append(row.name)
        groups.events.append(row.events.value)
        groups.denominators.append(row.denominator.value)
        groups.lines.append(row.line)
        if row.withheld:
            groups.withheld.append(row.withheld)
    return groups


def _check_reference(
    groups: Groups, args: argparse.Namespace, path: Path, *, smallest: int | None
) -> None:
    """Name the line and column when the reference group cannot be compared against."""
    reference = args.reference
    if reference not in groups.names:
        shown = describe_rows([f'"{n}"' for n in groups.names])
        raise InputError(
            f'{path}: no group "{reference}" in column "{args.group_column}" '
            f"(the groups are {shown})"
        )
    i = groups.names.index(reference)
    line = groups.lines[i]
    if groups.events[i] is None or groups.denominators[i] is None:
        column = args.events_column if groups.events[i] is None else args.denominator_column
        raise InputError(
            f'{where(path, line, column)}: the reference group "{reference}" has a suppressed '
            "or blank value; choose another reference group"
        )
    if smallest is not None and groups.events[i] < smallest:
        raise InputError(
            f'{where(path, line, args.events_column)}: the reference group "{reference}" is '
            f"suppressed (fewer than {smallest} events); choose another reference group, or use "
            "--no-suppression if the figures stay inside your organisation"
        )
    if groups.events[i] == 0:
        raise InputError(
            f'{where(path, line, args.events_column)}: the reference group "{reference}" has no '
            "events, so no rate ratio can be calculated; choose another reference group"
        )


def _notes(groups: Groups, small: list) -> None:
    """Say on standard error what was read but could not be shown, so nothing passes unseen."""
    if groups.withheld:
        count = len(groups.withheld)
        print(
            f"{PROG}: note: {count} row{'s' * (count != 1)} had suppressed or blank values: "
            f"{describe_rows(groups.withheld)}; shown with suppressed true and no rates",
            file=sys.stderr,
        )
    if small:
        count = len(small)
        names = describe_rows([f'"{row.group}"' for row in small])
        print(
            f"{PROG}: note: {count} group{'s' * (count != 1)} had fewer than "
            f"{NHS_DIGITAL.smallest_count} events and {'are' if count != 1 else 'is'} "
            f"suppressed: {names} (--no-suppression shows {'them' if count != 1 else 'it'})",
            file=sys.stderr,
        )

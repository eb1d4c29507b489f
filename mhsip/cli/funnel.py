"""`mhsip funnel`: compare wards or providers on a funnel plot, from a CSV file.

    mhsip funnel INPUT.csv --unit-column C --events-column C --denominator-column C
        [--multiplier 1000] [--proportion] [--overdispersion]
        [--overdispersion-model {multiplicative,additive}] [--format {json,csv}] [--output FILE]

JSON output is one document: {"method", "multiplier", "centre", "overdispersion", "phi", "tau2",
"units": [one object per unit]}; CSV output is a header and one line per unit. Unit fields: unit,
events, denominator, rate, centre, lower_95, upper_95, lower_998, upper_998, z, flag (high, low,
in_range, or unknown when the input's value was suppressed or blank). The option names and output
fields are a contract that analysts script against: keep them. Bad input exits with status 1 and one
line naming the line of the file and the column; bad options exit with status 2.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from mhsip.cli.tabular import (
    Cell,
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
from mhsip.comparison import UNIT_FIELDS, Funnel, Overdispersion, funnel

PROG = "mhsip funnel"

#: Default multipliers: rates per 1,000 (bed days), proportions as percentages.
RATE_MULTIPLIER = 1000.0
PROPORTION_MULTIPLIER = 100.0


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineArgumentParser(
        prog=PROG,
        description="Compare units (wards, providers) on a funnel plot: each unit's rate "
        "against the pooled rate, with exact Poisson (or, with --proportion, binomial) limits "
        "at 95% and 99.8% at the unit's own denominator. Units outside the 99.8% limits are "
        "flagged high or low. JSON output is one object: method, multiplier, centre, "
        "overdispersion, phi, tau2, and units, a list with one object per unit (unit, events, "
        "denominator, rate, centre, lower_95, upper_95, lower_998, upper_998, z, flag); CSV "
        "output is a header and one line per unit. Suppressed or blank input cells (*, [c], "
        "[x], [low], .., blank) are kept: the unit is listed with flag unknown and a note on "
        "standard error lists them.",
        epilog="A low outlier may be a bright spot or may be under-recording: restraint is known "
        "to be under-recorded. Compare like with like (the same kind of ward). "
        "See docs/statistics/funnel.md.",
    )
    parser.add_argument("input", metavar="INPUT.csv", help="CSV file with a header row")
    parser.add_argument("--unit-column", required=True, metavar="COL")
    parser.add_argument("--events-column", required=True, metavar="COL")
    parser.add_argument(
        "--denominator-column", required=True, metavar="COL", help="bed days, or people"
    )
    parser.add_argument(
        "--multiplier",
        type=positive_number,
        metavar="X",
        help=f"rates per X of the denominator (default {RATE_MULTIPLIER:g}; "
        f"{PROPORTION_MULTIPLIER:g}, a percentage, with --proportion)",
    )
    parser.add_argument(
        "--proportion",
        action="store_true",
        help="events are a subset of the denominator (people restrained out of people in "
        "hospital): exact binomial limits instead of Poisson",
    )
    parser.add_argument(
        "--overdispersion",
        action="store_true",
        help="widen the limits for more spread between units than chance (Spiegelhalter 2005, "
        "z-scores winsorised at 10%% and 90%%): by sqrt(phi) when phi > 1",
    )
    parser.add_argument(
        "--overdispersion-model",
        choices=[Overdispersion.MULTIPLICATIVE.value, Overdispersion.ADDITIVE.value],
        help="multiplicative (phi, the default) or additive random effects (tau2); implies "
        "--overdispersion",
    )
    parser.add_argument("--format", choices=["json", "csv"], default="json")
    parser.add_argument("--output", metavar="FILE", help="write here instead of standard output")
    return parser


@dataclass
class Units:
    names: list[str] = field(default_factory=list)
    events: list[float] = field(default_factory=list)
    denominators: list[float] = field(default_factory=list)
    withheld: list[str] = field(default_factory=list)


def main(argv: Sequence[str]) -> int:
    args = build_parser().parse_args(list(argv))
    path = Path(args.input)
    model = Overdispersion.NONE
    if args.overdispersion or args.overdispersion_model:
        model = Overdispersion(args.overdispersion_model or Overdispersion.MULTIPLICATIVE)
    multiplier = args.multiplier or (PROPORTION_MULTIPLIER if args.proportion else RATE_MULTIPLIER)
    try:
        units = read_units(
            path,
            unit_column=args.unit_column,
            events_column=args.events_column,
            denominator_column=args.denominator_column,
            proportion=args.proportion,
        )
        try:
            result = funnel(
                units.events,
                units.denominators,
                units=units.names,
                multiplier=multiplier,
                proportion=args.proportion,
                overdispersion=model,
            )
        except ValueError as error:
            raise InputError(f"{path}: {error}") from None
        if args.format == "json":
            text = to_json(result.to_dict())
        else:
            text = to_csv(result.rows(), UNIT_FIELDS)
        write_text(text, args.output)
    except InputError as error:
        print(f"{PROG}: error: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"{PROG}: error: {error.strerror}: {error.filename}", file=sys.stderr)
        return 1
    _notes(units, result)
    return 0


def read_units(
    path: Path,
    *,
    unit_column: str,
    events_column: str,
    denominator_column: str,
    proportion: bool,
) -> Units:
    units = Units()
    for row in read_count_rows(
        path,
        name_column=unit_column,
        events_column=events_column,
        denominator_column=denominator_column,
        noun="unit",
    ):
        if proportion:
            _check_proportion(
                row.events, row.denominator, path, row.line, events_column, denominator_column
            )
        units.names.append(row.name)
        units.events.append(math.nan if row.events.value is None else row.events.value)
        units.denominators.append(
            math.nan if row.denominator.value is None else row.denominator.value
        )
        if row.withheld:
            units.withheld.append(row.withheld)
    return units


def _check_proportion(
    events: Cell,
    denominator: Cell,
    path: Path,
    line: int,
    events_column: str,
    denominator_column: str,
) -> None:
    n = denominator.value
    if n is not None and n != math.floor(n):
        raise InputError(
            f"{where(path, line, denominator_column)}: {denominator.text!r} is not a whole "
            "number; a proportion's denominator counts people or records"
        )
    if n is not None and events.value is not None and events.value > n:
        raise InputError(
            f"{where(path, line, events_column)}: {events.text} events is more than the "
            f"denominator, {denominator.text}"
        )


def _notes(units: Units, result: Funnel) -> None:
    """Say on standard error what was read but could not be placed, and what was estimated."""
    if units.withheld:
        count = len(units.withheld)
        print(
            f"{PROG}: note: {count} row{'s' * (count != 1)} had suppressed or blank values: "
            f"{describe_rows(units.withheld)}; listed with flag unknown",
            file=sys.stderr,
        )
    if result.overdispersion is Overdispersion.NONE:
        return
    estimate = f"phi = {result.phi:.3g} from {result.known_units} units (z-scores winsorised at 10% and 90%)"
    if result.overdispersion is Overdispersion.MULTIPLICATIVE:
        effect = (
            f"limits widened by sqrt(phi) = {math.sqrt(result.phi):.3g}"
            if result.phi > 1
            else "phi is not above 1, so the limits are not widened"
        )
    else:
        effect = (
            f"tau2 = {result.tau2:.3g}: each unit's limits widened by sqrt(1 + tau2 / its variance)"
            if result.tau2
            else "tau2 = 0, so the limits are not widened"
        )
    print(f"{PROG}: note: over-dispersion {estimate}; {effect}", file=sys.stderr)

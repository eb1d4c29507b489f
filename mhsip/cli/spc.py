"""`mhsip spc`: chart a CSV file with the SPC engine, for analysts and our own checks.

    mhsip spc INPUT.csv --chart {xmr,run,mr,p,pp,u,up,c,t,g}
        [--date-column date] [--value-column value] [--denominator-column n] [--multiplier 1]
        [--improvement {increase,decrease,neutral}] [--target X]
        [--rebase DATE ...] [--fix-after N] [--no-screen-outliers]
        [--shift-length 7] [--trend-length 7] [--series-column COL]
        [--format {json,csv}] [--output FILE] [--plot FILE.svg|FILE.png]

The option names and output fields are a contract that analysts script against: keep them.
Bad input exits with status 1 and one line naming the line of the file and the column;
bad options exit with status 2. Neither prints a traceback.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np

from mhsip.cli.tabular import (
    InputError,
    OneLineArgumentParser,
    csv_cell,
    parse_number,
    read_rows,
)
from mhsip.spc import ChartType, ImprovementDirection, SpcOptions, spc_chart
from mhsip.spc.constants import DEFAULT_SHIFT_LENGTH, DEFAULT_TREND_LENGTH

PROG = "mhsip spc"

#: Point fields of the CSV output, in the order of the JSON contract.
POINT_FIELDS = (
    "date",
    "value",
    "denominator",
    "phase",
    "centre",
    "lower",
    "upper",
    "lower_2sigma",
    "upper_2sigma",
    "outside_limits",
    "shift",
    "trend",
    "two_in_three",
    "special_cause",
    "point_type",
    "excluded",
)

DATE_FORMATS = ("%Y-%m-%d", "%Y-%m", "%d/%m/%Y")


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineArgumentParser(
        prog=PROG,
        description="Chart a time series from a CSV file as a statistical process control "
        "chart, with Making Data Count rules and icons and the Anhøj runs analysis.",
    )
    parser.add_argument("input", metavar="INPUT.csv", help="CSV file with a header row")
    parser.add_argument("--chart", required=True, choices=[c.value for c in ChartType])
    parser.add_argument("--date-column", default="date", metavar="COL")
    parser.add_argument("--value-column", default="value", metavar="COL")
    parser.add_argument(
        "--denominator-column",
        metavar="COL",
        help="denominators (default `n` for p, pp, u and up charts; with xmr, mr and run the "
        "chart shows value / denominator x multiplier)",
    )
    parser.add_argument("--multiplier", type=float, default=1.0, metavar="X")
    parser.add_argument(
        "--improvement",
        choices=[d.value for d in ImprovementDirection],
        default=ImprovementDirection.INCREASE.value,
    )
    parser.add_argument("--target", type=float, metavar="X")
    parser.add_argument(
        "--rebase", nargs="+", default=[], metavar="DATE", help="start a new phase at each date"
    )
    parser.add_argument(
        "--exclude",
        nargs="+",
        default=[],
        metavar="DATE",
        help="leave these points out of the calculations (they are still shown)",
    )
    parser.add_argument("--fix-after", type=int, metavar="N")
    parser.add_argument("--no-screen-outliers", action="store_true")
    parser.add_argument("--shift-length", type=int, default=DEFAULT_SHIFT_LENGTH, metavar="N")
    parser.add_argument("--trend-length", type=int, default=DEFAULT_TREND_LENGTH, metavar="N")
    parser.add_argument(
        "--two-in-three-counts-outside",
        action="store_true",
        help="count points beyond the 3-sigma limits in the two-in-three rule (MDC, Nov 2023)",
    )
    parser.add_argument("--series-column", metavar="COL", help="chart each series separately")
    parser.add_argument("--format", choices=["json", "csv"], default="json")
    parser.add_argument("--output", metavar="FILE", help="write here instead of standard output")
    parser.add_argument("--plot", metavar="FILE", help="draw the chart as FILE.svg or FILE.png")
    return parser


@dataclass
class Series:
    """One series read from the file: its points in date order."""

    key: str | None
    dates: list[date] = field(default_factory=list)
    values: list[float] = field(default_factory=list)
    denominators: list[float] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)


def main(argv: Sequence[str]) -> int:
    parser = build_parser()
    args = parser.parse_args(list(argv))
    try:
        options = _options(args)
        chart = ChartType(args.chart)
        denominator_column = args.denominator_column or ("n" if chart.needs_denominator else None)
        if denominator_column and not chart.accepts_denominator:
            raise InputError(f"a {chart.value} chart takes no denominator")
        if args.plot and Path(args.plot).suffix.lower() not in {".svg", ".png"}:
            raise InputError(f"--plot {args.plot}: the file name must end in .svg or .png")
        rebase = [_parse_date(d, f"--rebase {d}") for d in args.rebase]
        exclude = [_parse_date(d, f"--exclude {d}") for d in args.exclude]
        all_series = read_series(
            Path(args.input),
            date_column=args.date_column,
            value_column=args.value_column,
            denominator_column=denominator_column,
            series_column=args.series_column,
        )
        charts = chart_all(all_series, chart=chart, options=options, rebase=rebase, exclude=exclude)
        text = _format(charts, args.format, series_mode=args.series_column is not None)
        if args.output:
            Path(args.output).write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)
        if args.plot:
            _plot(charts, Path(args.plot), y_title=_axis_title(args, denominator_column))
    except InputError as error:
        print(f"{PROG}: error: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"{PROG}: error: {error.strerror}: {error.filename}", file=sys.stderr)
        return 1
    return 0


def _options(args: argparse.Namespace) -> SpcOptions:
    try:
        return SpcOptions(
            improvement=args.improvement,
            target=args.target,
            fix_after=args.fix_after,
            screen_outliers=not args.no_screen_outliers,
            shift_length=args.shift_length,
            trend_length=args.trend_length,
            two_in_three_counts_outside=args.two_in_three_counts_outside,
            multiplier=args.multiplier,
        )
    except ValueError as error:
        raise InputError(str(error).replace("_", "-")) from None


def _parse_date(text: str, where: str) -> date:
    text = text.strip()
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    if not text:
        raise InputError(f"{where}: the date is blank")
    raise InputError(f"{where}: {text!r} is not a date (use YYYY-MM-DD, YYYY-MM or DD/MM/YYYY)")


def read_series(
    path: Path,
    *,
    date_column: str,
    value_column: str,
    denominator_column: str | None,
    series_column: str | None,
) -> list[Series]:
    """Read and check every row; series keep the order in which they first appear."""
    wanted = [date_column, value_column, denominator_column, series_column]
    by_key: dict[str | None, Series] = {}
    for line, row in read_rows(path, wanted):
        key = row[series_column].strip() if series_column else None
        series = by_key.setdefault(key, Series(key))
        _read_point(series, row, line, path, value_column, date_column, denominator_column)
    for series in by_key.values():
        _sort_and_check_dates(series, path)
    return list(by_key.values())


def _read_point(
    series: Series,
    row: dict[str, str],
    line: int,
    path: Path,
    value_column: str,
    date_column: str,
    denominator_column: str | None,
) -> None:
    def where(column: str) -> str:
        return f'{path} line {line}, column "{column}"'

    series.dates.append(_parse_date(row[date_column] or "", where(date_column)))
    raw_value = (row[value_column] or "").strip()
    value = math.nan if raw_value == "" else parse_number(raw_value, where(value_column))
    series.values.append(value)
    if denominator_column is not None:
        raw = (row[denominator_column] or "").strip()
        if raw == "":
            if not math.isnan(value):
                raise InputError(f"{where(denominator_column)}: the denominator is blank")
            denominator = math.nan
        else:
            denominator = parse_number(raw, where(denominator_column))
            if denominator <= 0:
                raise InputError(
                    f"{where(denominator_column)}: the denominator must be greater than 0, "
                    f"not {raw}"
                )
        series.denominators.append(denominator)
    series.lines.append(line)


def _sort_and_check_dates(series: Series, path: Path) -> None:
    order = sorted(range(len(series.dates)), key=series.dates.__getitem__)
    for name in ("dates", "values", "denominators", "lines"):
        column = getattr(series, name)
        if column:
            setattr(series, name, [column[i] for i in order])
    for (previous, current), line in zip(pairwise(series.dates), series.lines[1:], strict=True):
        if previous == current:
            which = f" in series {series.key!r}" if series.key is not None else ""
            raise InputError(f"{path} line {line}: the date {current} appears twice{which}")


def chart_all(
    all_series: list[Series],
    *,
    chart: ChartType,
    options: SpcOptions,
    rebase: Sequence[date],
    exclude: Sequence[date],
) -> list[dict[str, Any]]:
    """Chart every series; series with the same dates go through the engine as one matrix."""
    groups: dict[tuple[date, ...], list[int]] = {}
    for index, series in enumerate(all_series):
        groups.setdefault(tuple(series.dates), []).append(index)
    charts: list[dict[str, Any]] = [{} for _ in all_series]
    for members in groups.values():
        first = all_series[members[0]]
        name = _name(first) if len(members) == 1 else ""
        dates = np.array(first.dates, dtype="datetime64[D]")
        starts, excluded = _positions(dates, rebase, exclude, name)
        for index in members:
            _check_enough_points(all_series[index], chart, starts, excluded)
        try:
            result = spc_chart(
                [all_series[i].values for i in members],
                chart=chart,
                denominators=[all_series[i].denominators for i in members]
                if first.denominators
                else None,
                dates=dates,
                rebase=starts,
                exclude=excluded,
                options=options,
            )
        except ValueError as error:
            if len(members) == 1:
                raise InputError(f"{name}{error}") from None
            # Chart the series one by one to name the one at fault.
            for index in members:
                charts[index] = chart_all(
                    [all_series[index]],
                    chart=chart,
                    options=options,
                    rebase=rebase,
                    exclude=exclude,
                )[0]
            continue
        for row, index in enumerate(members):
            payload = result.to_dict(row)
            key = all_series[index].key
            charts[index] = payload if key is None else {"series": key, **payload}
    return charts


def _name(series: Series) -> str:
    return f"series {series.key!r}: " if series.key is not None else ""


def _positions(
    dates: np.ndarray, rebase: Sequence[date], exclude: Sequence[date], name: str
) -> tuple[list[int], list[int]]:
    """Phase starts (the first point on or after each rebase date) and excluded columns."""
    starts = [0]
    for when in rebase:
        later = np.flatnonzero(dates >= np.datetime64(when))
        if len(later) == 0:
            last = np.datetime_as_string(dates[-1])
            raise InputError(f"{name}--rebase {when} is after the last point ({last})")
        starts.append(int(later[0]))
    excluded = [int(i) for when in exclude for i in np.flatnonzero(dates == np.datetime64(when))]
    return sorted(set(starts)), excluded


def _check_enough_points(
    series: Series, chart: ChartType, starts: list[int], excluded: list[int]
) -> None:
    name = _name(series)
    values = np.array(series.values)
    usable = ~np.isnan(values)
    usable[excluded] = False
    for start, stop in zip(starts, [*starts[1:], len(values)], strict=True):
        count = int(usable[start:stop].sum())
        if count < chart.min_points:
            first = series.dates[start]
            where = f"the phase starting {first}" if len(starts) > 1 else "the series"
            raise InputError(
                f"{name}{where} has {count} point{'s' * (count != 1)} with a value; a "
                f"{chart.value} chart needs at least {chart.min_points}"
            )


def _format(charts: list[dict[str, Any]], fmt: str, *, series_mode: bool) -> str:
    if fmt == "json":
        document: Any = {"series": charts} if series_mode else charts[0]
        return json.dumps(document, indent=2, allow_nan=False) + "\n"
    out = io.StringIO()
    fields = (("series",) if series_mode else ()) + POINT_FIELDS
    writer = csv.DictWriter(out, fieldnames=fields, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for payload in charts:
        for point in payload["points"]:
            row = {k: csv_cell(v) for k, v in point.items()}
            if series_mode:
                row["series"] = payload["series"]
            writer.writerow(row)
    return out.getvalue()


def _axis_title(args: argparse.Namespace, denominator_column: str | None) -> str:
    """Say what the y axis shows in the file's own words, e.g. "restraints per 1,000 bed_days"."""
    if denominator_column is None:
        return args.value_column
    return f"{args.value_column} per {args.multiplier:,g} {denominator_column}"


def _plot(charts: list[dict[str, Any]], path: Path, *, y_title: str) -> None:
    from mhsip.charts.render import save_chart

    for payload in charts:
        target = path
        if "series" in payload:
            safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in payload["series"])
            target = path.with_name(f"{path.stem}-{safe}{path.suffix}")
        save_chart(payload, target, title=payload.get("series"), y_title=y_title)

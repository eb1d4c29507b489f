"""`mhsip import mhsds` on a large generated extract: wall time and peak memory, SQLite and PostgreSQL.

    python benchmarks/imports.py                                  # 1,000,000 ward-stay rows, 200,000 types
    python benchmarks/imports.py --stays 50000 --interventions 10000 --databases sqlite   # a quick look
    python benchmarks/imports.py --extract /tmp/extract           # reuse (or keep) a generated extract

Issue 8's aim: an extract with 1 million ward-stay rows and 200,000 interventions imported in under
a minute. The extract is generated once (tests/factories/mhsds_extracts.py, a fixed seed; 12
months, about 20 providers, Refreshes and FileType 3 files included, the row counts are printed).
Each database is measured in a fresh child process: migrate (not timed), then the import as a
user runs it (`call_command("import", "mhsds", DIR)`), timed, with the process's peak resident set
(VmHWM) before and after; then `mhsip measures` at provider and ward level. With --tracemalloc the
import also runs under tracemalloc (Python allocations only; it slows the import, so the time of
that run is not the headline). Results go to benchmarks/results/imports.json and a table on
standard output. PostgreSQL is postgres://postgres@127.0.0.1:5432 (a database created and dropped
for the run); when it cannot be reached the run says so and measures the rest.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import machine, make_database  # benchmarks/common.py, beside this script

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # for tests.factories when run as a script

RESULTS = ROOT / "benchmarks" / "results" / "imports.json"
SEED = 20230501
AIM_SECONDS = 60.0  # issue 8: "aim: under a minute"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stays", type=int, default=1_000_000, help="MHS502 rows, about")
    parser.add_argument("--interventions", type=int, default=200_000, help="MHS515 rows, about")
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--extract", type=Path, help="directory to write (or reuse) the extract in")
    parser.add_argument("--tracemalloc", action="store_true", help="also trace Python allocations")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child, args.tracemalloc)))
        return 0

    with tempfile.TemporaryDirectory(prefix="mhsip-bench-extract-") as scratch:
        directory = args.extract or Path(scratch) / "extract"
        results = {"machine": machine(), "extract": extract(directory, args), "databases": {}}
        for database in args.databases.split(","):
            try:
                url, cleanup = make_database(database, "mhsip_bench_imports")
            except Exception as error:  # no server to talk to: say so and measure the rest
                print(f"{database}: SKIPPED ({type(error).__name__}: {error})", file=sys.stderr)
                results["databases"][database] = {"skipped": f"{type(error).__name__}: {error}"}
                continue
            try:
                command = [sys.executable, __file__, "--child", str(directory)]
                if args.tracemalloc:
                    command.append("--tracemalloc")
                done = subprocess.run(
                    command,
                    env={**os.environ, "DEBUG": "1", "DATABASE_URL": url},
                    capture_output=True,
                    text=True,
                    check=False,
                    cwd=ROOT,
                )
                if done.returncode:
                    print(done.stderr[-3000:], file=sys.stderr)
                    results["databases"][database] = {"failed": done.stderr[-500:]}
                    continue
                results["databases"][database] = json.loads(done.stdout.strip().splitlines()[-1])
            finally:
                cleanup()
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=1))
    print_table(results)
    return 0


def extract(directory: Path, args) -> dict:
    """Generate the extract (or reuse one already in `directory`) and say what is in it."""
    if (directory / "MHS502WardStay.csv").exists():
        rows = {}
        for path in sorted(directory.glob("MHS*.csv")):
            with open(path, "rb") as handle:
                rows[path.stem] = sum(1 for _ in handle) - 1
        return {"directory": str(directory), "reused": True, "rows": rows}
    from tests.factories.mhsds_extracts import generate_extract, sizes_for

    started = time.perf_counter()
    parameters = sizes_for(args.stays, args.interventions, months=args.months)
    summary = generate_extract(directory, seed=SEED, **parameters)
    return {
        "directory": str(directory),
        "parameters": parameters,
        "generate_seconds": round(time.perf_counter() - started, 1),
        "megabytes": round(sum(p.stat().st_size for p in directory.iterdir()) / 2**20, 1),
        "rows": summary.rows,
    }


# --- the child process ----------------------------------------------------------------------


def peak_rss() -> int | None:
    """VmHWM, this process's peak resident set, in bytes (see benchmarks/run.py on why not
    ru_maxrss: a child starts with its parent's)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return None


def measure(directory: Path, trace: bool) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mhsip.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from mhsip.imports.models import ImportRun

    call_command("migrate", verbosity=0)
    before = peak_rss()
    out = io.StringIO()
    started = time.perf_counter()
    call_command("import", "mhsds", str(directory), stdout=out, stderr=out)
    seconds = time.perf_counter() - started
    after = peak_rss()
    run = ImportRun.objects.filter(kind="mhsds").latest("id")
    result = {
        "database": django.db.connection.vendor,
        "import_seconds": round(seconds, 1),
        "peak_rss_mb": round(after / 2**20) if after else None,
        "peak_rss_growth_mb": round((after - before) / 2**20) if after and before else None,
        "status": run.status,
        "counts": run.counts,
        "problems": run.problem_count,
        "rows_rejected": run.rows_rejected,
    }
    for level in ("provider", "ward"):
        text = io.StringIO()
        t = time.perf_counter()
        call_command("measures", "--level", level, stdout=text)
        result[f"measures_{level}_seconds"] = round(time.perf_counter() - t, 2)
        result[f"measures_{level}_rows"] = text.getvalue().count("\n") - 1
    if trace:
        import tracemalloc

        # Again on top (the import is idempotent), now counting Python allocations.
        tracemalloc.start()
        t = time.perf_counter()
        call_command("import", "mhsds", str(directory), stdout=io.StringIO(), stderr=io.StringIO())
        result["tracemalloc_reimport_seconds"] = round(time.perf_counter() - t, 1)
        result["tracemalloc_peak_mb"] = round(tracemalloc.get_traced_memory()[1] / 2**20)
        tracemalloc.stop()
    return result


def print_table(results: dict) -> None:
    rows = results["extract"]["rows"]
    print(
        f"extract: {rows.get('MHS502WardStay', 0):,} ward-stay rows, "
        f"{rows.get('MHS515RestrictiveInterventType', 0):,} intervention-type rows, "
        f"{sum(rows.values()):,} rows in all"
        + (
            f"; generated in {results['extract']['generate_seconds']} s"
            if "generate_seconds" in results["extract"]
            else ""
        )
    )
    header = (
        f"{'database':<10} {'import s':>9} {'aim 60 s':>8} {'peak RSS MB':>12} {'growth MB':>10} "
    )
    header += f"{'measures prov s':>15} {'measures ward s':>15}  status"
    print(header)
    for name, r in results["databases"].items():
        if "import_seconds" not in r:
            print(f"{name:<10} {next(iter(r.values()))[:80]}")
            continue
        print(
            f"{name:<10} {r['import_seconds']:>9} "
            f"{'met' if r['import_seconds'] < AIM_SECONDS else 'MISSED':>8} "
            f"{r['peak_rss_mb']!s:>12} {r['peak_rss_growth_mb']!s:>10} "
            f"{r['measures_provider_seconds']:>15} {r['measures_ward_seconds']:>15}  "
            f"{r['status']} ({r['rows_rejected']} rejected)"
        )
        if "tracemalloc_peak_mb" in r:
            print(f"{'':<10} tracemalloc peak {r['tracemalloc_peak_mb']} MB (re-import)")


if __name__ == "__main__":
    sys.exit(main())

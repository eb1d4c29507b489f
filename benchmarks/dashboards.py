"""Dashboard and `mhsip measures` timings on a large generated provider, on SQLite and PostgreSQL.

    python benchmarks/dashboards.py                     # 30 wards x 3 years, both databases
    python benchmarks/dashboards.py --wards 10 --years 1 --databases sqlite   # a quick look

Issue 4's aim: a dashboard page under 300 ms at the 95th percentile on a provider of 30 wards with
three years of data (about 50,000 interventions), and the measures of a whole network in seconds.
Each database is measured in a fresh child process: migrate, generate the provider (bulk inserts,
a fixed seed), then time requests through Django's full stack (middleware, permission checks,
measures, SPC, templates) with the test client, and `mhsip measures` for every ward. Results go to
benchmarks/results/dashboards.json and a table on standard output.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from common import machine, make_database  # benchmarks/common.py, beside this script

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "dashboards.json"
WARD_TYPES = ["adult_acute", "picu", "older_adult", "learning_disability", "forensic_low"]
# Restrictive interventions per 1,000 occupied bed days by ward type (mid-range of the demo's).
# Set so that 30 wards over 3 years give about 50,000 interventions, issue 4's size.
RATES = {
    "adult_acute": 33,
    "picu": 150,
    "older_adult": 16,
    "learning_disability": 160,
    "forensic_low": 40,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wards", type=int, default=30)
    parser.add_argument("--years", type=float, default=3)
    parser.add_argument("--repeat", type=int, default=20, help="requests timed per page")
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args)))
        return 0

    results = {"machine": machine(), "wards": args.wards, "years": args.years, "databases": {}}
    for database in args.databases.split(","):
        try:
            url, cleanup = make_database(database, "mhsip_bench")
        except Exception as error:  # no server to talk to: say so and measure the rest
            print(f"{database}: SKIPPED ({type(error).__name__}: {error})", file=sys.stderr)
            continue
        try:
            cache_dir = tempfile.mkdtemp(prefix="mhsip-bench-cache-")
            env = {
                **os.environ,
                "DEBUG": "1",
                "DATABASE_URL": url,
                # The production default: a cache shared through files by server and worker.
                "MHSIP_CACHE": "file",
                "MHSIP_CACHE_DIR": cache_dir,
                # The benchmark runs the warming task itself, timed, instead of queueing it.
                "MHSIP_WARM_DASHBOARDS": "0",
            }
            done = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--child",
                    "--wards",
                    str(args.wards),
                    "--years",
                    str(args.years),
                    "--repeat",
                    str(args.repeat),
                ],
                env=env,
                capture_output=True,
                text=True,
                check=False,
                cwd=ROOT,
            )
            if done.returncode:
                print(done.stderr[-3000:], file=sys.stderr)
                return done.returncode
            results["databases"][database] = json.loads(done.stdout.strip().splitlines()[-1])
        finally:
            cleanup()
            shutil.rmtree(cache_dir, ignore_errors=True)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=1))
    print_table(results)
    return 0


# --- the child process ----------------------------------------------------------------------


def measure(args) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mhsip.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    world = generate(args.wards, args.years)
    world["generate_seconds"] = round(time.perf_counter() - started, 1)

    from django.test import Client

    client = Client(HTTP_HOST="localhost")
    client.force_login(world.pop("user"))
    wards = world.pop("ward_codes")
    provider = world["provider"]
    pages = {
        "ward dashboard": [f"/dashboards/ward/{code}/" for code in wards],
        "ward measure page": [
            f"/dashboards/ward/{code}/restrictive_interventions/" for code in wards
        ],
        "provider dashboard": [f"/dashboards/provider/{provider}/"],
    }
    from django.core.cache import cache

    timings = {}
    for name, urls in pages.items():
        assert client.get(urls[0]).status_code == 200, urls[0]  # check it works
        # Cold: the dashboard cache emptied first, as after any change to the data.
        # Warm: what the next people to open the same page get.
        for state in ("cold", "warm"):
            seconds = []
            for i in range(args.repeat):
                url = urls[i % len(urls)]
                if state == "cold":
                    cache.clear()
                elif i < len(urls):
                    client.get(url)  # fill the cache for this page first
                t = time.perf_counter()
                response = client.get(url)
                seconds.append(time.perf_counter() - t)
                assert response.status_code == 200, url
            timings[f"{name} ({state})"] = summary(seconds)

    timings.update(after_a_change(client, provider, args.repeat))

    for level in ("ward", "provider"):
        out = io.StringIO()
        t = time.perf_counter()
        call_command("measures", "--level", level, stdout=out)
        elapsed = time.perf_counter() - t
        timings[f"mhsip measures --level {level}"] = {
            "seconds": round(elapsed, 2),
            "rows": out.getvalue().count("\n") - 1,
        }
    return {**world, "timings": timings}


def after_a_change(client, provider: str, repeat: int) -> dict:
    """What people see after someone changes one ward's data: the background task
    (`warm_dashboards`, run by `mhsip db_worker`) computes the ward's, provider's and network's
    summaries again, then the provider dashboard is opened. Times both."""
    from django.utils import timezone

    from mhsip.dashboards.tasks import warm_dashboards
    from mhsip.patients.models import WardStay

    stays = list(WardStay.objects.filter(ended_at__isnull=False).order_by("id")[:repeat])
    task_seconds, page_seconds = [], []
    for stay in stays:
        stay.ended_at = max(stay.ended_at, timezone.now().replace(microsecond=0))
        stay.save()  # one discharge time corrected: the ward's data version changes
        t = time.perf_counter()
        warm_dashboards.call([stay.ward_id])
        task_seconds.append(time.perf_counter() - t)
        t = time.perf_counter()
        response = client.get(f"/dashboards/provider/{provider}/")
        page_seconds.append(time.perf_counter() - t)
        assert response.status_code == 200
    return {
        "warming task after a change to one ward (in the worker)": summary(task_seconds),
        "provider dashboard after a change, once warmed": summary(page_seconds),
    }


def summary(seconds: list[float]) -> dict:
    ordered = sorted(seconds)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "median_ms": round(statistics.median(ordered) * 1000, 1),
        "p95_ms": round(p95 * 1000, 1),
        "n": len(ordered),
    }


def generate(ward_count: int, years: float) -> dict:
    """A provider of `ward_count` wards with stays and use-of-force records, in bulk."""
    import numpy as np
    from django.utils import timezone

    from mhsip.accounts.models import User
    from mhsip.incidents.models import Intervention, UseOfForceRecord
    from mhsip.organisations.models import Membership, Organisation, Ward
    from mhsip.patients.models import Patient, WardStay
    from mhsip.patients.pseudonyms import alias_for, local_id_hash

    rng = np.random.default_rng(2026)
    network = Organisation.objects.create(kind="network", code="ZZBN", name="Bench Network")
    provider = Organisation.objects.create(
        kind="provider", code="ZZB1", name="Bench Provider NHS Trust", parent=network
    )
    sites = [
        Organisation.objects.create(
            kind="site", code=f"ZZB1S{i}", name=f"Site {i}", parent=provider
        )
        for i in range(3)
    ]
    wards = Ward.objects.bulk_create(
        Ward(
            site=sites[i % 3],
            code=f"ZZB1W{i:02d}",
            name=f"Ward {i:02d}",
            ward_type=WARD_TYPES[i % len(WARD_TYPES)],
            beds=20,
        )
        for i in range(ward_count)
    )
    user = User.objects.create(username="bench")
    Membership.objects.create(user=user, role="qi_lead", organisation=provider)

    now = timezone.now()
    start = now - timedelta(days=365.25 * years)
    span_days = (now - start).days
    stays, patients, spans = [], [], []
    for ward in wards:
        for _bed in range(ward.beds):
            day = float(rng.uniform(-30, 0))
            while day < span_days:
                length = float(rng.exponential(35)) + 1
                number = len(patients)
                id_hash = local_id_hash(provider.code, f"B{number:07d}")
                patients.append(
                    Patient(
                        provider=provider,
                        local_id_hash=id_hash,
                        alias=alias_for(id_hash),
                        year_of_birth=1980,
                    )
                )
                begin = start + timedelta(days=day)
                end = begin + timedelta(days=length)
                spans.append((ward, number, begin, end))
                day += length + float(rng.exponential(2))
    Patient.objects.bulk_create(patients, batch_size=2000)
    saved = list(Patient.objects.filter(provider=provider).order_by("id"))
    for ward, number, begin, end in spans:
        stays.append(
            WardStay(
                patient=saved[number],
                ward=ward,
                started_at=begin,
                ended_at=end if end < now else None,
                end_reason="discharge" if end < now else "",
            )
        )
    WardStay.objects.bulk_create(stays, batch_size=2000)

    records, plans = [], []
    for ward, number, begin, end in spans:
        end = min(end, now - timedelta(hours=1))
        days = max((end - begin).total_seconds() / 86400, 0)
        expected = days * RATES[ward.ward_type] / 1000 / 1.5
        for _ in range(int(rng.poisson(expected))):
            at = begin + timedelta(seconds=float(rng.uniform(0, days * 86400 - 3600)))
            if at < start:
                continue
            types = rng.choice(["11", "09", "01", "05", "14"], size=int(rng.integers(1, 3)))
            records.append(
                UseOfForceRecord(
                    ward=ward,
                    patient=saved[number],
                    created_by=user,
                    status="complete",
                    started_at=at,
                    ended_at=at + timedelta(minutes=30),
                    completed_at=at,
                    review_offered="yes",
                )
            )
            plans.append([(str(t), at + timedelta(minutes=5 * k)) for k, t in enumerate(types)])
    UseOfForceRecord.objects.bulk_create(records, batch_size=2000)
    interventions = [
        Intervention(
            record=record, type_code=code, started_at=at, ended_at=at + timedelta(minutes=10)
        )
        for record, plan in zip(records, plans, strict=True)
        for code, at in plan
    ]
    Intervention.objects.bulk_create(interventions, batch_size=2000)
    return {
        "provider": provider.code,
        "ward_codes": [w.code for w in wards],
        "user": user,
        "patients": len(patients),
        "stays": len(stays),
        "records": len(records),
        "interventions": len(interventions),
    }


def print_table(results: dict) -> None:
    print(
        f"\n{results['wards']} wards x {results['years']:g} years "
        f"({results['machine']['cores']} cores, {results['machine']['cpu']})"
    )
    for database, found in results["databases"].items():
        print(
            f"\n{database}: {found['records']:,} records, {found['interventions']:,} interventions, "
            f"{found['stays']:,} stays (generated in {found['generate_seconds']} s)"
        )
        for name, timing in found["timings"].items():
            if "median_ms" in timing:
                print(
                    f"  {name:<58} median {timing['median_ms']:>7.1f} ms   "
                    f"p95 {timing['p95_ms']:>7.1f} ms   (n={timing['n']})"
                )
            else:
                print(f"  {name:<34} {timing['seconds']:>7.2f} s    ({timing['rows']:,} rows)")


if __name__ == "__main__":
    sys.exit(main())

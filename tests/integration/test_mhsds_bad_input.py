"""`mhsip import mhsds` on damaged extracts: each kind of bad input gives a clear message naming
the file, row and field, and loses no good row; `--all-or-nothing` keeps nothing.

"No good row lost" is checked on the figures: every figure of a provider-month the damage did
not touch must equal the naive oracle's figure on the undamaged extract.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from mhsip.imports.models import ImportRun
from tests.factories.mhsds_extracts import CORRUPTIONS, Corruption, corrupt, generate_extract
from tests.reference.mhsds_oracle import oracle_figures, ward_providers
from tests.reference.test_mhsds_import import all_measures, mismatches

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def clean_extract(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("mhsds") / "clean"
    generate_extract(directory, seed=23, providers=3, months=4, spells_per_provider=50)
    return directory


def damaged(clean: Path, tmp_path: Path, kind: str) -> tuple[Path, Corruption]:
    directory = tmp_path / "damaged"
    shutil.copytree(clean, directory)
    return directory, corrupt(directory, kind, seed=4)


def run_import(directory: Path, *options: str) -> tuple[str, ImportRun | None]:
    """What the user sees: the command's output (or the error it stopped with), and the run."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import", "mhsds", str(directory), *options, stdout=out, stderr=err)
    except CommandError as error:
        err.write(f"CommandError: {error}\n")
    run = ImportRun.objects.filter(kind="mhsds").order_by("-id").first()
    return out.getvalue() + err.getvalue(), run


def reported(corruption: Corruption, run: ImportRun | None, output: str) -> bool:
    """Whether a problem names the damaged file, its row (when there is one) and a field."""
    for problem in run.problems if run else []:
        if corruption.file not in (problem["file"] or ""):
            continue
        if corruption.row is not None and problem["row"] != corruption.row:
            continue
        if corruption.fields and not any(
            name in f"{problem['field']} {problem['message']}" for name in corruption.fields
        ):
            continue
        return True
    # Or said in the command's output, in the same "file, row N, field: message" words.
    for line in output.splitlines():
        if corruption.file not in line:
            continue
        if corruption.row is not None and f"row {corruption.row}" not in line:
            continue
        if corruption.fields and not any(name in line for name in corruption.fields):
            continue
        return True
    return False


def month_id(period: str) -> int:
    year, month = map(int, period.split("-"))
    return 1478 + (year * 12 + month) - (2023 * 12 + 5)


@pytest.mark.parametrize("kind", CORRUPTIONS)
def test_bad_input_is_reported_by_file_row_and_field_and_good_rows_are_kept(
    clean_extract, tmp_path, kind
):
    directory, corruption = damaged(clean_extract, tmp_path, kind)

    output, run = run_import(directory)

    assert run is not None, output
    assert reported(corruption, run, output), (
        f"no problem names {corruption.file}, row {corruption.row}, {corruption.fields}:\n"
        f"problems: {run.problems[:10]}\noutput: {output[-2000:]}"
    )
    assert run.status != "failed", run.error
    if corruption.row is not None and corruption.row > 1:
        # One damaged row: at most that row is left out.
        assert run.rows_rejected <= 1, [p for p in run.problems if p["rejected"]][:5]
    owner = ward_providers(clean_extract)

    def touched(key) -> bool:
        level, organisation, period, measure_id = key
        provider = organisation if level == "provider" else owner.get(organisation, "?")
        return corruption.touches(level, provider, month_id(period), measure_id)

    expected = oracle_figures(clean_extract)
    wrong = mismatches(
        expected,
        all_measures(),
        providers={key[1] for key in expected if key[0] == "provider"},
        wards=set(owner),
        periods={key[2] for key in expected},
        skip=touched,
    )
    kept = sum(1 for key in expected if not touched(key))
    assert kept >= 20, "the damage should leave figures to compare"
    assert not wrong, f"{len(wrong)} of {kept} untouched figures differ:\n" + "\n".join(wrong[:20])


def extract_rows() -> int:
    return sum(model.objects.count() for model in apps.get_app_config("extracts").get_models())


# Only damage that makes a row unusable: an unknown code, a discharge before admission or a
# latin-1 accent can be kept with a warning (NHS Digital would count the row), so they need not
# stop an all-or-nothing import.
@pytest.mark.parametrize("kind", ["impossible_date", "cut_short", "missing_column"])
def test_all_or_nothing_keeps_nothing_when_a_row_fails(clean_extract, tmp_path, kind):
    directory, corruption = damaged(clean_extract, tmp_path, kind)
    organisations = apps.get_model("organisations", "Organisation").objects.count()

    output, run = run_import(directory, "--all-or-nothing")

    assert run is not None, output
    assert run.status == "refused", (run.status, output[-1000:])
    assert reported(corruption, run, output), run.problems[:10]
    assert extract_rows() == 0
    assert apps.get_model("organisations", "Organisation").objects.count() == organisations
    providers = {key[1] for key in oracle_figures(clean_extract) if key[0] == "provider"}
    assert not [key for key in all_measures() if key[1] in providers]


def test_all_or_nothing_imports_a_clean_extract_whole(clean_extract):
    output, run = run_import(clean_extract, "--all-or-nothing")

    assert run.status in {"finished", "problems"}, (run.status, output[-1000:])
    assert run.rows_rejected == 0
    expected = oracle_figures(clean_extract)
    wrong = mismatches(
        expected,
        all_measures(),
        providers={key[1] for key in expected if key[0] == "provider"},
        wards=set(ward_providers(clean_extract)),
        periods={key[2] for key in expected},
    )
    assert not wrong, "\n".join(wrong[:20])

"""National statistics from NHS England's real published files (../shared): the importer, the
command, the pages and who may use them."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.test import Client

from mhsip.imports.models import ImportRun, ImportStatus
from mhsip.national.models import PublishedFigure, PublishedProvider
from mhsip.national.published import PublishedMeasure
from tests.conftest import REPO_ROOT
from tests.factories.world import build_world

RAW = REPO_ROOT.parent / "shared" / "data" / "mhsds-restraint-provider-2021-22" / "raw"
needs_files = pytest.mark.skipif(
    not RAW.is_dir(),
    reason=f"NHS England's published files are not at {RAW} (the shared data folder)",
)
pytestmark = pytest.mark.django_db

SEP_2021 = date(2021, 9, 1)


def figures(measure: PublishedMeasure, period: date):
    return PublishedFigure.objects.filter(measure=measure, period=period)


@pytest.fixture
def imported():
    call_command("import", "national", str(RAW))
    return ImportRun.objects.get()


@needs_files
def test_every_row_of_the_36_files_is_kept(imported):
    # 8,184 rows: the count of SOURCE.md's tidy merge of the same 36 files.
    assert PublishedFigure.objects.count() == 8184
    assert imported.rows_rejected == 0
    assert imported.counts["figures added"] == 8184


@needs_files
def test_quick_facts_of_september_2021(imported):
    """SOURCE.md: 52 providers with an MHS76 row (4 of them `*`), Σ 2,340 people over the
    unsuppressed rows; Σ 731,765 bed days over every provider's unsuppressed bed days."""
    restrained = figures(PublishedMeasure.PEOPLE_RESTRAINED, SEP_2021)

    assert restrained.count() == 52
    assert restrained.filter(suppressed=True).count() == 4
    assert restrained.aggregate(s=Sum("value"))["s"] == 2340
    beds = figures(PublishedMeasure.BED_DAYS, SEP_2021).aggregate(s=Sum("value"))["s"]
    assert beds == 731765


@needs_files
@pytest.mark.parametrize(
    ("period", "people", "beds"),
    [
        (date(2021, 12, 1), 1865, 733480),
        (date(2022, 3, 1), 2610, 751005),
        (date(2022, 8, 1), 2860, 689430),
    ],
)
def test_quick_facts_of_other_months(imported, period, people, beds):
    assert (
        figures(PublishedMeasure.PEOPLE_RESTRAINED, period).aggregate(s=Sum("value"))["s"] == people
    )
    assert figures(PublishedMeasure.BED_DAYS, period).aggregate(s=Sum("value"))["s"] == beds


@needs_files
def test_iso_dated_files_are_read_into_their_months(imported):
    # rstr Feb, Apr, May and Jun 2022 are dated YYYY-MM-DD; the rest DD/MM/YYYY.
    for month in (2, 4, 5, 6):
        source = figures(PublishedMeasure.PEOPLE_RESTRAINED, date(2022, month, 1))
        assert source.count() > 40
        assert {f.source_file for f in source} == {
            f"rstr{month + 4:02d}_{date(2022, month, 1):%b}_2022.csv"
        }


@needs_files
def test_quoted_names_are_intact(imported):
    names = set(PublishedProvider.objects.values_list("name", flat=True))

    assert "TEES, ESK AND WEAR VALLEYS NHS FOUNDATION TRUST" in names
    assert "BARNET, ENFIELD AND HARINGEY MENTAL HEALTH NHS TRUST" in names
    assert not any(n in {"TEES", "ESK AND WEAR VALLEYS NHS FOUNDATION TRUST"} for n in names)


@needs_files
def test_jan_to_may_2022_hold_the_mental_health_act_measure_not_detentions(imported):
    under_act = PublishedFigure.objects.filter(measure=PublishedMeasure.PEOPLE_UNDER_MHA_END)
    detained = PublishedFigure.objects.filter(measure=PublishedMeasure.PEOPLE_DETAINED_END)

    assert sorted({f.period.month for f in under_act}) == [1, 2, 3, 4, 5]
    assert {f.period.year for f in under_act} == {2022}
    assert not detained.filter(period__in={f.period for f in under_act}).exists()
    notes = [p for p in imported.problem_list() if p.field == "measure"]
    assert [n.file for n in notes] == [
        f"sect{n:02d}_{m}_2022.csv"
        for n, m in zip(range(5, 10), ["Jan", "Feb", "Mar", "Apr", "May"], strict=True)
    ]
    assert all(not n.rejected for n in notes)


@needs_files
def test_reimport_is_idempotent(imported):
    before = list(PublishedFigure.objects.order_by("pk").values_list("pk", "value", "suppressed"))

    call_command("import", "national", str(RAW))

    second = ImportRun.objects.order_by("-pk").first()
    assert second.counts["figures added"] == 0 and second.counts["figures changed"] == 0
    assert second.counts["figures unchanged"] == 8184
    assert (
        list(PublishedFigure.objects.order_by("pk").values_list("pk", "value", "suppressed"))
        == before
    )


@needs_files
def test_a_single_file_can_be_imported(capsys):
    call_command("import", "national", str(RAW / "rstr06_Feb_2022.csv"))

    assert PublishedFigure.objects.count() == 43
    assert "Finished" in capsys.readouterr().out


def test_command_refuses_a_missing_path(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="does not exist"):
        call_command("import", "national", str(tmp_path / "nothing"))


# --- Pages -----------------------------------------------------------------------------------


@pytest.fixture
def world(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_world()


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@needs_files
def test_benchmark_page_for_september_2021(world, imported):
    page = signed_in(world.users["network_lead"]).get("/national/?month=2021-09").context["page"]

    # 52 MHS76 rows: 4 suppressed, 1 ("UNKNOWN") without bed days, 47 compared.
    assert len(page.rows) == 47
    assert len(page.suppressed) == 4 and page.without_bed_days == ["UNKNOWN"]
    september = page.trend[0]
    assert (september.people, september.providers, september.all_bed_days) == (2330, 47, 731765)
    assert page.centre == pytest.approx(2330 / september.bed_days * 1000)
    assert page.spec["layer"] and page.trend_spec


@needs_files
def test_benchmark_rings_the_viewers_own_provider(world, imported):
    tees = PublishedProvider.objects.get(name="TEES, ESK AND WEAR VALLEYS NHS FOUNDATION TRUST")
    tees.organisation = world.providers["A"]
    tees.save()

    response = signed_in(world.users["qi_lead"]).get("/national/?month=2021-09")

    page = response.context["page"]
    assert [r.name for r in page.rows if r.own] == [tees.name]
    assert page.rows[0].own  # yours first
    assert any(layer.get("name") == "yours" for layer in page.spec["layer"])
    assert b"Yours" in response.content


@needs_files
def test_benchmark_page_labels_the_measure_change(world, imported):
    response = signed_in(world.users["champion"]).get("/national/")

    assert response.status_code == 200
    assert response.content.count(b"Different measure") == 5


def test_benchmark_page_before_any_import_says_so(world):
    response = signed_in(world.users["ward_staff"]).get("/national/")

    assert response.status_code == 200
    assert b"No national statistics have been imported yet" in response.content


def test_benchmark_page_refuses_someone_without_figures(world):
    assert signed_in(world.users["system_admin"]).get("/national/").status_code == 403


@pytest.mark.parametrize("who", ["qi_lead", "responsible_person", "network_lead"])
def test_import_page_is_for_data_importers_and_network_leads(world, who):
    assert signed_in(world.users[who]).get("/national/import/").status_code == 200


@pytest.mark.parametrize(
    "who", ["ward_staff", "ward_manager", "champion", "patient_representative"]
)
def test_import_page_refuses_others(world, who):
    assert signed_in(world.users[who]).get("/national/import/").status_code == 403


def test_upload_imports_and_shows_problems_by_row(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(
        "rstr.csv", b'01/09/2021,"A, B TRUST",MHS76,10\n01/09/2021,C TRUST,MHS76,ten\n'
    )

    response = signed_in(world.users["qi_lead"]).post(
        "/national/import/", {"files": [upload]}, follow=True
    )

    assert PublishedFigure.objects.get().provider.name == "A, B TRUST"
    assert b"rstr.csv, row 2, value" in response.content
    assert ImportRun.objects.get().status == ImportStatus.FINISHED_WITH_PROBLEMS


def test_match_by_hand_only_to_ones_own_providers(world):
    published = PublishedProvider.objects.create(name="ASHBROOK HEALTH")
    client = signed_in(world.users["qi_lead"])

    other = client.post(
        "/national/providers/", {"published": published.pk, "organisation": world.providers["B"].pk}
    )
    own = client.post(
        "/national/providers/", {"published": published.pk, "organisation": world.providers["A"].pk}
    )

    published.refresh_from_db()
    assert other.status_code == 403
    assert own.status_code == 302 and published.organisation == world.providers["A"]


def test_champion_sees_matches_but_cannot_match(world):
    published = PublishedProvider.objects.create(name="ASHBROOK HEALTH")
    client = signed_in(world.users["champion"])

    assert client.get("/national/providers/").status_code == 200
    response = client.post(
        "/national/providers/", {"published": published.pk, "organisation": world.providers["A"].pk}
    )
    assert response.status_code == 403

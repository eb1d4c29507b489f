"""Writing a generated region: everything, consistently, or nothing."""

from datetime import UTC, datetime

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Exists, F, OuterRef, Q

from mhsip.auditing.models import AuditEvent
from mhsip.authorization.checks import has_permission
from mhsip.authorization.permissions import Permission
from mhsip.demo import load
from mhsip.demo.generate import DEMO_PASSWORD, generate_region
from mhsip.demo.load import DemoLoadError, load_region, logins_table
from mhsip.incidents.models import Intervention, RecordVersion, UseOfForceRecord
from mhsip.organisations.models import Organisation, Ward
from mhsip.patients.models import Patient, WardStay
from mhsip.patients.pseudonyms import alias_for, local_id_hash
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def small_region():
    return generate_region(now=NOW, seed=3, years=0.2)


@pytest.fixture(autouse=True)
def quick_passwords(settings):
    # Argon2 is slow by design; the tests check passwords, not the hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_load_writes_the_whole_region(small_region):
    loaded = load_region(small_region)

    assert loaded.organisations == 9
    # The network demo adds a neighbouring network and its provider, asking to join ZZNC.
    assert Organisation.objects.count() == loaded.organisations + 2
    assert Organisation.objects.filter(code__in=["ZZNE", "ZZD"]).count() == 2
    assert Ward.objects.count() == loaded.wards == len(small_region.wards)
    assert Patient.objects.count() == loaded.patients == len(small_region.patients)
    assert WardStay.objects.count() == loaded.stays == len(small_region.stays)
    assert UseOfForceRecord.objects.count() == loaded.records == len(small_region.records)
    assert Intervention.objects.count() == loaded.interventions
    assert RecordVersion.objects.filter(number=1).count() == loaded.records
    assert AuditEvent.objects.filter(action="demo.load").count() == 1


def test_patients_are_pseudonymised_from_their_local_identifiers(small_region):
    load_region(small_region)
    demo = small_region.patients[0]
    id_hash = local_id_hash(demo.provider_code, demo.local_id)

    patient = Patient.objects.get(local_id_hash=id_hash)

    assert patient.alias == alias_for(id_hash)
    assert patient.provider.code == demo.provider_code
    assert not Patient.objects.filter(local_id_hash=demo.local_id).exists()


def test_demo_logins_sign_in_with_the_demo_password_and_have_their_roles(small_region):
    load_region(small_region)
    User = get_user_model()
    nurse, networklead = (
        User.objects.get(username="nurse"),
        User.objects.get(username="networklead"),
    )
    kestrel = Ward.objects.get(code="ZZA01-KESTREL")
    curlew = Ward.objects.get(code="ZZB02-CURLEW")

    assert nurse.check_password(DEMO_PASSWORD)
    assert has_permission(nurse, Permission.USE_OF_FORCE_RECORD_CREATE, ward=kestrel)
    assert not has_permission(nurse, Permission.PATIENT_DATA_VIEW, ward=curlew)
    assert not has_permission(networklead, Permission.PATIENT_DATA_VIEW, ward=kestrel)
    assert has_permission(networklead, Permission.SUPPRESSED_AGGREGATE_VIEW, ward=curlew)
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser
    recorders = User.objects.filter(username__startswith="staff.")
    assert recorders and not any(u.has_usable_password() for u in recorders)


def test_every_loaded_record_lies_inside_a_stay_on_its_ward(small_region):
    load_region(small_region)
    covering = WardStay.objects.filter(
        patient=OuterRef("patient"),
        ward=OuterRef("ward"),
        started_at__lte=OuterRef("started_at"),
    ).filter(Q(ended_at__isnull=True) | Q(ended_at__gte=OuterRef("ended_at")))

    assert not UseOfForceRecord.objects.filter(~Exists(covering)).exists()
    outside = Intervention.objects.filter(
        Q(started_at__lt=F("record__started_at")) | Q(ended_at__gt=F("record__ended_at"))
    )
    assert not outside.exists()


def test_first_version_matches_the_record(small_region):
    load_region(small_region)
    record = UseOfForceRecord.objects.filter(status="complete").first()
    version = record.versions.get()

    assert version.data["status"] == "complete"
    assert version.data["ward"] == record.ward.code
    assert version.data["patient"] == record.patient.alias
    assert version.data["started_at"] == record.started_at.isoformat()
    assert len(version.data["interventions"]) == record.interventions.count()
    assert version.saved_by == record.created_by


def test_load_is_all_or_nothing(small_region, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("the disk is full")

    # Fail late: after the organisations, users, patients, stays and records are written.
    monkeypatch.setattr(load, "_snapshot", fail)

    with pytest.raises(RuntimeError, match="disk is full"):
        load_region(small_region)

    assert not Organisation.objects.exists()
    assert not get_user_model().objects.exists()
    assert not Patient.objects.exists()
    assert not UseOfForceRecord.objects.exists()
    assert not AuditEvent.objects.exists()


def test_load_refuses_when_a_demo_username_is_taken(small_region):
    UserFactory(username="admin")

    with pytest.raises(DemoLoadError, match="admin"):
        load_region(small_region)

    assert not Organisation.objects.exists()


def test_logins_table_lists_each_login_once(small_region):
    table = logins_table(small_region)

    for user in small_region.users:
        assert (f"\n{user.username} " in table) == user.can_sign_in
    assert "Kestrel Ward" in table


def test_readme_lists_the_demo_logins_and_password(repo_root, small_region):
    readme = (repo_root / "README.md").read_text()

    assert DEMO_PASSWORD in readme
    for user in small_region.users:
        if user.can_sign_in:
            assert f"`{user.username}`" in readme


def test_wards_in_the_programme_get_an_aim_and_team_figures():
    from mhsip.dashboards.models import TeamEnteredValue, WardAim

    region = generate_region(now=NOW, seed=3, years=2)
    joined = {s.ward_code: s.joined_programme_on for s in region.stories if s.joined_programme_on}
    load_region(region)

    aims = {a.ward.code: a for a in WardAim.objects.select_related("ward")}
    assert set(aims) == set(joined)
    for code, aim in aims.items():
        assert aim.joined_programme_on == joined[code]
        assert (aim.baseline_end.year * 12 + aim.baseline_end.month) - (
            aim.baseline_start.year * 12 + aim.baseline_start.month
        ) == 11  # twelve months
        assert aim.baseline_end < joined[code]
    entered = TeamEnteredValue.objects.filter(measure="patients_feeling_safe")
    assert entered.exists()
    assert all(v.numerator <= v.denominator for v in entered)
    assert {v.ward.code for v in TeamEnteredValue.objects.select_related("ward")} == set(joined)


def test_the_window_opens_on_the_first_of_a_month():
    from mhsip.demo.generate import LONDON

    region = generate_region(now=NOW, seed=3, years=0.2)
    opening = region.start.astimezone(LONDON)
    assert (opening.day, opening.hour, opening.minute) == (1, 0, 0)

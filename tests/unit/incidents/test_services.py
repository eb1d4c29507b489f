from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from mhsip.auditing.models import AuditEvent
from mhsip.incidents.models import RecordStatus, RetainedRecordError
from mhsip.incidents.services import RecordInvalid, record_save
from tests.factories.incidents import STAFF, complete_fields, two_interventions
from tests.factories.organisations import MembershipFactory, WardFactory
from tests.factories.patients import PatientFactory, WardStayFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ward():
    return WardFactory()


@pytest.fixture
def nurse(ward):
    return MembershipFactory(role="ward_staff", ward=ward).user


@pytest.fixture
def patient(ward):
    patient = PatientFactory(provider=ward.provider)
    WardStayFactory(patient=patient, ward=ward, started_at=timezone.now() - timedelta(days=20))
    return patient


def _save(by, ward, patient, fields, interventions=None, staff=STAFF, **kw):
    return record_save(
        by=by,
        ward=ward,
        patient=patient,
        fields=fields,
        interventions=two_interventions(fields) if interventions is None else interventions,
        staff=staff,
        **kw,
    )


def test_complete_record_with_two_interventions(nurse, ward, patient):
    saved = _save(nurse, ward, patient, complete_fields(), complete=True)
    record = saved.record
    assert saved.created and record.status == RecordStatus.COMPLETE
    assert [i.type_code for i in record.interventions.all()] == ["11", "14"]
    assert [s.name for s in record.staff.all()] == ["Alex Morgan", "Priya Shah"]
    assert record.versions.get().number == 1
    assert AuditEvent.objects.filter(action="use_of_force_record.create", ward=ward).count() == 1


def test_draft_can_be_incomplete_and_completed_later(nurse, ward, patient):
    fields = complete_fields()
    draft = _save(
        nurse,
        ward,
        patient,
        {"started_at": fields["started_at"]},
        interventions=[],
        staff=[],
        complete=False,
    ).record
    assert draft.status == RecordStatus.DRAFT
    done = _save(nurse, ward, patient, fields, complete=True, record=draft).record
    assert done.status == RecordStatus.COMPLETE and done.version == 2


def test_completion_names_every_missing_item(nurse, ward, patient):
    with pytest.raises(RecordInvalid) as error:
        _save(
            nurse,
            ward,
            patient,
            {"started_at": timezone.now() - timedelta(hours=1)},
            interventions=[],
            staff=[],
            complete=True,
        )
    fields = {p.field for p in error.value.problems}
    assert {
        "ended_at",
        "reason",
        "how_force_was_used",
        "avoidance_efforts",
        "interventions",
        "staff",
        "death_or_serious_injury",
    } <= fields


def test_end_before_start_and_future_dates_are_errors_even_for_drafts(nurse, ward, patient):
    start = timezone.now() - timedelta(hours=1)
    with pytest.raises(RecordInvalid) as error:
        _save(
            nurse,
            ward,
            patient,
            {"started_at": start, "ended_at": start - timedelta(minutes=5)},
            interventions=[],
            staff=[],
            complete=False,
        )
    assert error.value.problems[0].field == "ended_at"
    assert "must be after the start" in error.value.problems[0].message
    with pytest.raises(RecordInvalid, match="cannot be in the future"):
        _save(
            nurse,
            ward,
            patient,
            {"started_at": timezone.now() + timedelta(days=1)},
            interventions=[],
            staff=[],
            complete=False,
        )


def test_intervention_outside_its_incident(nurse, ward, patient):
    fields = complete_fields(minutes=10)
    late = two_interventions(fields)
    late[1]["ended_at"] = fields["ended_at"] + timedelta(minutes=30)
    with pytest.raises(RecordInvalid) as error:
        _save(nurse, ward, patient, fields, interventions=late, complete=True)
    (problem,) = error.value.problems
    assert problem.field == "interventions-1-ended_at"
    assert "after the incident ended" in problem.message


def test_no_stay_is_a_warning_that_a_reason_overrides(nurse, ward):
    stranger = PatientFactory(provider=ward.provider)
    fields = complete_fields()
    with pytest.raises(RecordInvalid) as error:
        _save(nurse, ward, stranger, fields, complete=True)
    (problem,) = error.value.problems
    assert problem.warning and problem.field == "no_stay_reason"
    fields["no_stay_reason"] = "Admitted tonight; the admission is not entered yet"
    assert _save(nurse, ward, stranger, fields, complete=True).record.no_stay_reason


def test_likely_duplicate_is_a_warning(nurse, ward, patient):
    fields = complete_fields()
    first = _save(nurse, ward, patient, fields, complete=True).record
    again = complete_fields(started_at=fields["started_at"] + timedelta(minutes=5))
    with pytest.raises(RecordInvalid) as error:
        _save(nurse, ward, patient, again, complete=True)
    assert error.value.problems[0].field == "duplicate_reason"
    assert first.reference in error.value.problems[0].message


def test_changing_a_complete_record_needs_a_reason_and_keeps_versions(nurse, ward, patient):
    manager = MembershipFactory(role="ward_manager", ward=ward).user
    record = _save(nurse, ward, patient, complete_fields(), complete=True).record
    changed = complete_fields(started_at=record.started_at, outcome="Settled; slept well.")
    with pytest.raises(PermissionDenied):
        _save(nurse, ward, patient, changed, complete=True, record=record, reason="typo")
    with pytest.raises(RecordInvalid, match="Say why"):
        _save(manager, ward, patient, changed, complete=True, record=record)
    _save(manager, ward, patient, changed, complete=True, record=record, reason="Outcome clarified")
    versions = list(record.versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].data["outcome"].startswith("Settled after")
    assert versions[1].data["outcome"] == "Settled; slept well." and versions[1].reason


def test_only_the_wards_staff_may_record(ward, patient):
    outsider = MembershipFactory(role="ward_staff", ward=WardFactory()).user
    network_lead = MembershipFactory(role="network_lead", organisation=ward.provider.parent).user
    for person in (outsider, network_lead):
        with pytest.raises(PermissionDenied):
            _save(person, ward, patient, complete_fields(), complete=True)


def test_records_cannot_be_deleted_within_three_years(nurse, ward, patient):
    record = _save(nurse, ward, patient, complete_fields(), complete=True).record
    with pytest.raises(RetainedRecordError, match="3 years"):
        record.delete()

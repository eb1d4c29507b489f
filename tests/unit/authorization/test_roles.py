"""Roles as data: who may run, moderate and coach improvement work, and who never sees
patient-level data however much improvement work they take part in."""

from mhsip.authorization.permissions import Permission as P
from mhsip.authorization.roles import ROLES


def test_patient_representatives_take_part_but_never_see_patient_level_data():
    role = ROLES["patient_representative"]
    assert P.IMPROVEMENT_PARTICIPATE in role.permissions
    assert P.PATIENT_DATA_VIEW not in role.permissions
    assert P.AGGREGATE_VIEW not in role.permissions  # exact figures only inside the provider
    assert not role.permissions & {P.IMPROVEMENT_MANAGE, P.CODESIGN_MODERATE}


def test_ward_teams_run_projects_and_managers_moderate():
    assert P.IMPROVEMENT_MANAGE in ROLES["ward_staff"].permissions
    assert P.CODESIGN_MODERATE not in ROLES["ward_staff"].permissions
    assert {P.IMPROVEMENT_MANAGE, P.CODESIGN_MODERATE} <= ROLES["ward_manager"].permissions


def test_coaches_see_across_wards_without_patient_level_data():
    for key in ("network_lead", "champion"):
        assert P.IMPROVEMENT_COACH in ROLES[key].permissions
        assert P.PATIENT_DATA_VIEW not in ROLES[key].permissions
    assert P.IMPROVEMENT_COACH in ROLES["qi_lead"].permissions


def test_every_permission_is_described():
    for permission in P:
        assert permission.description

from mhsip.authorization.permissions import Permission
from mhsip.authorization.presenters import granted_on, make_access_matrix, make_my_access
from mhsip.authorization.roles import ROLES
from mhsip.organisations.models import Membership


def test_granted_on_reads_as_english():
    assert granted_on(ROLES["ward_staff"]) == "a ward"
    assert granted_on(ROLES["qi_lead"]) == "a site or a provider"
    assert granted_on(ROLES["patient_representative"]) == "a ward, a provider or a network"
    assert granted_on(ROLES["system_admin"]) == "the whole system"


def test_matrix_has_a_row_per_permission_and_a_cell_per_role():
    roles, rows = make_access_matrix()

    assert roles == list(ROLES.values())
    assert [row.permission for row in rows] == list(Permission)
    assert all(len(row.allowed) == len(roles) for row in rows)


def test_my_access_skips_roles_that_no_longer_exist():
    summaries = make_my_access([Membership(role="retired_role"), Membership(role="system_admin")])

    assert [s.role.key for s in summaries] == ["system_admin"]
    assert summaries[0].place == "Everywhere (the whole system)"
    assert Permission.MEMBERSHIP_MANAGE in summaries[0].permissions

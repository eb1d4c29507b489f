"""Roles as data: who each one is for, in plain English, and what it allows.

A role is granted through a membership on a ward, an organisation, or everywhere (system roles);
`scopes` says where each role may be granted. Network and patient-representative roles never
carry PATIENT_DATA_VIEW: patient-level data never leaves the provider that owns it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from mhsip.authorization.permissions import Permission as P


class Scope(StrEnum):
    WARD = "ward"
    SITE = "site"
    PROVIDER = "provider"
    NETWORK = "network"
    EVERYWHERE = "everywhere"

    @property
    def label(self) -> str:
        return {"everywhere": "the whole system"}.get(self.value, f"a {self.value}")


@dataclass(frozen=True)
class Role:
    key: str
    display_name: str
    description: str
    permissions: frozenset[P]
    scopes: frozenset[Scope]


_WARD_TEAM = {
    P.PATIENT_DATA_VIEW,
    P.USE_OF_FORCE_RECORD_CREATE,
    P.PATIENT_MANAGE,
    P.MEASURE_VALUES_ENTER,
}
_QI = {P.AGGREGATE_VIEW, P.IMPROVEMENT_PARTICIPATE, P.API_TOKEN_MANAGE}

ROLES: dict[str, Role] = {
    role.key: role
    for role in [
        Role(
            "ward_staff",
            "Ward staff",
            "Nurses and other staff on a ward. They record uses of force and admissions on "
            "their own ward, see that ward's patient-level records and charts, and run its "
            "improvement projects and PDSA cycles.",
            frozenset(_WARD_TEAM | _QI | {P.IMPROVEMENT_MANAGE}),
            frozenset({Scope.WARD}),
        ),
        Role(
            "ward_manager",
            "Ward manager",
            "Leads a ward. As ward staff, and can also correct any record on the ward (giving "
            "a reason), enter monthly bed days, set the ward's improvement aim and moderate the "
            "ideas patients, carers and staff share with the ward.",
            frozenset(
                _WARD_TEAM
                | _QI
                | {
                    P.USE_OF_FORCE_RECORD_EDIT,
                    P.BED_DAYS_ENTER,
                    P.AIM_MANAGE,
                    P.IMPROVEMENT_MANAGE,
                    P.CODESIGN_MODERATE,
                    P.REPORT_WRITE,
                    P.CASE_STUDY_WRITE,
                }
            ),
            frozenset({Scope.WARD}),
        ),
        Role(
            "qi_lead",
            "Quality-improvement lead or data champion",
            "Works across a provider's wards on improvement and data quality. Sees the "
            "provider's patient-level records and exact figures, can correct records, sets "
            "wards' improvement aims, coaches their improvement projects and moderates ideas.",
            frozenset(
                _QI
                | {
                    P.PATIENT_DATA_VIEW,
                    P.USE_OF_FORCE_RECORD_EDIT,
                    P.BED_DAYS_ENTER,
                    P.AIM_MANAGE,
                    P.MEASURE_VALUES_ENTER,
                    P.IMPROVEMENT_MANAGE,
                    P.CODESIGN_MODERATE,
                    P.IMPROVEMENT_COACH,
                    P.DATA_IMPORT,
                    P.REPORT_WRITE,
                    P.CASE_STUDY_WRITE,
                    P.CASE_STUDY_APPROVE,
                }
            ),
            frozenset({Scope.PROVIDER, Scope.SITE}),
        ),
        Role(
            "responsible_person",
            "Responsible person (Use of Force Act)",
            "The person a provider appoints under section 2 of the Mental Health Units (Use of "
            "Force) Act 2018. Sees the provider's records and reads the audit log of who saw "
            "or changed patient-level data.",
            frozenset(
                _QI
                | {
                    P.PATIENT_DATA_VIEW,
                    P.AUDIT_LOG_VIEW,
                    P.DATA_IMPORT,
                    P.REPORT_WRITE,
                    P.CASE_STUDY_APPROVE,
                }
            ),
            frozenset({Scope.PROVIDER}),
        ),
        Role(
            "network_lead",
            "Network improvement lead",
            "Runs the regional Patient Safety Collaborative. Sees member providers' figures "
            "with small numbers suppressed and coaches wards' improvement work, never "
            "patient-level data.",
            frozenset(
                {
                    P.SUPPRESSED_AGGREGATE_VIEW,
                    P.IMPROVEMENT_PARTICIPATE,
                    P.IMPROVEMENT_COACH,
                    P.NETWORK_MANAGE,
                    P.REPORT_WRITE,
                    P.ALERTS_FOLLOW,
                    P.API_TOKEN_MANAGE,
                }
            ),
            frozenset({Scope.NETWORK}),
        ),
        Role(
            "champion",
            "Champion",
            "Keeps watching restrictive practice after the programme. Sees figures with small "
            "numbers suppressed and wards' improvement work, never patient-level data.",
            frozenset(
                {
                    P.SUPPRESSED_AGGREGATE_VIEW,
                    P.IMPROVEMENT_PARTICIPATE,
                    P.IMPROVEMENT_COACH,
                    P.ALERTS_FOLLOW,
                }
            ),
            frozenset({Scope.NETWORK, Scope.PROVIDER}),
        ),
        Role(
            "patient_representative",
            "Patient or carer representative",
            "Takes part in improvement work and co-design with a ward or provider: shares, "
            "comments on and supports ideas, and sits on project teams. Sees figures with small "
            "numbers suppressed, never patient-level data.",
            frozenset({P.SUPPRESSED_AGGREGATE_VIEW, P.IMPROVEMENT_PARTICIPATE}),
            frozenset({Scope.WARD, Scope.PROVIDER, Scope.NETWORK}),
        ),
        Role(
            "system_admin",
            "System administrator",
            "Looks after the organisation tree and people's roles. Sees no patient data.",
            frozenset({P.ORGANISATION_MANAGE, P.MEMBERSHIP_MANAGE}),
            frozenset({Scope.EVERYWHERE}),
        ),
    ]
}

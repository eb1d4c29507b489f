from enum import StrEnum


class Permission(StrEnum):
    """What a role allows, named NOUN_VERB. Checked only through `checks.has_permission`."""

    #: See patient-level data: use-of-force records, patients, ward stays.
    PATIENT_DATA_VIEW = "patient_data_view"
    USE_OF_FORCE_RECORD_CREATE = "use_of_force_record_create"
    #: Change any record on the ward (authors may always finish their own drafts).
    USE_OF_FORCE_RECORD_EDIT = "use_of_force_record_edit"
    PATIENT_MANAGE = "patient_manage"
    BED_DAYS_ENTER = "bed_days_enter"
    #: Enter the monthly values of measures whose data lives outside mhsip (huddles, assaults).
    MEASURE_VALUES_ENTER = "measure_values_enter"
    #: Set a ward's improvement aim: its baseline and the reduction it aims for.
    AIM_MANAGE = "aim_manage"
    #: Aggregates of the organisation's own data, exact (inside the provider that owns it).
    AGGREGATE_VIEW = "aggregate_view"
    #: Aggregates with small-number suppression (anything seen outside the owning provider).
    SUPPRESSED_AGGREGATE_VIEW = "suppressed_aggregate_view"
    AUDIT_LOG_VIEW = "audit_log_view"
    #: See a ward's improvement projects and PDSA cycles; post, comment on and support ideas.
    IMPROVEMENT_PARTICIPATE = "improvement_participate"
    #: Run a ward's improvement projects: aims, teams, driver diagrams, plans and PDSA cycles.
    IMPROVEMENT_MANAGE = "improvement_manage"
    #: Publish or turn down ideas shared with a ward, and print or change its share-an-idea link.
    CODESIGN_MODERATE = "codesign_moderate"
    #: See improvement work across many wards at once (no patient data): the coach's view.
    IMPROVEMENT_COACH = "improvement_coach"
    MEMBERSHIP_MANAGE = "membership_manage"
    ORGANISATION_MANAGE = "organisation_manage"
    #: Import the organisation's data: MHSDS extracts, incident-system exports, bed days.
    DATA_IMPORT = "data_import"
    #: Write the monthly board report's narrative and download the report.
    REPORT_WRITE = "report_write"
    #: Create and revoke one's own API tokens (the API then allows what the person may do).
    API_TOKEN_MANAGE = "api_token_manage"
    #: Turn a finished PDSA ramp into a case study for the network's learning library.
    CASE_STUDY_WRITE = "case_study_write"
    #: Approve a provider's case studies before the network sees them.
    CASE_STUDY_APPROVE = "case_study_approve"
    #: Approve requests to join the network and give members their network roles.
    NETWORK_MANAGE = "network_manage"
    #: Follow wards or providers and receive alerts and the weekly digest about them.
    ALERTS_FOLLOW = "alerts_follow"

    @property
    def description(self) -> str:
        return DESCRIPTIONS[self]


DESCRIPTIONS = {
    Permission.PATIENT_DATA_VIEW: "See patient-level records: use of force, patients and stays",
    Permission.USE_OF_FORCE_RECORD_CREATE: "Record a use of force",
    Permission.USE_OF_FORCE_RECORD_EDIT: "Correct any use-of-force record, giving a reason",
    Permission.PATIENT_MANAGE: "Add patients and record admissions, transfers and discharges",
    Permission.BED_DAYS_ENTER: "Enter monthly occupied bed days",
    Permission.MEASURE_VALUES_ENTER: "Enter the monthly values of team-entered measures",
    Permission.AIM_MANAGE: "Set a ward's baseline and its aim for reducing restrictive practice",
    Permission.AGGREGATE_VIEW: "See exact counts and rates for the organisation's own wards",
    Permission.SUPPRESSED_AGGREGATE_VIEW: "See counts and rates with small numbers suppressed",
    Permission.AUDIT_LOG_VIEW: "Read the audit log of access to patient-level data",
    Permission.IMPROVEMENT_PARTICIPATE: "Take part in improvement work and co-design",
    Permission.IMPROVEMENT_MANAGE: "Run improvement projects: aims, driver diagrams, PDSA cycles",
    Permission.CODESIGN_MODERATE: "Publish or turn down ideas shared with a ward",
    Permission.IMPROVEMENT_COACH: "See improvement projects and cycles across wards",
    Permission.MEMBERSHIP_MANAGE: "Give people roles and take them away",
    Permission.ORGANISATION_MANAGE: "Add and change networks, providers, sites and wards",
    Permission.DATA_IMPORT: "Import MHSDS extracts, incident-system exports and bed days",
    Permission.REPORT_WRITE: "Write the monthly board report and download it",
    Permission.API_TOKEN_MANAGE: "Create and revoke your own tokens for the API",
    Permission.CASE_STUDY_WRITE: "Write case studies of improvement work for the network",
    Permission.CASE_STUDY_APPROVE: "Approve the provider's case studies before they are shared",
    Permission.NETWORK_MANAGE: "Approve requests to join the network and give network roles",
    Permission.ALERTS_FOLLOW: "Follow wards or providers and receive alerts about them",
}

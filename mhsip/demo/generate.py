"""A fictional region for demonstrations, generated from a seed: all of it made up.

`generate_region(seed=..., years=..., now=...)` returns a `Region` of plain dataclasses (the
organisation tree, demo users, patients, ward stays and use-of-force records), the same every
time for the same arguments. It touches no database: `mhsip.demo.load` writes a region.

How the numbers are made (every figure is invented, chosen to look like published ones;
../shared/docs/domain.md §1 and §3):

- **Beds.** Each bed is a renewal process: a stay with a log-normal length by ward type (median
  about 27 days on an adult acute ward, 16 on a PICU, 300-420 in forensic services), then an
  empty spell long enough for the ward's target occupancy (85-95%). Simulation starts years
  before the window, so the window opens with full wards of long-staying patients.
- **Transfers.** Some admissions are transfers within the provider (acute -> PICU and back,
  acute -> rehabilitation, medium -> low secure): the patient's stay on the first ward ends at
  the moment the new one starts.
- **Use of force.** Restrictive interventions per 1,000 occupied bed days are set per ward in
  the published range for its type (`TYPE_PROFILES[...].rate_range`). Incidents in each stay and
  month are Poisson with a mean multiplied by a gamma month effect (overdispersion, CV about
  0.3), a gamma "frailty" per patient (a few patients account for many incidents), and an
  ethnicity factor (Black patients 3x and mixed-ethnicity patients 2x the rate of White
  patients, as in MHSDS figures). Wards that join the programme fall 25-40% over three months
  and stay down; two wards stop reporting for a few months.
- **Small numbers.** A region of 12 wards has only a handful of Black or mixed-ethnicity
  patients on its busiest wards, so independent draws would make the gap between groups
  anything from 2x to 5x depending on the seed. Each ward's admissions therefore take their
  ethnic group, and each group's patients their frailty, from golden-ratio (quasi-random)
  sequences: every patient still looks random, but the groups' shares and average frailty on
  each ward come out close to their targets.
- **Records** pass the checks in `mhsip.incidents.validation`: inside a stay on that ward, every
  intervention inside its incident, no overlap with the same patient's other incidents, and
  every item of the Act on a complete record. Drafts only in the last fortnight.
"""

from __future__ import annotations

import bisect
import heapq
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from scipy.special import gammaincinv

from mhsip.incidents.codes import Answer, InterventionType, Place, Reason, StaffRole
from mhsip.patients.characteristics import (
    ETHNIC_GROUP,
    GenderIdentity,
    LegalStatus,
    Religion,
    Sex,
    SexualOrientation,
    YesNoUnknown,
)

DEFAULT_SEED = 2026
#: The one password of every demo login (printed by `mhsip load_demo` and in the README).
DEMO_PASSWORD = "mhsip-demo-2026"

MINUTES_PER_DAY = 24 * 60
_GOLDEN = (math.sqrt(5) - 1) / 2
#: Records started this recently may still be drafts (nobody has finished them yet).
DRAFT_WINDOW = timedelta(days=14)
#: Two incidents of one patient closer than this would look like one recorded twice
#: (mhsip.incidents.validation.DUPLICATE_WINDOW), so the generator keeps them further apart.
INCIDENT_GAP_MINUTES = 60

IT = InterventionType
PHYSICAL = frozenset(
    {IT.PRONE, IT.STANDING, IT.RESTRICTIVE_ESCORT, IT.SUPINE, IT.SIDE, IT.SEATED, IT.KNEELING}
    | {IT.PHYSICAL_OTHER}
)


# ------------------------------------------------------------------------------------------
# What gets generated
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrganisationPlan:
    kind: str  # network, provider or site (OrganisationKind values)
    code: str
    name: str
    parent_code: str | None = None


@dataclass(frozen=True)
class WardPlan:
    code: str
    name: str
    site_code: str
    ward_type: str  # WardType values
    beds: int
    #: Restrictive interventions per 1,000 occupied bed days before any improvement work.
    rate: float
    security_level: str = "general"
    joins_programme: bool = False
    under_reports: bool = False
    opened_on: date = date(2009, 4, 1)


LONDON = ZoneInfo("Europe/London")


@dataclass(frozen=True)
class WardStory:
    """What happened to a ward's rate during the window (drawn from the seed)."""

    ward_code: str
    occupancy: float
    joined_programme_on: date | None = None
    #: The fall in the rate once the programme's changes have bedded in (0.25-0.40).
    reduction: float = 0.0
    #: First and last month (first days) of a stretch with almost nothing reported.
    under_reporting: tuple[date, date] | None = None


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    job_title: str
    role: str
    ward_code: str | None = None
    organisation_code: str | None = None
    #: A demo login with DEMO_PASSWORD; otherwise an account that records but cannot sign in.
    can_sign_in: bool = True
    is_admin: bool = False
    #: What the login is for, for the logins table.
    note: str = ""


@dataclass(frozen=True)
class DemoPatient:
    key: int
    provider_code: str
    local_id: str
    date_of_birth: date
    sex: str
    gender_identity: str
    ethnicity: str
    religion: str
    sexual_orientation: str
    disability: str
    learning_disability: str
    autism: str
    mental_disorder: str
    legal_status: str


@dataclass(frozen=True)
class DemoStay:
    patient_key: int
    ward_code: str
    started_at: datetime
    ended_at: datetime | None
    end_reason: str  # "transfer", "discharge" or "" while open


@dataclass(frozen=True)
class DemoIntervention:
    type_code: str
    started_at: datetime
    ended_at: datetime


@dataclass(frozen=True)
class DemoStaff:
    name: str
    job_title: str
    role: str
    from_outside_unit: bool = False


@dataclass
class DemoRecord:
    ward_code: str
    patient_key: int
    status: str  # "draft" or "complete"
    #: UseOfForceRecord fields by name (mhsip.incidents.services.RECORD_FIELDS).
    fields: dict[str, Any]
    interventions: list[DemoIntervention]
    staff: list[DemoStaff]
    recorded_by: str
    created_at: datetime
    completed_at: datetime | None


@dataclass
class Region:
    seed: int
    years: float
    start: datetime
    now: datetime
    organisations: list[OrganisationPlan]
    wards: list[WardPlan]
    stories: list[WardStory]
    users: list[DemoUser]
    patients: list[DemoPatient] = field(default_factory=list)
    stays: list[DemoStay] = field(default_factory=list)
    records: list[DemoRecord] = field(default_factory=list)

    def ward(self, code: str) -> WardPlan:
        return next(w for w in self.wards if w.code == code)

    def provider_of(self, ward_code: str) -> str:
        site = self.ward(ward_code).site_code
        return next(o.parent_code for o in self.organisations if o.code == site)


# ------------------------------------------------------------------------------------------
# The region: names and codes are made up; "ZZ" codes are not real ODS codes
# ------------------------------------------------------------------------------------------

NETWORK_CODE = "ZZNC"
ORGANISATIONS = [
    OrganisationPlan("network", NETWORK_CODE, "North Coast Patient Safety Collaborative"),
    OrganisationPlan(
        "provider", "ZZA", "Northcliffe and Dales Mental Health NHS Foundation Trust", "ZZNC"
    ),
    OrganisationPlan("site", "ZZA01", "Harbourside Hospital", "ZZA"),
    OrganisationPlan("site", "ZZA02", "Dalesford Unit", "ZZA"),
    OrganisationPlan("provider", "ZZB", "Saltmarsh Partnership NHS Trust", "ZZNC"),
    OrganisationPlan("site", "ZZB01", "Moorgate Secure Services", "ZZB"),
    OrganisationPlan("site", "ZZB02", "Saltmarsh Lodge", "ZZB"),
    OrganisationPlan("provider", "ZZC", "Larkspur Hill Healthcare (independent)", "ZZNC"),
    OrganisationPlan("site", "ZZC01", "Larkspur Hill Hospital", "ZZC"),
]

WARDS = [
    WardPlan("ZZA01-KESTREL", "Kestrel Ward", "ZZA01", "adult_acute", 22, 26, joins_programme=True),
    WardPlan("ZZA01-PUFFIN", "Puffin Ward", "ZZA01", "adult_acute", 20, 20, under_reports=True),
    WardPlan("ZZA01-OSPREY", "Osprey Ward", "ZZA01", "picu", 14, 100, joins_programme=True),
    WardPlan("ZZA02-WILLOW", "Willow Ward", "ZZA02", "older_adult", 18, 11, joins_programme=True),
    WardPlan("ZZA02-ROWAN", "Rowan House", "ZZA02", "rehabilitation", 14, 3),
    WardPlan("ZZB01-FULMAR", "Fulmar Ward", "ZZB01", "forensic_low", 18, 26, "low", True),
    WardPlan("ZZB01-GANNET", "Gannet Ward", "ZZB01", "forensic_medium", 16, 34, "medium", False, True),
    WardPlan("ZZB02-LINNET", "Linnet Ward", "ZZB02", "learning_disability", 12, 120, joins_programme=True),
    WardPlan("ZZB02-WREN", "Wren Ward", "ZZB02", "autism", 8, 125),
    WardPlan("ZZB02-CURLEW", "Curlew Ward", "ZZB02", "adult_acute", 22, 28),
    WardPlan("ZZC01-SKYLARK", "Skylark Ward", "ZZC01", "camhs_tier4", 15, 80, joins_programme=True),
    WardPlan("ZZC01-PLOVER", "Plover Ward", "ZZC01", "eating_disorder", 15, 45),
]  # fmt: skip

#: (to ward, from ward, share of the "to" ward's admissions that are transfers from there)
TRANSFERS = [
    ("ZZA01-OSPREY", ("ZZA01-KESTREL", "ZZA01-PUFFIN"), 0.6),
    ("ZZA01-KESTREL", ("ZZA01-OSPREY",), 0.08),
    ("ZZA01-PUFFIN", ("ZZA01-OSPREY",), 0.08),
    ("ZZA02-ROWAN", ("ZZA01-KESTREL", "ZZA01-PUFFIN"), 0.5),
    ("ZZB01-FULMAR", ("ZZB01-GANNET",), 0.35),
]

KESTREL, CURLEW = "ZZA01-KESTREL", "ZZB02-CURLEW"
DEMO_USERS = [
    DemoUser("nurse", "Sam", "Harper", "Staff nurse", "ward_staff", ward_code=KESTREL,
             note="records uses of force on Kestrel Ward; sees its patients"),
    DemoUser("manager", "Jo", "Whitfield", "Ward manager", "ward_manager", ward_code=KESTREL,
             note="as nurse, and corrects records and enters bed days"),
    DemoUser("qilead", "Ravi", "Menon", "Quality improvement lead", "qi_lead",
             organisation_code="ZZA", note="all of Northcliffe and Dales, patient level"),
    DemoUser("responsible", "Helen", "Marsh", "Director of nursing", "responsible_person",
             organisation_code="ZZA", note="Northcliffe and Dales, and its audit log"),
    DemoUser("networklead", "Aled", "Price", "Network improvement lead", "network_lead",
             organisation_code=NETWORK_CODE, note="the network, small numbers suppressed"),
    DemoUser("champion", "Fiona", "Greaves", "Restrictive practice champion", "champion",
             organisation_code=NETWORK_CODE, note="the network, small numbers suppressed"),
    DemoUser("patientrep", "Dee", "Okoro", "Patient representative", "patient_representative",
             ward_code=KESTREL, note="Kestrel Ward's figures, never patient-level data"),
    DemoUser("admin", "Chris", "Lowe", "System administrator", "system_admin", is_admin=True,
             note="organisations and roles, and the Django admin; no patient data"),
    DemoUser("nurse2", "Kofi", "Mensah", "Staff nurse", "ward_staff", ward_code=CURLEW,
             note="Curlew Ward at Saltmarsh (another provider)"),
]  # fmt: skip


# ------------------------------------------------------------------------------------------
# Ward types: how long people stay, who they are, and what force is used
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TypeProfile:
    #: The range of restrictive interventions per 1,000 occupied bed days the type shows.
    rate_range: tuple[float, float]
    los_median_days: float
    los_sigma: float
    age: tuple[float, float, int, int]  # mean, sd, youngest, oldest
    male: float
    #: Shape of the gamma "frailty" per patient: smaller, more concentrated on a few people.
    frailty_shape: float
    reasons: dict[str, float]
    #: After a physical hold: a restrictive escort, rapid tranquillisation, seclusion.
    p_escort: float
    p_rt: float
    p_seclusion: float
    #: Incidents that start otherwise than with a physical hold.
    p_seclusion_only: float = 0.0
    p_segregation: float = 0.0
    p_mechanical: float = 0.0
    legal: dict[str, float] = field(default_factory=dict)
    disorders: tuple[str, ...] = ()
    learning_disability: float = 0.02
    autism: float = 0.04
    disability: float = 0.2
    holds: str = "general"


R = Reason
_SCHIZ = ("Paranoid schizophrenia (F20.0)", "Schizoaffective disorder (F25)")
_ACUTE_DX = _SCHIZ + (
    "Bipolar affective disorder, current episode manic (F31.1)",
    "Severe depressive episode with psychotic symptoms (F32.3)",
    "Emotionally unstable personality disorder (F60.3)",
    "Acute and transient psychotic disorder (F23)",
    "Mental and behavioural disorder due to cannabinoids (F12.5)",
)
_DETAINED = {
    "s2": 40,
    "s3": 35,
    "informal": 14,
    "s5": 2,
    "s136": 2,
    "cto_recall": 4,
    "not_known": 3,
}

TYPE_PROFILES: dict[str, TypeProfile] = {
    "adult_acute": TypeProfile(
        (10, 30), 27, 0.7, (38, 12, 18, 75), 0.55, 1.0,
        {R.VIOLENCE_TO_OTHERS: 40, R.SELF_HARM: 18, R.DANGEROUS_BEHAVIOUR: 14, R.MEDICINES: 9,
         R.OVER_ACTIVITY: 5, R.ABSCONDING: 5, R.ACCIDENTAL_INJURY: 3, R.SEARCH: 3,
         R.PERSONAL_CARE: 1, R.OTHER: 1.5, R.NOT_KNOWN: 0.5},
        p_escort=0.25, p_rt=0.26, p_seclusion=0.06, p_seclusion_only=0.02,
        p_segregation=0.002, p_mechanical=0.001, legal=_DETAINED, disorders=_ACUTE_DX,
    ),
    "picu": TypeProfile(
        (60, 120), 16, 0.65, (32, 9, 18, 60), 0.75, 1.0,
        {R.VIOLENCE_TO_OTHERS: 50, R.DANGEROUS_BEHAVIOUR: 15, R.MEDICINES: 10,
         R.OVER_ACTIVITY: 8, R.SELF_HARM: 8, R.ABSCONDING: 4, R.SEARCH: 3,
         R.ACCIDENTAL_INJURY: 1, R.OTHER: 1},
        p_escort=0.3, p_rt=0.4, p_seclusion=0.2, p_seclusion_only=0.04, p_segregation=0.005,
        p_mechanical=0.001, legal={"s3": 52, "s2": 40, "part3": 3, "cto_recall": 3, "not_known": 2},
        disorders=_ACUTE_DX,
    ),
    "older_adult": TypeProfile(
        (5, 15), 50, 0.6, (79, 7, 65, 98), 0.45, 1.0,
        {R.PERSONAL_CARE: 35, R.VIOLENCE_TO_OTHERS: 25, R.MEDICINES: 20,
         R.ACCIDENTAL_INJURY: 10, R.DANGEROUS_BEHAVIOUR: 7, R.OTHER: 2, R.NOT_KNOWN: 1},
        p_escort=0.15, p_rt=0.05, p_seclusion=0.0,
        legal={"s2": 35, "s3": 25, "informal": 18, "dols": 20, "not_known": 2},
        disorders=("Dementia in Alzheimer's disease (F00)", "Vascular dementia (F01)",
                   "Severe depressive episode (F32.2)", "Persistent delusional disorder (F22)"),
        disability=0.55, holds="older",
    ),
    "learning_disability": TypeProfile(
        (50, 150), 160, 0.8, (33, 11, 18, 70), 0.65, 0.8,
        {R.VIOLENCE_TO_OTHERS: 45, R.SELF_HARM: 20, R.DANGEROUS_BEHAVIOUR: 15,
         R.PERSONAL_CARE: 6, R.MEDICINES: 6, R.OVER_ACTIVITY: 5, R.ACCIDENTAL_INJURY: 2,
         R.OTHER: 1},
        p_escort=0.2, p_rt=0.08, p_seclusion=0.12, p_seclusion_only=0.05, p_segregation=0.01,
        p_mechanical=0.003, legal={"s3": 78, "s2": 10, "part3": 6, "dols": 4, "not_known": 2},
        disorders=("Moderate learning disability with significant behaviour impairment (F71.1)",
                   "Mild learning disability with significant behaviour impairment (F70.1)",
                   "Severe learning disability (F72)"),
        learning_disability=0.95, autism=0.45, disability=0.6,
    ),
    "autism": TypeProfile(
        (50, 150), 180, 0.8, (27, 8, 18, 60), 0.6, 0.8,
        {R.VIOLENCE_TO_OTHERS: 40, R.SELF_HARM: 25, R.DANGEROUS_BEHAVIOUR: 18,
         R.OVER_ACTIVITY: 5, R.MEDICINES: 5, R.PERSONAL_CARE: 4, R.ACCIDENTAL_INJURY: 2,
         R.OTHER: 1},
        p_escort=0.2, p_rt=0.07, p_seclusion=0.12, p_seclusion_only=0.06, p_segregation=0.015,
        p_mechanical=0.003, legal={"s3": 80, "s2": 12, "part3": 4, "dols": 2, "not_known": 2},
        disorders=("Childhood autism (F84.0)", "Asperger syndrome (F84.5)",
                   "Atypical autism (F84.1)"),
        learning_disability=0.3, autism=0.97, disability=0.5,
    ),
    "forensic_low": TypeProfile(
        (10, 40), 300, 0.7, (38, 10, 19, 70), 0.88, 0.9,
        {R.VIOLENCE_TO_OTHERS: 55, R.DANGEROUS_BEHAVIOUR: 12, R.SELF_HARM: 12,
         R.MEDICINES: 8, R.SEARCH: 6, R.ABSCONDING: 4, R.OVER_ACTIVITY: 2, R.OTHER: 1},
        p_escort=0.3, p_rt=0.18, p_seclusion=0.18, p_seclusion_only=0.04, p_segregation=0.01,
        p_mechanical=0.002, legal={"part3": 82, "s3": 15, "not_known": 3},
        disorders=_SCHIZ + ("Dissocial personality disorder (F60.2)",
                            "Bipolar affective disorder (F31)"),
        learning_disability=0.08, autism=0.08,
    ),
    "forensic_medium": TypeProfile(
        (10, 40), 420, 0.7, (37, 10, 19, 70), 0.9, 0.9,
        {R.VIOLENCE_TO_OTHERS: 58, R.DANGEROUS_BEHAVIOUR: 12, R.SELF_HARM: 10,
         R.MEDICINES: 7, R.SEARCH: 7, R.ABSCONDING: 4, R.OVER_ACTIVITY: 1, R.OTHER: 1},
        p_escort=0.3, p_rt=0.18, p_seclusion=0.22, p_seclusion_only=0.05, p_segregation=0.015,
        p_mechanical=0.003, legal={"part3": 88, "s3": 10, "not_known": 2},
        disorders=_SCHIZ + ("Dissocial personality disorder (F60.2)",),
        learning_disability=0.08, autism=0.08,
    ),
    "camhs_tier4": TypeProfile(
        (40, 100), 50, 0.6, (15.2, 1.4, 12, 17), 0.3, 0.9,
        {R.SELF_HARM: 45, R.VIOLENCE_TO_OTHERS: 25, R.DANGEROUS_BEHAVIOUR: 12,
         R.MEDICINES: 6, R.NASOGASTRIC_FEEDING: 5, R.ACCIDENTAL_INJURY: 3, R.ABSCONDING: 2,
         R.OTHER: 2},
        p_escort=0.2, p_rt=0.12, p_seclusion=0.08, p_seclusion_only=0.03, p_segregation=0.005,
        p_mechanical=0.001, legal={"s3": 40, "s2": 30, "informal": 28, "not_known": 2},
        disorders=("Severe depressive episode (F32.2)", "Anorexia nervosa (F50.0)",
                   "Emerging emotionally unstable personality disorder (F60.3)",
                   "Acute and transient psychotic disorder (F23)",
                   "Post-traumatic stress disorder (F43.1)"),
        autism=0.2,
    ),
    "eating_disorder": TypeProfile(
        (20, 60), 80, 0.5, (24, 7, 17, 55), 0.1, 1.0,
        {R.NASOGASTRIC_FEEDING: 65, R.SELF_HARM: 15, R.MEDICINES: 8, R.VIOLENCE_TO_OTHERS: 5,
         R.DANGEROUS_BEHAVIOUR: 4, R.ACCIDENTAL_INJURY: 2, R.OTHER: 1},
        p_escort=0.1, p_rt=0.02, p_seclusion=0.0,
        legal={"s3": 45, "informal": 50, "s2": 3, "not_known": 2},
        disorders=("Anorexia nervosa (F50.0)", "Atypical anorexia nervosa (F50.1)",
                   "Bulimia nervosa (F50.2)"),
        autism=0.15,
    ),
    "rehabilitation": TypeProfile(
        (1, 5), 170, 0.6, (40, 11, 20, 68), 0.7, 0.9,
        {R.VIOLENCE_TO_OTHERS: 45, R.DANGEROUS_BEHAVIOUR: 15, R.MEDICINES: 15, R.SELF_HARM: 12,
         R.ABSCONDING: 8, R.OTHER: 3, R.NOT_KNOWN: 2},
        p_escort=0.2, p_rt=0.08, p_seclusion=0.02,
        legal={"s3": 50, "informal": 32, "cto_recall": 5, "part3": 10, "not_known": 3},
        disorders=_SCHIZ + ("Bipolar affective disorder (F31)",),
    ),
}  # fmt: skip

#: The first hold of an incident, by kind of ward. Prone is about one physical restraint in ten.
HOLDS = {
    "general": {IT.PRONE: 13, IT.SUPINE: 22, IT.SIDE: 12, IT.SEATED: 18, IT.KNEELING: 5,
                IT.STANDING: 16, IT.RESTRICTIVE_ESCORT: 10, IT.PHYSICAL_OTHER: 5},
    "older": {IT.PRONE: 2, IT.SUPINE: 5, IT.SIDE: 5, IT.SEATED: 30, IT.STANDING: 30,
              IT.RESTRICTIVE_ESCORT: 20, IT.PHYSICAL_OTHER: 8},
    "feeding": {IT.SEATED: 60, IT.SUPINE: 20, IT.SIDE: 10, IT.PHYSICAL_OTHER: 10},
}  # fmt: skip

#: NHS ethnic category codes by upper group; the group shares are roughly those of people in
#: mental health hospitals in England (MHSDS), the codes within a group roughly the census's.
ETHNIC_SHARES = {
    "White": (0.75, {"A": 82, "B": 3, "C": 15}),
    "Black or Black British": (0.10, {"M": 40, "N": 45, "P": 15}),
    "Asian or Asian British": (0.07, {"H": 30, "J": 35, "K": 15, "L": 20}),
    "Mixed": (0.04, {"D": 40, "E": 15, "F": 20, "G": 25}),
    "Other ethnic groups": (0.02, {"R": 20, "S": 80}),
    "Not stated": (0.01, {"Z": 1}),
    "Not known": (0.01, {"99": 1}),
}
#: Rate of force relative to White patients, by upper ethnic group (MHSDS shows Black people
#: restrained at about three times the rate of White people; domain.md §1.6 breakdowns).
ETHNIC_RATE = {"Black or Black British": 3.0, "Mixed": 2.0}
_MEAN_ETHNIC_RATE = sum(share * ETHNIC_RATE.get(g, 1.0) for g, (share, _) in ETHNIC_SHARES.items())

RELIGION_BY_GROUP = {
    "White": {"none": 40, "christian": 44, "muslim": 1, "jewish": 0.5, "buddhist": 0.5,
              "other": 2, "not_stated": 9, "not_known": 3},
    "Black or Black British": {"christian": 58, "muslim": 20, "none": 9, "other": 2,
                               "not_stated": 8, "not_known": 3},
    "Asian or Asian British": {"muslim": 45, "hindu": 18, "sikh": 10, "christian": 7,
                               "buddhist": 3, "none": 6, "not_stated": 8, "not_known": 3},
    "Mixed": {"none": 36, "christian": 34, "muslim": 10, "other": 3, "not_stated": 12,
              "not_known": 5},
    "Other ethnic groups": {"muslim": 30, "christian": 25, "buddhist": 10, "none": 15,
                            "other": 5, "not_stated": 10, "not_known": 5},
}  # fmt: skip

#: The most one patient's rate may exceed their ward's (before the ethnicity factor): without a
#: cap, one long stay on a high-rate ward can outweigh the rest of the region.
MAX_FRAILTY = 3.0
#: Monthly ward-level noise: gamma with this shape (coefficient of variation 1/sqrt(12)).
MONTH_NOISE_SHAPE = 12.0
#: Reporting during an under-reporting stretch, as a share of the true rate.
UNDER_REPORTED = 0.03
#: Months over which a ward's changes take full effect after it joins the programme.
PROGRAMME_RAMP_MONTHS = 3


# ------------------------------------------------------------------------------------------
# Small helpers
# ------------------------------------------------------------------------------------------


class _Choice:
    """Weighted choice by one uniform draw (much faster than rng.choice one at a time)."""

    def __init__(self, weights: dict[Any, float] | Sequence[tuple[Any, float]]):
        items = list(weights.items()) if isinstance(weights, dict) else list(weights)
        items = [(value, w) for value, w in items if w > 0]
        self.values = [value for value, _ in items]
        total = sum(w for _, w in items)
        running, self.cumulative = 0.0, []
        for _, w in items:
            running += w / total
            self.cumulative.append(running)

    def __call__(self, rng: np.random.Generator) -> Any:
        return self.at(rng.random())

    def at(self, u: float) -> Any:
        index = bisect.bisect_right(self.cumulative, u)
        return self.values[min(index, len(self.values) - 1)]


def _yes_no(rng: np.random.Generator, yes: float, not_known: float = 0.0) -> str:
    u = rng.random()
    if u < yes:
        return Answer.YES.value
    return Answer.NOT_KNOWN.value if u < yes + not_known else Answer.NO.value


def _lognormal_minutes(rng: np.random.Generator, median: float, sigma: float, lo, hi) -> int:
    return int(min(hi, max(lo, round(median * math.exp(sigma * rng.standard_normal())))))


def _months_between(start: datetime, end: datetime) -> list[datetime]:
    """The first instants of the calendar months (UTC) from start's month to end's month."""
    month = start.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    months = []
    while month <= end:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months


# ------------------------------------------------------------------------------------------
# Words for the records (made up, in the plain style of ward records)
# ------------------------------------------------------------------------------------------

FIRST_NAMES = (
    "Aisha", "Ben", "Chloe", "Daniel", "Efua", "Fatima", "George", "Hannah", "Imran", "Jade",
    "Kwame", "Laura", "Mohammed", "Niamh", "Oliver", "Priya", "Rachel", "Samuel", "Tariq",
    "Una", "Vikram", "Wendy", "Yusuf", "Zoe", "Callum", "Amara", "Bethany", "Connor",
    "Deborah", "Emeka", "Grace", "Harjit", "Jack", "Kirsty", "Liam", "Megan", "Nathan",
    "Olu", "Paul", "Rebecca", "Sean", "Tom", "Chidi", "Agnieszka", "Marek", "Siobhan",
    "Leanne", "Ruth", "Dylan", "Maria", "Joseph", "Shauna", "Adebayo", "Lucy", "Gareth",
)  # fmt: skip
LAST_NAMES = (
    "Ahmed", "Barker", "Clarke", "Dunn", "Evans", "Fletcher", "Green", "Hussain", "Iqbal",
    "Jackson", "Kaur", "Lowe", "Mensah", "Nowak", "Okafor", "Patel", "Quinn", "Robinson",
    "Singh", "Thompson", "Usman", "Walsh", "Young", "Byrne", "Campbell", "Doherty", "Ellis",
    "Foster", "Gallagher", "Hall", "Hughes", "Kowalski", "Lewis", "Morgan", "Nwosu",
    "O'Neill", "Price", "Reid", "Shah", "Turner", "Ward", "Adeyemi", "Begum", "Carter",
)  # fmt: skip
JOB_TITLES = _Choice(
    {"Staff nurse": 30, "Healthcare assistant": 33, "Senior healthcare assistant": 10,
     "Charge nurse": 10, "Nursing associate": 8, "Deputy ward manager": 4,
     "Occupational therapist": 3, "Activity co-ordinator": 2}
)  # fmt: skip
REGISTERED = ("Staff nurse", "Charge nurse", "Deputy ward manager")

AVOIDANCE = (
    "Talked with the patient calmly in a quiet space",
    "Offered time in the quiet room away from the lounge",
    "Offered oral PRN medication, which was declined",
    "Reduced stimulation: other patients moved to the garden",
    "Used the patient's safety plan (music, weighted blanket)",
    "Listened to the patient's worry about leave and explained what could be done",
    "Offered a walk in the courtyard with a familiar member of staff",
    "Named nurse came to talk with the patient",
    "Used Safewards talk-down and soft words",
    "Removed items that could be thrown",
    "Gave the patient space and time while staying nearby",
    "Offered a drink and something to eat",
    "Used the patient's preferred calming strategy from their care plan",
    "Asked the patient what would help right now",
)
AVOIDANCE_BY_REASON = {
    R.SELF_HARM: ("Increased observations to within arm's length",
                  "Asked the patient to hand over the item they had",
                  "Offered to sit with the patient and talk about how they felt"),
    R.NASOGASTRIC_FEEDING: ("Explained the feeding plan and offered an oral supplement first",
                            "Offered to take the feed with the dietitian's support",
                            "Used the agreed distraction plan (a film, music)"),
    R.PERSONAL_CARE: ("Two attempts at personal care by a familiar carer, half an hour apart",
                      "Explained each step and offered choice of clothes"),
    R.MEDICINES: ("Explained why the medication was prescribed and offered it orally",
                  "Doctor spoke with the patient about the treatment"),
    R.ABSCONDING: ("Reminded the patient of their leave plan and when leave is next due",),
}  # fmt: skip
REASON_DETAIL = {
    R.VIOLENCE_TO_OTHERS: ("Hit another patient in the lounge", "Threw a chair towards staff",
                           "Punched a member of staff", "Threatened a visitor"),
    R.SELF_HARM: ("Tied a ligature in the bathroom", "Repeatedly hitting head on the wall",
                  "Cutting with a piece of broken plastic"),
    R.DANGEROUS_BEHAVIOUR: ("Climbing the garden fence", "Smashing the nursing office window"),
    R.ABSCONDING: ("Trying to leave through the airlock behind a visitor",),
    R.SEARCH: ("Search for a lighter after a fire alarm",),
}  # fmt: skip
HOLD_WORDS = {
    IT.PRONE: "held face down (prone), turned onto the side as soon as it was safe",
    IT.SUPINE: "held face up (supine)",
    IT.SIDE: "held on the side",
    IT.SEATED: "held seated",
    IT.KNEELING: "held kneeling",
    IT.STANDING: "held standing",
    IT.RESTRICTIVE_ESCORT: "restrictive escort",
    IT.PHYSICAL_OTHER: "guided by the arms (other hold)",
}
OUTCOMES = (
    "Patient settled within the hour and rejoined the ward",
    "Patient calmer afterwards and went to their bedroom",
    "Patient slept; debrief with the named nurse the next morning",
    "Patient apologised later and talked about what had upset them",
    "Patient settled with one-to-one support",
)
OUTSIDE_REASONS = (
    "Police attended at the ward's request because the patient had a weapon",
    "The hospital's response team came from a neighbouring ward to help",
    "Ambulance crew were present while transferring the patient",
)
REVIEW_NOT_HELD = (
    "Patient declined a review",
    "Patient discharged before the review could be held",
    "Patient too unwell; the review will be offered again",
)
HOUR_WEIGHTS = np.array(
    [2, 1.5, 1, 1, 1, 1.5, 2.5, 4, 5, 6, 6, 6, 7, 7, 7, 8, 8, 8, 8, 7, 6, 5, 4, 3], dtype=float
)
_HOURS = _Choice(list(enumerate(HOUR_WEIGHTS)))
PLACES = _Choice(
    {Place.COMMUNAL: 35, Place.CORRIDOR: 20, Place.BEDROOM: 20, Place.GARDEN: 5,
     Place.CLINIC_ROOM: 5, Place.BATHROOM: 5, Place.OFF_WARD: 3, Place.OTHER: 2}
)  # fmt: skip


# ------------------------------------------------------------------------------------------
# The generator
# ------------------------------------------------------------------------------------------


def generate_region(
    *,
    now: datetime,
    seed: int = DEFAULT_SEED,
    years: float = 3,
    progress: Callable[[str], None] | None = None,
) -> Region:
    """A whole region, `years` of history up to `now`, the same for the same arguments."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    if not 0 < years <= 10:
        raise ValueError("years must be more than 0 and at most 10")
    report = progress or (lambda _message: None)
    now = now.astimezone(UTC).replace(second=0, microsecond=0)
    # The window opens at midnight on the first of a month (ward time), so the first month on a
    # chart is a whole month, not a sliver of one.
    opening = (now - timedelta(days=365.25 * years)).astimezone(LONDON)
    start = opening.replace(day=1, hour=0, minute=0, second=0, microsecond=0).astimezone(UTC)
    sim = _Simulation(seed=seed, start=start, now=now)
    filled = 0
    for provider in [o.code for o in ORGANISATIONS if o.kind == "provider"]:
        sim.fill_provider(provider)
        filled += sum(1 for w in WARDS if _provider_of_site(w.site_code) == provider)
        report(f"Wards: {filled}/{len(WARDS)}")
    sim.keep_window()
    report(f"Patients: {len(sim.patients):,}  Ward stays: {len(sim.stays):,}")
    sim.use_force()
    report(f"Records: {len(sim.records):,}")
    return Region(
        seed=seed,
        years=years,
        start=start,
        now=now,
        organisations=list(ORGANISATIONS),
        wards=list(WARDS),
        stories=list(sim.stories.values()),
        users=DEMO_USERS + sim.recorders(),
        patients=sim.patients,
        stays=sim.stays,
        records=sim.records,
    )


def expected_interventions(profile: TypeProfile) -> float:
    """The mean number of interventions per incident that `_Incident` gives on this type of
    ward, so a rate of interventions can be turned into a rate of incidents."""
    reasons = sum(profile.reasons.values())
    feeding = profile.reasons.get(R.NASOGASTRIC_FEEDING, 0) / reasons
    holds = HOLDS[profile.holds]
    p_escort = profile.p_escort * (1 - holds.get(IT.RESTRICTIVE_ESCORT, 0) / sum(holds.values()))
    after_hold = (
        1
        + p_escort
        + profile.p_rt
        + profile.p_seclusion
        # all three add-ons: the escort is left out (three interventions at most)
        - p_escort * profile.p_rt * profile.p_seclusion
    )
    other = profile.p_seclusion_only + profile.p_segregation + profile.p_mechanical
    not_feeding = (
        profile.p_seclusion_only
        + profile.p_segregation
        + 2 * profile.p_mechanical
        + (1 - other) * after_hold
    )
    return feeding + (1 - feeding) * not_feeding


class _Simulation:
    """The working state of one generation: beds, people, stays and incidents, in minutes
    from the window's start (negative during the warm-up)."""

    def __init__(self, *, seed: int, start: datetime, now: datetime):
        self.seed, self.start, self.now = seed, start, now
        self.window = int((now - start).total_seconds() // 60)
        self.months = _months_between(start, now)
        self.month_edges = np.array(
            [max(0, int((m - start).total_seconds() // 60)) for m in self.months[1:]]
            + [self.window],
            dtype=np.int64,
        )
        self.stories = {w.code: self._story(i, w) for i, w in enumerate(WARDS)}
        # Per ward, every stay from the warm-up on: [start, end (minutes from `start`),
        # person, ended by a transfer, empty spell after it].
        self.spells: dict[str, list[list]] = {}
        self.people: list[dict[str, Any]] = []  # every patient, warm-up ones too
        self.patients: list[DemoPatient] = []
        self.stays: list[DemoStay] = []
        self._stay_rows: list[tuple[int, str, int, int]] = []  # person, ward, start, end
        self._keys: dict[int, int] = {}  # person -> DemoPatient.key
        self.records: list[DemoRecord] = []
        self._admissions: dict[Any, int] = {}
        self._offsets: dict[Any, float] = {}
        self.rosters = {w.code: self._roster(i, w) for i, w in enumerate(WARDS)}

    def rng(self, *stage: int) -> np.random.Generator:
        # One stream per stage (and ward), so a change to one stage leaves the others alone.
        return np.random.default_rng([self.seed, *stage])

    def at(self, minutes: int) -> datetime:
        return self.start + timedelta(minutes=int(minutes))

    # -- stories ---------------------------------------------------------------------------

    def _story(self, index: int, ward: WardPlan) -> WardStory:
        rng = self.rng(1, index)
        n = len(self.months)
        joined, reduction, gap = None, 0.0, None
        occupancy = float(rng.uniform(0.85, 0.95))
        if ward.joins_programme and n >= 6:
            joined_index = int(rng.integers(round(0.35 * n), round(0.6 * n) + 1))
            joined = self.months[joined_index].date()
            reduction = float(rng.uniform(0.25, 0.40))
        if ward.under_reports and n >= 9:
            length = int(rng.integers(2, 4))
            first = int(rng.integers(3, n - length - 2))
            gap = (self.months[first].date(), self.months[first + length - 1].date())
        return WardStory(ward.code, occupancy, joined, reduction, gap)

    def month_factors(self, ward: WardPlan) -> np.ndarray:
        """The rate's multiplier in each month: noise, the programme, under-reporting."""
        story = self.stories[ward.code]
        rng = self.rng(4, WARDS.index(ward))
        factors = rng.gamma(MONTH_NOISE_SHAPE, 1 / MONTH_NOISE_SHAPE, size=len(self.months))
        for i, month in enumerate(self.months):
            day = month.date()
            if story.joined_programme_on and day >= story.joined_programme_on:
                months_in = (day.year - story.joined_programme_on.year) * 12 + (
                    day.month - story.joined_programme_on.month
                )
                ramp = min(1.0, (months_in + 1) / PROGRAMME_RAMP_MONTHS)
                factors[i] *= 1 - story.reduction * ramp
            if (
                story.under_reporting
                and story.under_reporting[0] <= day <= story.under_reporting[1]
            ):
                factors[i] *= UNDER_REPORTED
        return factors

    # -- beds, patients and transfers ------------------------------------------------------

    def fill_provider(self, provider: str) -> None:
        """Fill the provider's beds, in time order, from a warm-up well before the window.

        Each bed alternates a stay (log-normal length by ward type) and an empty spell long
        enough for the ward's occupancy. A new stay is a new patient, or a transfer from another
        of the provider's wards (TRANSFERS): that patient's stay there ends now, and their bed
        there is free again after its usual empty spell.
        """
        wards = [w for w in WARDS if _provider_of_site(w.site_code) == provider]
        codes = [w.code for w in wards]
        people_rng = self.rng(3, [o.code for o in ORGANISATIONS].index(provider))
        bed_rngs = {w.code: self.rng(2, _ward_index(w.code)) for w in wards}
        sources = {
            to: (tuple(f for f in froms if f in codes), share)
            for to, froms, share in TRANSFERS
            if to in codes
        }
        day = MINUTES_PER_DAY
        los, gaps, events = {}, {}, []
        for w in wards:
            profile = TYPE_PROFILES[w.ward_type]
            occupancy = self.stories[w.code].occupancy
            mean_los = profile.los_median_days * math.exp(profile.los_sigma**2 / 2)
            gaps[w.code] = mean_los * (1 - occupancy) / occupancy * day
            warm_up = min(3 * mean_los + 30, 6 * 365) * day
            rng = bed_rngs[w.code]
            for bed in range(w.beds):
                first = -warm_up - rng.uniform(0, mean_los * day + gaps[w.code])
                events.append((int(first), codes.index(w.code), bed, 0))
            los[w.code] = (profile.los_median_days, profile.los_sigma)
        heapq.heapify(events)
        # Per ward and bed: the current stay, as [start, end, patient, continued, gap after].
        current: dict[str, dict[int, list]] = {code: {} for code in codes}
        version = {(code, bed): 0 for code in codes for bed in range(WARDS[_ward_index(code)].beds)}
        spells: dict[str, list[list]] = {code: [] for code in codes}
        while events:
            s, ward_index, bed, stamp = heapq.heappop(events)
            code = codes[ward_index]
            if stamp != version[(code, bed)] or s >= self.window:
                continue
            rng = bed_rngs[code]
            median, sigma = los[code]
            length = max(0.5, median * math.exp(sigma * rng.standard_normal())) * day
            gap = rng.exponential(gaps[code])
            patient = -1
            froms, share = sources.get(code, ((), 0.0))
            if froms and people_rng.random() < share:
                candidates = [
                    (source, b, spell)
                    for source in froms
                    for b, spell in sorted(current[source].items())
                    if spell[0] <= s - 2 * day and spell[1] >= s + day and not spell[3]
                ]
                if candidates:
                    source, b, spell = candidates[int(people_rng.integers(len(candidates)))]
                    spell[1], spell[3] = s, True
                    # The bed on the ward they left is free again after its empty spell.
                    version[(source, b)] += 1
                    heapq.heappush(
                        events,
                        (int(s + spell[4]), codes.index(source), b, version[(source, b)]),
                    )
                    patient = spell[2]
            if patient < 0:
                patient = self._new_person(people_rng, provider, WARDS[_ward_index(code)], s)
            spell = [s, int(s + length), patient, False, gap]
            current[code][bed] = spell
            spells[code].append(spell)
            heapq.heappush(events, (int(s + length + gap), ward_index, bed, version[(code, bed)]))
        for code in codes:
            self.spells[code] = spells[code]

    def _new_person(self, rng, provider: str, ward: WardPlan, admitted: int) -> int:
        profile = TYPE_PROFILES[ward.ward_type]
        mean, sd, youngest, oldest = profile.age
        age = min(oldest + 0.99, max(youngest, mean + sd * rng.standard_normal()))
        born = self.at(admitted).date() - timedelta(days=int(age * 365.25))
        group = self._ethnic_group(ward)
        code = _ETHNIC_CODES[group](rng)
        male = rng.random() < profile.male
        sex = Sex.MALE if male else Sex.FEMALE
        if rng.random() < 0.005:
            sex = Sex.NOT_STATED
        gender = _GENDER[(male, ward.ward_type == "camhs_tier4")](rng)
        religion = _RELIGION.get(group, _RELIGION_UNKNOWN)(rng)
        orientation = _ORIENTATION[ward.ward_type in {"camhs_tier4", "eating_disorder"}](rng)
        person = {
            "provider": provider,
            "date_of_birth": born,
            "sex": str(sex),
            "gender_identity": str(gender),
            "ethnicity": code,
            "religion": str(religion),
            "sexual_orientation": str(orientation),
            "disability": _characteristic(rng, profile.disability),
            "learning_disability": _characteristic(rng, profile.learning_disability),
            "autism": _characteristic(rng, profile.autism),
            "mental_disorder": (
                profile.disorders[int(rng.integers(len(profile.disorders)))]
                if rng.random() < 0.93
                else ""
            ),
            "legal_status": str(LegalStatus(_pick(rng, profile.legal))),
            # Between-patient variation, and the ethnic disparity, in the rate of force.
            "frailty": self._frailty(ward, group),
            "ethnic_rate": ETHNIC_RATE.get(ETHNIC_GROUP[code], 1.0),
        }
        self.people.append(person)
        return len(self.people) - 1

    def _ethnic_group(self, ward: WardPlan) -> str:
        """The next admission's ethnic group, from a golden-ratio sequence per ward (a
        quasi-random one): each ward's admissions match ETHNIC_SHARES closely, so the gap
        between groups shows in every ward's figures rather than depending on who happened to
        be admitted where."""
        n = self._admissions[ward.code] = self._admissions.get(ward.code, 0) + 1
        if ward.code not in self._offsets:
            self._offsets[ward.code] = float(self.rng(7, _ward_index(ward.code)).random())
        offset = self._offsets[ward.code]
        return _ETHNIC_GROUPS.at((offset + n * _GOLDEN) % 1.0)

    def _frailty(self, ward: WardPlan, group: str) -> float:
        """How much more (or less) force this patient meets than the ward's average: gamma
        with mean 1, capped. Drawn at quantiles spread evenly along a golden-ratio sequence
        per ward and ethnic group, so that a group's few patients on a ward are not, by chance,
        all among the most or the least restrained (which would swamp the gap between groups
        in a region this small) while each patient's figure still looks random."""
        shape = TYPE_PROFILES[ward.ward_type].frailty_shape
        key = (ward.code, group)
        n = self._admissions[key] = self._admissions.get(key, 0) + 1
        if key not in self._offsets:
            self._offsets[key] = float(self.rng(8, _ward_index(ward.code)).random())
        offset = self._offsets[key]
        u = (offset + n * _GOLDEN) % 1.0
        return min(MAX_FRAILTY, float(gammaincinv(shape, u)) / shape)

    def keep_window(self) -> None:
        """Keep the stays that overlap the window, and the patients who had them."""
        rows = []
        for ward in WARDS:
            for s, e, p, continued, _gap in self.spells[ward.code]:
                if e > 0 and s < self.window:
                    rows.append((p, ward.code, s, e, continued))
        rows.sort(key=lambda r: (r[2], r[0]))
        keys = self._keys
        counters: dict[str, int] = {}
        for person, ward_code, s, e, continued in rows:
            if person not in keys:
                keys[person] = len(keys) + 1
                info = self.people[person]
                provider = info["provider"]
                counters[provider] = counters.get(provider, 0) + 1
                self.patients.append(
                    DemoPatient(
                        key=keys[person],
                        provider_code=provider,
                        local_id=_local_id(provider, counters[provider]),
                        **{
                            k: v
                            for k, v in info.items()
                            if k not in {"provider", "frailty", "ethnic_rate"}
                        },
                    )
                )
            still_there = e >= self.window
            self.stays.append(
                DemoStay(
                    patient_key=keys[person],
                    ward_code=ward_code,
                    started_at=self.at(s),
                    ended_at=None if still_there else self.at(e),
                    end_reason="" if still_there else ("transfer" if continued else "discharge"),
                )
            )
            self._stay_rows.append((person, ward_code, s, min(e, self.window)))

    # -- use of force ----------------------------------------------------------------------

    def use_force(self) -> None:
        rng = self.rng(5)
        factors = {w.code: self.month_factors(w) for w in WARDS}
        per_incident = {t: expected_interventions(p) for t, p in TYPE_PROFILES.items()}
        # Split every stay into calendar months: (stay row, month index, from, to).
        segments = []
        for row, (_person, _ward, s, e) in enumerate(self._stay_rows):
            lo = max(0, s)
            month = int(np.searchsorted(self.month_edges, lo, side="right"))
            while lo < e and month < len(self.month_edges):
                hi = min(e, int(self.month_edges[month]))
                if hi > lo:
                    segments.append((row, month, lo, hi))
                lo, month = hi, month + 1
        means = np.empty(len(segments))
        for k, (row, month, lo, hi) in enumerate(segments):
            person, ward_code, _s, _e = self._stay_rows[row]
            ward = WARDS[_ward_index(ward_code)]
            info = self.people[person]
            means[k] = (
                ward.rate
                / 1000
                * (hi - lo)
                / MINUTES_PER_DAY
                * factors[ward_code][month]
                * info["frailty"]
                * info["ethnic_rate"]
                / _MEAN_ETHNIC_RATE
                / per_incident[ward.ward_type]
            )
        counts = rng.poisson(means)
        incidents = []
        for (row, _month, lo, hi), count in zip(segments, counts, strict=True):
            person, ward_code, _s, stay_end = self._stay_rows[row]
            profile = TYPE_PROFILES[WARDS[_ward_index(ward_code)].ward_type]
            for _ in range(int(count)):
                incident = _Incident.draw(rng, profile, lo, hi, limit=min(stay_end, self.window))
                if incident is not None:
                    incidents.append((person, ward_code, incident))
        # One patient, one incident at a time, an hour apart at least.
        incidents.sort(key=lambda item: (item[0], item[2].start))
        kept, last_person, last_end = [], None, 0
        for person, ward_code, incident in incidents:
            if person == last_person and incident.start < last_end + INCIDENT_GAP_MINUTES:
                continue
            kept.append((person, ward_code, incident))
            last_person, last_end = person, incident.end
        kept.sort(key=lambda item: (item[2].start, item[0]))
        for person, ward_code, incident in kept:
            self.records.append(self._record(rng, self._keys[person], ward_code, incident))

    def _record(self, rng, patient_key: int, ward_code: str, incident: _Incident) -> DemoRecord:
        ward = WARDS[_ward_index(ward_code)]
        started, ended = self.at(incident.start), self.at(incident.end)
        types = [t for t, _s, _e in incident.parts]
        staff = self._staff(rng, ward_code, types)
        fields = _record_fields(rng, ward, incident, len(staff))
        fields["started_at"], fields["ended_at"] = started, ended
        created = min(self.now, ended + timedelta(minutes=int(rng.uniform(15, 600))))
        status, completed = "complete", None
        if started >= self.now - DRAFT_WINDOW and rng.random() < 0.45:
            status = "draft"
            fields["review_offered"] = fields["review_held"] = ""
            fields["review_not_held_reason"] = ""
            for name in ("outcome", "carer_informed", "care_plan_notification_sent"):
                if rng.random() < 0.5:
                    fields[name] = ""
        else:
            completed = min(self.now, created + timedelta(minutes=int(rng.uniform(0, 2160))))
        return DemoRecord(
            ward_code=ward_code,
            patient_key=patient_key,
            status=status,
            fields=fields,
            interventions=[
                DemoIntervention(str(t), self.at(s), self.at(e)) for t, s, e in incident.parts
            ],
            staff=staff,
            recorded_by=self._recorder(rng, ward_code),
            created_at=created,
            completed_at=completed,
        )

    # -- staff -----------------------------------------------------------------------------

    def _roster(self, index: int, ward: WardPlan) -> list[tuple[str, str]]:
        rng = self.rng(6, index)
        names: set[str] = set()
        roster = [("", "Ward manager")]
        while len(names) < 24:
            name = (
                f"{FIRST_NAMES[int(rng.integers(len(FIRST_NAMES)))]} "
                f"{LAST_NAMES[int(rng.integers(len(LAST_NAMES)))]}"
            )
            if name not in names:
                names.add(name)
                roster.append((name, JOB_TITLES(rng)))
        roster[0] = (roster.pop(1)[0], "Ward manager")
        return roster

    def _staff(self, rng, ward_code: str, types: list[str]) -> list[DemoStaff]:
        roster = self.rosters[ward_code]
        rt = IT.RAPID_TRANQUILLISATION in types
        secluded = IT.SECLUSION in types or IT.SEGREGATION in types
        physical = any(t in PHYSICAL for t in types)
        size = int(_STAFF_SIZE(rng)) if physical else 2
        if rt:
            size = max(size, 3)
        picked = [int(i) for i in rng.permutation(len(roster))[:size]]
        if rt and not any(roster[i][1] in REGISTERED for i in picked):
            nurses = [i for i, (_n, title) in enumerate(roster) if title in REGISTERED]
            picked[-1] = nurses[int(rng.integers(len(nurses)))]
        if physical:
            roles = [StaffRole.HEAD_SUPPORT, StaffRole.UPPER_BODY, StaffRole.LOWER_BODY]
            roles += [StaffRole.OBSERVER] * size
        else:
            roles = [StaffRole.SECLUSION, StaffRole.OBSERVER]
        roles = roles[:size]
        if rt:
            nurse = next(k for k, i in enumerate(picked) if roster[i][1] in REGISTERED)
            roles[nurse] = StaffRole.ADMINISTERED
        if secluded and physical and roles[-1] == StaffRole.OBSERVER:
            roles[-1] = StaffRole.SECLUSION
        if IT.RESTRICTIVE_ESCORT in types and physical and size >= 3 and roles[1] != "administered":
            roles[1] = StaffRole.ESCORT
        return [
            DemoStaff(roster[i][0], roster[i][1], str(role))
            for i, role in zip(picked, roles, strict=True)
        ]

    def _recorder(self, rng, ward_code: str) -> str:
        if ward_code == KESTREL:
            return "manager" if rng.random() < 0.15 else "nurse"
        if ward_code == CURLEW:
            return "nurse2"
        return _recorder_username(ward_code)

    def recorders(self) -> list[DemoUser]:
        """An account per ward without a demo login, to have recorded its records."""
        users = []
        for ward in WARDS:
            if ward.code in {KESTREL, CURLEW}:
                continue
            name = next(n for n, title in self.rosters[ward.code] if title in REGISTERED)
            first, last = name.split(" ", 1)
            users.append(
                DemoUser(
                    _recorder_username(ward.code), first, last, "Staff nurse", "ward_staff",
                    ward_code=ward.code, can_sign_in=False,
                )
            )  # fmt: skip
        return users


@dataclass(frozen=True)
class _Incident:
    """An incident's reason and its interventions, as (type, start, end) in minutes."""

    reason: str
    parts: tuple[tuple[str, int, int], ...]

    @property
    def start(self) -> int:
        return min(s for _t, s, _e in self.parts)

    @property
    def end(self) -> int:
        return max(e for _t, _s, e in self.parts)

    @classmethod
    def draw(cls, rng, profile: TypeProfile, lo: int, hi: int, *, limit: int) -> _Incident | None:
        """An incident starting in [lo, hi) and ending by `limit` (the stay's end), or None
        if a few tries cannot fit one in."""
        reason = _pick(rng, profile.reasons)
        for _ in range(5):
            start = _start_time(rng, lo, hi)
            parts = _interventions(rng, profile, reason, start)
            incident = cls(reason, parts)
            if incident.end <= limit - 1:
                return incident
        return None


def _start_time(rng, lo: int, hi: int) -> int:
    """A minute in [lo, hi), more often in the afternoon and evening than at night."""
    for _ in range(10):
        day = lo // MINUTES_PER_DAY + int(rng.integers(0, (hi - lo) // MINUTES_PER_DAY + 2))
        minute = day * MINUTES_PER_DAY + _HOURS(rng) * 60 + int(rng.integers(60))
        if lo <= minute < hi:
            return minute
    return int(rng.integers(lo, hi))


def _interventions(rng, profile: TypeProfile, reason: str, start: int):
    restraint = lambda median, sigma, lo, hi: _lognormal_minutes(rng, median, sigma, lo, hi)  # noqa: E731
    if reason == R.NASOGASTRIC_FEEDING:
        hold = _pick(rng, HOLDS["feeding"])
        return ((hold, start, start + restraint(25, 0.4, 5, 90)),)
    u = rng.random()
    if u < profile.p_segregation:
        return ((IT.SEGREGATION, start, start + restraint(3 * 1440, 0.8, 1440, 28 * 1440)),)
    u -= profile.p_segregation
    if u < profile.p_seclusion_only:
        return ((IT.SECLUSION, start, start + restraint(360, 1.0, 15, 4 * 1440)),)
    u -= profile.p_seclusion_only
    hold = _pick(rng, HOLDS[profile.holds])
    length = (
        restraint(4, 0.6, 1, 30) if hold == IT.RESTRICTIVE_ESCORT else restraint(8, 0.75, 1, 120)
    )
    parts = [(hold, start, start + length)]
    if u < profile.p_mechanical:
        at = start + length // 2
        parts.append((IT.MECHANICAL, at, at + restraint(20, 0.6, 5, 240)))
        return tuple(parts)
    escort = hold != IT.RESTRICTIVE_ESCORT and rng.random() < profile.p_escort
    rt = rng.random() < profile.p_rt
    seclusion = rng.random() < profile.p_seclusion
    if escort and rt and seclusion:
        escort = False  # three interventions at most
    if rt:
        at = start + int(0.6 * length)
        parts.append((IT.RAPID_TRANQUILLISATION, at, at + 2))
    end = start + length
    if escort:
        at = end + int(rng.integers(0, 3))
        end = at + restraint(4, 0.6, 1, 30)
        parts.append((IT.RESTRICTIVE_ESCORT, at, end))
    if seclusion:
        at = end + int(rng.integers(1, 6))
        parts.append((IT.SECLUSION, at, at + restraint(360, 1.0, 15, 4 * 1440)))
    return tuple(parts)


def _record_fields(rng, ward: WardPlan, incident: _Incident, staff_count: int) -> dict[str, Any]:
    types = [t for t, _s, _e in incident.parts]
    reason = incident.reason
    if IT.SECLUSION in types and not any(t in PHYSICAL for t in types):
        place = Place.SECLUSION_ROOM
    elif reason == R.NASOGASTRIC_FEEDING:
        place = Place.CLINIC_ROOM
    elif reason == R.PERSONAL_CARE:
        place = Place.BATHROOM if rng.random() < 0.5 else Place.BEDROOM
    else:
        place = PLACES(rng)
    avoidance = list(AVOIDANCE_BY_REASON.get(reason, ())) + list(AVOIDANCE)
    picks = sorted({int(rng.integers(len(avoidance))) for _ in range(3)})
    outside = rng.random() < 0.03
    prone = IT.PRONE in types
    patient_injured = _yes_no(rng, 0.08 if prone else 0.04, 0.01)
    staff_injured = _yes_no(rng, 0.06 if reason == R.VIOLENCE_TO_OTHERS else 0.02, 0.01)
    others_injured = _yes_no(rng, 0.02 if reason == R.VIOLENCE_TO_OTHERS else 0.0)
    serious = _yes_no(rng, 0.001)
    care_plan = 0.9 if reason == R.NASOGASTRIC_FEEDING else (
        0.4 if ward.ward_type in {"learning_disability", "autism"} else 0.15
    )  # fmt: skip
    review_offered = _yes_no(rng, 0.8, 0.03)
    review_held, not_held = "", ""
    if review_offered == Answer.YES:
        review_held = _yes_no(rng, 0.72)
        if review_held == Answer.NO:
            not_held = REVIEW_NOT_HELD[int(rng.integers(len(REVIEW_NOT_HELD)))]
    outcome = OUTCOMES[int(rng.integers(len(OUTCOMES)))]
    if reason == R.NASOGASTRIC_FEEDING:
        outcome = "Feed completed; the patient was supported afterwards by the named nurse"
    if patient_injured == Answer.YES:
        outcome += ". Graze to the patient's forearm, checked by the duty doctor"
    if staff_injured == Answer.YES:
        outcome += ". A member of staff bruised a wrist; first aid given"
    if serious == Answer.YES:
        outcome += ". Fractured wrist: taken to the emergency department; investigation started"
    details = REASON_DETAIL.get(reason, ())
    return {
        "place": str(place),
        "started_at": None,  # set by the caller, in real time
        "ended_at": None,
        "reason": str(reason),
        "reason_detail": details[int(rng.integers(len(details)))]
        if details and rng.random() < 0.3
        else "",
        "avoidance_efforts": "; ".join(avoidance[i] for i in picks) + ".",
        "how_force_was_used": _how(incident, staff_count),
        "part_of_care_plan": _yes_no(rng, care_plan, 0.03),
        "care_plan_notification_sent": _yes_no(rng, 0.85, 0.03),
        "outside_people_involved": Answer.YES.value if outside else Answer.NO.value,
        "outside_people_reason": OUTSIDE_REASONS[int(rng.integers(len(OUTSIDE_REASONS)))]
        if outside
        else "",
        "outcome": outcome + ".",
        "patient_injured": patient_injured,
        "staff_injured": staff_injured,
        "others_injured": others_injured,
        "death_or_serious_injury": serious,
        "review_offered": review_offered,
        "review_held": review_held,
        "review_not_held_reason": not_held,
        "carer_informed": _yes_no(rng, 0.95 if ward.ward_type == "camhs_tier4" else 0.55, 0.05),
        "no_stay_reason": "",
        "duplicate_reason": "",
    }


def _how(incident: _Incident, staff_count: int) -> str:
    steps = []
    for kind, s, e in incident.parts:
        minutes = e - s
        if kind in HOLD_WORDS:
            steps.append(f"{HOLD_WORDS[kind]} for {minutes} min")
        elif kind == IT.RAPID_TRANQUILLISATION:
            steps.append("rapid tranquillisation by intramuscular injection under the protocol")
        elif kind == IT.SECLUSION:
            steps.append(
                f"secluded for {minutes // 60} h {minutes % 60} min, reviewed as the Code requires"
            )
        elif kind == IT.SEGREGATION:
            steps.append(f"segregated from the ward for {minutes // 1440} days")
        elif kind == IT.MECHANICAL:
            steps.append(f"soft limb restraints for {minutes} min")
    text = "; then ".join(steps)
    return f"{text[0].upper()}{text[1:]} ({staff_count} staff)."


def _characteristic(rng, yes: float) -> str:
    u = rng.random()
    if u < yes:
        return YesNoUnknown.YES.value
    if u < yes + 0.08:
        return YesNoUnknown.NOT_KNOWN.value
    if u < yes + 0.1:
        return YesNoUnknown.NOT_STATED.value
    return YesNoUnknown.NO.value


def _local_id(provider: str, n: int) -> str:
    # A fixed permutation of the numbers, so identifiers look scattered but never repeat.
    number = (n * 7919 + 104729) % 10_000_000
    return {"ZZA": f"NC{number:07d}", "ZZB": f"SM{number:07d}"}.get(provider, f"LH-{number:07d}")


def _recorder_username(ward_code: str) -> str:
    return f"staff.{ward_code.split('-', 1)[1].lower()}"


def _provider_of_site(site_code: str) -> str:
    return next(o.parent_code for o in ORGANISATIONS if o.code == site_code)


def _ward_index(code: str) -> int:
    return _WARD_INDEX[code]


_WARD_INDEX = {w.code: i for i, w in enumerate(WARDS)}
_ETHNIC_GROUPS = _Choice({group: share for group, (share, _codes) in ETHNIC_SHARES.items()})
_ETHNIC_CODES = {group: _Choice(codes) for group, (_share, codes) in ETHNIC_SHARES.items()}
_STAFF_SIZE = _Choice({2: 25, 3: 45, 4: 30})
_RELIGION = {group: _Choice(weights) for group, weights in RELIGION_BY_GROUP.items()}
_RELIGION_UNKNOWN = _Choice({Religion.NOT_STATED: 1, Religion.NOT_KNOWN: 1})
#: Gender identity by (male at birth, on a CAMHS ward): young people more often non-binary.
_GENDER = {
    (male, camhs): _Choice(
        {GenderIdentity.SAME_AS_SEX: 90, GenderIdentity.NOT_KNOWN: 5,
         GenderIdentity.NOT_STATED: 2, GenderIdentity.NON_BINARY: 4 if camhs else 1,
         GenderIdentity.WOMAN if male else GenderIdentity.MAN: 1}
    )
    for male in (False, True)
    for camhs in (False, True)
}  # fmt: skip
#: Sexual orientation, by whether the ward is for young people.
_ORIENTATION = {
    young: _Choice(
        {SexualOrientation.HETEROSEXUAL: 72 if young else 82,
         SexualOrientation.GAY_OR_LESBIAN: 3, SexualOrientation.BISEXUAL: 8 if young else 3,
         SexualOrientation.OTHER: 2 if young else 1, SexualOrientation.NOT_STATED: 7,
         SexualOrientation.NOT_KNOWN: 5}
    )
    for young in (False, True)
}  # fmt: skip
_CHOICES: dict[int, _Choice] = {}


def _pick(rng: np.random.Generator, weights: dict[Any, float]) -> Any:
    """A weighted choice from one of this module's constant tables (cached by identity, so
    only for tables that live as long as the module)."""
    choice = _CHOICES.get(id(weights))
    if choice is None:
        choice = _CHOICES[id(weights)] = _Choice(weights)
    return choice(rng)


@dataclass(frozen=True)
class DemoTeamValue:
    """A month's figure a ward team enters by hand (safety huddles, the patient survey...)."""

    ward_code: str
    measure: str
    month: date
    numerator: int
    denominator: int | None = None


def team_values(region: Region, months: int = 18) -> list[DemoTeamValue]:
    """The last `months` of team-entered figures for the wards in the programme, which begin
    entering them when they join: huddles and co-produced care plans rise, patients feel safer,
    and assaults on staff and self-harm do not rise as restraint falls (the balancing measures
    the programme watches)."""
    values: list[DemoTeamValue] = []
    last = region.now.astimezone(LONDON).date().replace(day=1)
    for index, story in enumerate(region.stories):
        if story.joined_programme_on is None:
            continue
        rng = np.random.default_rng([region.seed, 99, index])
        beds = region.ward(story.ward_code).beds
        for back in range(months, 0, -1):
            month = add_months(last, -back)
            settled = month >= story.joined_programme_on
            huddles = int(rng.integers(16, 24) if not settled else rng.integers(24, 31))
            reviewed = int(rng.integers(6, 14))
            coproduced = int(rng.binomial(reviewed, 0.45 if not settled else 0.8))
            answered = int(rng.integers(max(4, beds // 3), beds + 1))
            safe = int(rng.binomial(answered, 0.6 if not settled else 0.74))
            occupied = beds * 30 * story.occupancy
            assaults = int(rng.poisson(occupied / 1000 * 6))
            self_harm = int(rng.poisson(occupied / 1000 * 4))
            values += [
                DemoTeamValue(story.ward_code, "safety_huddles", month, huddles),
                DemoTeamValue(
                    story.ward_code, "care_plans_coproduced", month, coproduced, reviewed
                ),
                DemoTeamValue(story.ward_code, "patients_feeling_safe", month, safe, answered),
                DemoTeamValue(story.ward_code, "assaults_on_staff", month, assaults),
                DemoTeamValue(story.ward_code, "self_harm", month, self_harm),
            ]
    return values


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)

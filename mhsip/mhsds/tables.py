"""The MHSDS tables mhsip reads, their columns and how each value is read.

Column names are MHSDS v5/v6's, as NHS Digital's restraints pipeline reads them
(`docs/statistics/mhsds.md`, `../shared/docs/mhsds.md` section 2). A column is *needed* when the
counting pipeline uses it (a file without it cannot be counted) and *optional* when it is kept
for the record (demographics, local codes) but the figures do not depend on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    TEXT = "text"
    INTEGER = "integer"
    DATE = "date"
    TIME = "time"  # seconds after midnight
    BOOLEAN = "boolean"


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind = Kind.TEXT
    #: The header must have the column (the pipeline reads it).
    needed: bool = True
    #: Every row must have a value; a row without one is rejected.
    required: bool = False


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    #: The columns that identify a row within one submission (a repeat is kept once).
    key: tuple[str, ...] = ()
    #: What one row is, for messages and counts ("ward stays").
    noun: str = "rows"

    @property
    def file_name(self) -> str:
        return f"{self.name}.csv"

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def _activity(*columns: Column) -> tuple[Column, ...]:
    """The columns every activity table carries, then the table's own."""
    return (
        Column("UniqMonthID", Kind.INTEGER, required=True),
        Column("UniqSubmissionID", Kind.INTEGER, required=True),
        Column("OrgIDProv", required=True),
        Column("RecordNumber", Kind.INTEGER, needed=False),
        *columns,
    )


HEADER = Table(
    "MHS000Header",
    (
        Column("UniqSubmissionID", Kind.INTEGER, required=True),
        Column("UniqMonthID", Kind.INTEGER, required=True),
        Column("OrgIDProvider", required=True),
        Column("ReportingPeriodStartDate", Kind.DATE),
        Column("ReportingPeriodEndDate", Kind.DATE),
        Column("FileType", Kind.INTEGER, required=True),
    ),
    key=("UniqSubmissionID",),
    noun="submissions",
)

MPI = Table(
    "MHS001MPI",
    _activity(
        Column("Person_ID", required=True),
        Column("PatMRecInRP", Kind.BOOLEAN, needed=False),
        Column("AgeRepPeriodEnd", Kind.INTEGER, needed=False),
        Column("Gender", needed=False),
        Column("NHSDEthnicity", needed=False),
        Column("OrgIDSubICBLocResidence", needed=False),
    ),
    key=("Person_ID",),
    noun="people",
)

REFERRAL = Table(
    "MHS101Referral",
    _activity(
        Column("UniqServReqID", required=True),
        Column("Person_ID", required=True),
        Column("ServDischDate", Kind.DATE, needed=False),
    ),
    key=("UniqServReqID",),
    noun="referrals",
)

HOSPITAL_SPELL = Table(
    "MHS501HospProvSpell",
    _activity(
        Column("UniqHospProvSpellID", required=True),
        Column("Person_ID", required=True),
        Column("UniqServReqID"),
        Column("StartDateHospProvSpell", Kind.DATE, required=True),
        Column("DischDateHospProvSpell", Kind.DATE),
        Column("InactTimeHPS", Kind.DATE, needed=False),
        Column("MHS501UniqID", needed=False),
    ),
    key=("UniqHospProvSpellID",),
    noun="hospital spells",
)

WARD_STAY = Table(
    "MHS502WardStay",
    _activity(
        Column("UniqWardStayID", required=True),
        Column("UniqHospProvSpellID", required=True),
        Column("Person_ID", required=True),
        Column("UniqWardCode"),
        Column("WardCode", needed=False),
        Column("StartDateWardStay", Kind.DATE, required=True),
        Column("StartTimeWardStay", Kind.TIME),
        Column("EndDateWardStay", Kind.DATE),
        Column("EndTimeWardStay", Kind.TIME),
        Column("InactTimeWS", Kind.DATE, needed=False),
        Column("SpecialisedMHServiceCode", needed=False),
        Column("MHS502UniqID", needed=False),
    ),
    key=("UniqWardStayID",),
    noun="ward stays",
)

INCIDENT = Table(
    "MHS505RestrictiveInterventInc",
    _activity(
        Column("UniqRestrictiveIntIncID", required=True),
        Column("UniqHospProvSpellID", required=True),
        Column("Person_ID", required=True),
        Column("RestrictiveIntIncID", needed=False),
        Column("StartDateRestrictiveIntInc", Kind.DATE),
        Column("StartTimeRestrictiveIntInc", Kind.TIME, needed=False),
        Column("EndDateRestrictiveIntInc", Kind.DATE),
        Column("EndTimeRestrictiveIntInc", Kind.TIME, needed=False),
        Column("RestrictiveIntReason", needed=False),
    ),
    key=("UniqRestrictiveIntIncID",),
    noun="incidents",
)

INTERVENTION_TYPE = Table(
    "MHS515RestrictiveInterventType",
    _activity(
        Column("UniqRestrictiveIntTypeID", required=True),
        Column("UniqRestrictiveIntIncID", required=True),
        Column("UniqHospProvSpellID", required=True),
        Column("Person_ID", required=True),
        Column("RestrictiveIntType"),
        Column("StartDateRestrictiveIntType", Kind.DATE),
        Column("StartTimeRestrictiveIntType", Kind.TIME),
        Column("EndDateRestrictiveIntType", Kind.DATE),
        Column("EndTimeRestrictiveIntType", Kind.TIME),
        Column("RestraintInjuryPatient", needed=False),
        Column("MHS515UniqID", needed=False),
    ),
    # NHS Digital counts distinct (incident, type) pairs.
    key=("UniqRestrictiveIntIncID", "UniqRestrictiveIntTypeID"),
    noun="interventions",
)

WARD_DETAILS = Table(
    "MHS903WardDetails",
    (
        Column("UniqWardCode", required=True),
        Column("UniqMonthID", Kind.INTEGER, required=True),
        Column("SiteIDOfWard"),
    ),
    key=("UniqWardCode", "UniqMonthID"),
    noun="ward details",
)

#: Every table of an extract, in the order they are read.
TABLES: tuple[Table, ...] = (
    HEADER,
    MPI,
    REFERRAL,
    HOSPITAL_SPELL,
    WARD_STAY,
    INCIDENT,
    INTERVENTION_TYPE,
    WARD_DETAILS,
)
TABLES_BY_NAME = {t.name: t for t in TABLES}

#: The activity tables: their rows belong to one provider's submission for one month.
ACTIVITY_TABLES: tuple[Table, ...] = (
    MPI,
    REFERRAL,
    HOSPITAL_SPELL,
    WARD_STAY,
    INCIDENT,
    INTERVENTION_TYPE,
)

#: RestrictiveIntType codes in NHS Digital's RestrictiveIntTypeDim (MHSDS v5/v6; 02 and 03 were
#: retired). Another code still counts, as "UNKNOWN".
INTERVENTION_TYPES = {
    "01": "Physical restraint - Prone",
    "04": "Mechanical restraint",
    "05": "Seclusion",
    "06": "Segregation",
    "07": "Physical restraint - Standing",
    "08": "Physical restraint - Restrictive escort",
    "09": "Physical restraint - Supine",
    "10": "Physical restraint - Side",
    "11": "Physical restraint - Seated",
    "12": "Physical restraint - Kneeling",
    "13": "Physical restraint - Other (not listed)",
    "14": "Chemical restraint - Injection (Rapid Tranquillisation)",
    "15": "Chemical restraint - Injection (Non Rapid Tranquillisation)",
    "16": "Chemical restraint - Oral",
    "17": "Chemical restraint - Other (not listed)",
}

#: Physical restraint in any position: the types mhsip's restraint-minutes measures cover
#: (mhsip.measures.compute.TYPE_GROUPS["physical"]).
PHYSICAL_RESTRAINT_TYPES = frozenset({"01", "07", "08", "09", "10", "11", "12", "13"})

#: UniqMonthID 1478 is May 2023 and the numbers run on one a month.
MONTH_ID_ANCHOR = (1478, 2023, 5)

"""The parts of a use-of-force record an incident system plausibly exports, and the code lists
their values are mapped to.

A mapping (models.IncidentMapping) names, for each field here, the export's column that holds
it. Coded fields also map each value found in the export to a code: MHSDS RestrictiveIntType and
RestrictiveIntReason codes, mhsip's places, and yes / no / not known.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import models

from mhsip.incidents.codes import Answer, InterventionType, Place, Reason


class FieldKind(models.TextChoices):
    TEXT = "text"
    DATE = "date"
    TIME = "time"
    CODE = "code"
    STAFF = "staff"


@dataclass(frozen=True)
class CodeList:
    key: str
    label: str
    choices: type[models.TextChoices]
    #: Common ways exports write a value (compared ignoring case and punctuation) -> code.
    synonyms: dict[str, str]

    def options(self) -> list[tuple[str, str]]:
        if self.choices in {InterventionType, Reason}:
            return [(c.value, f"{c.value} {c.label}") for c in self.choices]
        return [(c.value, c.label) for c in self.choices]

    def label_of(self, code: str) -> str:
        return dict(self.options()).get(code, code)

    def suggest(self, value: str) -> str | None:
        """The code a value almost certainly means (its code, its label or a common name)."""
        wanted = _normalise(value)
        for choice in self.choices:
            if wanted in {_normalise(choice.value), _normalise(choice.label)}:
                return choice.value
        return self.synonyms.get(wanted)


def _normalise(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.casefold()).strip()


_T = InterventionType
CODE_LISTS = {
    code_list.key: code_list
    for code_list in [
        CodeList(
            "intervention_type",
            "Type of force (MHSDS RestrictiveIntType)",
            InterventionType,
            {
                "prone": _T.PRONE,
                "prone restraint": _T.PRONE,
                "face down restraint": _T.PRONE,
                "mechanical": _T.MECHANICAL,
                "seclusion": _T.SECLUSION,
                "segregation": _T.SEGREGATION,
                "long term segregation": _T.SEGREGATION,
                "lts": _T.SEGREGATION,
                "standing": _T.STANDING,
                "standing restraint": _T.STANDING,
                "restrictive escort": _T.RESTRICTIVE_ESCORT,
                "escort": _T.RESTRICTIVE_ESCORT,
                "supine": _T.SUPINE,
                "supine restraint": _T.SUPINE,
                "side": _T.SIDE,
                "seated": _T.SEATED,
                "seated restraint": _T.SEATED,
                "kneeling": _T.KNEELING,
                "rapid tranquillisation": _T.RAPID_TRANQUILLISATION,
                "rt": _T.RAPID_TRANQUILLISATION,
                "oral medication": _T.ORAL,
            },
        ),
        CodeList("reason", "Reason (MHSDS RestrictiveIntReason)", Reason, {}),
        CodeList("place", "Place", Place, {}),
        CodeList(
            "answer",
            "Yes, no or not known",
            Answer,
            {
                "y": Answer.YES,
                "n": Answer.NO,
                "u": Answer.NOT_KNOWN,
                "unknown": Answer.NOT_KNOWN,
                "not recorded": Answer.NOT_KNOWN,
                "true": Answer.YES,
                "false": Answer.NO,
            },
        ),
    ]
}


@dataclass(frozen=True)
class TargetField:
    key: str
    label: str
    kind: FieldKind
    code_list: str = ""
    required: bool = False
    hint: str = ""


def _answer(key: str, label: str) -> TargetField:
    return TargetField(key, label, FieldKind.CODE, "answer")


#: In the order the mapping page asks for them.
FIELDS = [
    TargetField(
        "incident_reference",
        "Incident reference",
        FieldKind.TEXT,
        required=True,
        hint="The incident's number in the incident system: importing the file again finds "
        "the record by it",
    ),
    TargetField(
        "ward", "Ward", FieldKind.TEXT, required=True, hint="The ward's code or name in mhsip"
    ),
    TargetField(
        "patient_local_id",
        "Patient's local identifier",
        FieldKind.TEXT,
        required=True,
        hint="The trust's patient number. mhsip keeps only a keyed hash of it",
    ),
    TargetField(
        "start_date",
        "Start date",
        FieldKind.DATE,
        required=True,
        hint="A date, or a date and time in one column",
    ),
    TargetField("start_time", "Start time", FieldKind.TIME),
    TargetField("end_date", "End date", FieldKind.DATE),
    TargetField("end_time", "End time", FieldKind.TIME),
    TargetField(
        "intervention_type_1",
        "Type of force",
        FieldKind.CODE,
        "intervention_type",
        hint="Several types in one cell may be separated by “;”",
    ),
    TargetField("intervention_type_2", "Second type of force", FieldKind.CODE, "intervention_type"),
    TargetField("intervention_type_3", "Third type of force", FieldKind.CODE, "intervention_type"),
    TargetField(
        "intervention_start_date",
        "Intervention start date",
        FieldKind.DATE,
        hint="When each row's type of force has its own times, as in an export with one row per "
        "intervention. A date, or a date and time in one column. Left out, the intervention "
        "takes the incident's times",
    ),
    TargetField(
        "intervention_start_time",
        "Intervention start time",
        FieldKind.TIME,
        hint="Without an intervention start date: the incident's day, or the next if the time "
        "is earlier than the incident's start",
    ),
    TargetField("intervention_end_date", "Intervention end date", FieldKind.DATE),
    TargetField("intervention_end_time", "Intervention end time", FieldKind.TIME),
    TargetField("reason", "Reason", FieldKind.CODE, "reason"),
    TargetField("reason_detail", "What happened", FieldKind.TEXT),
    TargetField("place", "Place", FieldKind.CODE, "place"),
    TargetField("avoidance_efforts", "Efforts to avoid force", FieldKind.TEXT),
    TargetField("how_force_was_used", "How force was used", FieldKind.TEXT),
    TargetField(
        "staff",
        "Staff involved",
        FieldKind.STAFF,
        hint="Each person as “Name (Job title)”, separated by “;”",
    ),
    _answer("part_of_care_plan", "Part of the care plan"),
    _answer("care_plan_notification_sent", "Care team told to review the care plan"),
    _answer("outside_people_involved", "Anyone from outside the unit"),
    TargetField("outside_people_reason", "Who from outside the unit, and why", FieldKind.TEXT),
    TargetField("outcome", "Outcome", FieldKind.TEXT),
    _answer("patient_injured", "Patient injured"),
    _answer("staff_injured", "Staff injured"),
    _answer("others_injured", "Others injured"),
    _answer("death_or_serious_injury", "Death or serious injury"),
    _answer("review_offered", "Post-incident review offered"),
    _answer("review_held", "Post-incident review held"),
    TargetField("review_not_held_reason", "Why the review was not held", FieldKind.TEXT),
    _answer("carer_informed", "Carer or relative told"),
]
FIELD_BY_KEY = {f.key: f for f in FIELDS}
REQUIRED = [f.key for f in FIELDS if f.required]
INTERVENTION_SLOTS = ["intervention_type_1", "intervention_type_2", "intervention_type_3"]
INTERVENTION_TIMES = [
    "intervention_start_date",
    "intervention_start_time",
    "intervention_end_date",
    "intervention_end_time",
]
#: Fields copied to the record as they are (text) or through a code list (codes).
RECORD_FIELD_KEYS = [
    f.key
    for f in FIELDS
    if f.kind in {FieldKind.TEXT, FieldKind.CODE}
    and f.key not in {"incident_reference", "ward", "patient_local_id", *INTERVENTION_SLOTS}
]

#: The record's field names as the problems of an import name them (validation's field keys).
LABEL_OF_RECORD_FIELD = {
    "started_at": "Start date",
    "ended_at": "End date",
    "interventions": "Type of force",
    "staff": "Staff involved",
    **{f.key: f.label for f in FIELDS},
}


def label_for_problem_field(field: str) -> str:
    if field.startswith("interventions-"):
        if field.endswith("started_at"):
            return "Intervention start date"
        if field.endswith("ended_at"):
            return "Intervention end date"
        return "Type of force"
    if field.startswith("staff-"):
        return "Staff involved"
    return LABEL_OF_RECORD_FIELD.get(field, field.replace("_", " ").capitalize())

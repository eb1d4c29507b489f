"""Forms for finding and adding patients, admissions, transfers, discharges and bed days."""

from __future__ import annotations

from datetime import date, datetime

from django import forms
from django.utils import timezone

from mhsip.patients.characteristics import (
    ETHNIC_GROUP,
    Ethnicity,
    GenderIdentity,
    LegalStatus,
    Religion,
    Sex,
    SexualOrientation,
    YesNoUnknown,
)
from mhsip.patients.models import StayEnd
from mhsip.web.forms import DateField, NhsukForm, TimeField

LOCAL_ID_HINT = (
    "The patient's number in the trust's clinical record system. mhsip does not keep it: "
    "it keeps a code made from it, so the same number always finds the same patient."
)


class PatientFindForm(NhsukForm):
    local_id = forms.CharField(
        label="Patient's hospital number",
        help_text=LOCAL_ID_HINT,
        max_length=40,
        error_messages={"required": "Enter the patient's hospital number"},
    )


def _ethnicity_choices():
    """NHS ethnic categories grouped by NHS Digital's upper groups, with 'not stated/known' last."""
    groups: dict[str, list] = {}
    for code, label in Ethnicity.choices:
        group = ETHNIC_GROUP[code]
        if code in {Ethnicity.Z, Ethnicity.NOT_KNOWN}:
            continue
        groups.setdefault(group, []).append((code, label.split(" - ", 1)[-1]))
    return [
        *groups.items(),
        (Ethnicity.Z.value, Ethnicity.Z.label),
        (Ethnicity.NOT_KNOWN.value, Ethnicity.NOT_KNOWN.label),
    ]


def _radios(label: str, choices, **kwargs) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=choices, widget=forms.RadioSelect, **kwargs)


class PatientCharacteristicsForm(NhsukForm):
    """The characteristics the Act asks for "if known" (s.6(2)(j)-(l), s.13).

    Every answer starts as "Not known": a characteristic is recorded when the patient tells
    staff, never guessed, and can be changed as it becomes known.
    """

    local_id = forms.CharField(widget=forms.HiddenInput, max_length=40)
    year_of_birth = forms.IntegerField(
        label="Year of birth",
        required=False,
        help_text="For example, 1987. Leave blank if not known.",
        error_messages={"invalid": "Year of birth must be a year, for example 1987"},
    )
    sex = _radios("Sex", Sex.choices, initial=Sex.NOT_KNOWN)
    gender_identity = forms.ChoiceField(
        label="Gender identity", choices=GenderIdentity.choices, initial=GenderIdentity.NOT_KNOWN
    )
    ethnicity = forms.ChoiceField(
        label="Ethnic group", choices=_ethnicity_choices(), initial=Ethnicity.NOT_KNOWN
    )
    religion = forms.ChoiceField(
        label="Religion or belief", choices=Religion.choices, initial=Religion.NOT_KNOWN
    )
    sexual_orientation = forms.ChoiceField(
        label="Sexual orientation",
        choices=SexualOrientation.choices,
        initial=SexualOrientation.NOT_KNOWN,
    )
    disability = _radios("Disability", YesNoUnknown.choices, initial=YesNoUnknown.NOT_KNOWN)
    learning_disability = _radios(
        "Learning disability", YesNoUnknown.choices, initial=YesNoUnknown.NOT_KNOWN
    )
    autism = _radios("Autism", YesNoUnknown.choices, initial=YesNoUnknown.NOT_KNOWN)
    mental_disorder = forms.CharField(
        label="Mental disorder, if known",
        required=False,
        max_length=200,
        help_text="The diagnosis, for example paranoid schizophrenia",
    )
    legal_status = forms.ChoiceField(
        label="Legal status", choices=LegalStatus.choices, initial=LegalStatus.NOT_KNOWN
    )

    def clean_year_of_birth(self):
        year = self.cleaned_data["year_of_birth"]
        this_year = timezone.localdate().year
        if year is not None and not this_year - 120 <= year <= this_year:
            raise forms.ValidationError(f"Year of birth must be between 1900 and {this_year}")
        return year

    def characteristics(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "local_id"}


def _when(day: date | None, at) -> datetime | None:
    if day is None or at is None:
        return None
    return timezone.make_aware(datetime.combine(day, at))


class WhenForm(NhsukForm):
    """A date and a 24-hour time that must not be in the future."""

    when_label = "date"

    def clean(self):
        cleaned = super().clean()
        day, at = cleaned.get("day"), cleaned.get("time")
        if "day" in self.errors or "time" in self.errors:
            return cleaned
        if day is None:
            self.add_error("day", f"Enter the {self.when_label}")
        if at is None:
            self.add_error("time", f"Enter the time of the {self.when_label.split()[0]}")
        when = _when(day, at)
        if when is not None and when > timezone.now():
            self.add_error("day", f"The {self.when_label} cannot be in the future")
        cleaned["at"] = when
        return cleaned


class AdmitForm(WhenForm):
    when_label = "admission date"

    local_id = forms.CharField(
        label="Patient's hospital number",
        help_text=LOCAL_ID_HINT,
        max_length=40,
        error_messages={"required": "Enter the patient's hospital number"},
    )
    day = DateField(label="Date of admission", help_text="For example, 14 3 2026")
    time = TimeField(
        label="Time of admission", help_text="24-hour clock, for example 14:30", required=False
    )


class StayEndForm(WhenForm):
    when_label = "date they left"

    reason = forms.ChoiceField(
        label="Where did the patient go?",
        choices=StayEnd.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the patient was discharged or transferred"},
    )
    to_ward = forms.ModelChoiceField(
        label="Ward they moved to",
        queryset=None,
        required=False,
        empty_label="Select a ward",
    )
    day = DateField(label="Date they left the ward", help_text="For example, 14 3 2026")
    time = TimeField(
        label="Time they left", help_text="24-hour clock, for example 14:30", required=False
    )

    conditional_fields = {"reason": {StayEnd.TRANSFER.value: ["to_ward"]}}

    def __init__(self, *args, wards, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_ward"].queryset = wards

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reason") == StayEnd.TRANSFER and not cleaned.get("to_ward"):
            self.add_error("to_ward", "Select the ward the patient moved to")
        return cleaned


MONTHS = [
    (1, "January"),
    (2, "February"),
    (3, "March"),
    (4, "April"),
    (5, "May"),
    (6, "June"),
    (7, "July"),
    (8, "August"),
    (9, "September"),
    (10, "October"),
    (11, "November"),
    (12, "December"),
]


class BedDaysForm(NhsukForm):
    month = forms.TypedChoiceField(label="Month", choices=MONTHS, coerce=int)
    year = forms.IntegerField(
        label="Year",
        error_messages={
            "required": "Enter the year",
            "invalid": "The year must be a number, for example 2026",
        },
    )
    occupied_bed_days = forms.IntegerField(
        label="Occupied bed days",
        min_value=0,
        help_text="The total of the ward's occupied beds at midnight on each day of the month",
        error_messages={
            "required": "Enter the occupied bed days",
            "invalid": "Occupied bed days must be a whole number, for example 540",
            "min_value": "Occupied bed days cannot be negative",
        },
    )

    def clean(self):
        cleaned = super().clean()
        year = cleaned.get("year")
        if year is not None and not 2000 <= year <= timezone.localdate().year:
            self.add_error("year", f"The year must be between 2000 and {timezone.localdate().year}")
        elif year is not None and cleaned.get("month"):
            cleaned["first_day"] = date(year, cleaned["month"], 1)
        return cleaned

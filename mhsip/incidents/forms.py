"""The use-of-force record form: one page, in the order a nurse tells what happened.

Why one page, not one question per page: the record is ~30 answers that a nurse gives in one
sitting on a ward tablet, mostly short radios, and many depend on each other (an intervention's
times on the incident's date; injuries beside the outcome). Sixteen pages of one question each
would mean sixteen round trips and no overview to check before completing, so the page is one
form in clear sections, each with a heading, in the order the story is told; finding the patient
is the only step before it. Drafts let a nurse stop and come back.

Times: the form asks for one date and 24-hour times. The incident ends on its start date unless
an end date is given (force used across midnight). An intervention's times are placed on the
incident's date; when the incident spans days, an intervention starts at the first such time
after the incident started and ends at the first such time after its own start (or when the
incident ended, if the times match). This keeps intervention rows to a type and two times.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.utils import timezone

from mhsip.incidents.codes import (
    GROUP_OF,
    Answer,
    InterventionType,
    Place,
    Reason,
    StaffRole,
)
from mhsip.incidents.models import UseOfForceRecord
from mhsip.incidents.services import RECORD_FIELDS
from mhsip.incidents.validation import Problem
from mhsip.web.forms import DateField, ErrorLink, NhsukForm, TimeField, form_errors

#: Short names for the types of force, shown inside their kind's option group.
TYPE_NAMES = {
    InterventionType.PRONE: "Prone (face down)",
    InterventionType.SUPINE: "Supine (face up)",
    InterventionType.SIDE: "Side",
    InterventionType.SEATED: "Seated",
    InterventionType.KNEELING: "Kneeling",
    InterventionType.STANDING: "Standing",
    InterventionType.RESTRICTIVE_ESCORT: "Restrictive escort",
    InterventionType.PHYSICAL_OTHER: "Other physical restraint",
    InterventionType.MECHANICAL: "Mechanical restraint",
    InterventionType.SECLUSION: "Seclusion",
    InterventionType.SEGREGATION: "Segregation",
    InterventionType.RAPID_TRANQUILLISATION: "Rapid tranquillisation (injection)",
    InterventionType.INJECTION_NOT_RT: "Injection, not rapid tranquillisation",
    InterventionType.ORAL: "Oral medication",
    InterventionType.CHEMICAL_OTHER: "Other chemical restraint",
}


def intervention_type_choices() -> list:
    """MHSDS restrictive intervention types, grouped by the Act's kinds of force."""
    groups: dict[str, list] = {}
    for kind in dict.fromkeys(GROUP_OF.values()):
        groups[kind.label] = []
    for code, name in TYPE_NAMES.items():
        groups[GROUP_OF[code].label].append((code.value, name))
    return [("", "Select a type of force"), *groups.items()]


def _answer(label: str, hint: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        help_text=hint,
        choices=Answer.choices,
        widget=forms.RadioSelect,
        required=False,
    )


def _text(label: str, hint: str = "") -> forms.CharField:
    return forms.CharField(label=label, help_text=hint, widget=forms.Textarea, required=False)


class RecordForm(NhsukForm):
    """The incident's own answers. Completeness is the service's job (validation.py): here
    only what cannot be parsed is an error, so a draft can be saved half-done."""

    # (b) place, date and duration
    date = DateField(label="Date force was used", help_text="For example, 14 3 2026")
    started_at = TimeField(
        label="Start time", help_text="24-hour clock, for example 14:30", required=False
    )
    ended_at = TimeField(
        label="End time", help_text="24-hour clock, for example 14:50", required=False
    )
    end_date = DateField(
        label="Date it ended", help_text="Only if force was still used after midnight"
    )
    place = forms.ChoiceField(
        label="Where did it happen?",
        choices=[("", "Select a place"), *Place.choices],
        required=False,
    )
    # (a) reason, (o) efforts to avoid force
    reason = forms.ChoiceField(
        label="Main reason force was used",
        choices=[("", "Select a reason"), *Reason.choices],
        required=False,
    )
    reason_detail = _text("What happened? (optional)", "What led up to the use of force")
    avoidance_efforts = _text(
        "What was tried to avoid using force?",
        "De-escalation: for example talking with the patient, a quieter space, "
        "medication offered by mouth",
    )
    # (f) how force was used
    how_force_was_used = _text(
        "How was force used?", "Holds and positions, for how long, and any equipment used"
    )
    # (i) anyone from outside the unit
    outside_people_involved = _answer(
        "Was anyone from outside the unit involved?", "For example, police or security staff"
    )
    outside_people_reason = _text("Who was involved, and why?")
    # (d) part of the care plan, (p) care plan notification
    part_of_care_plan = _answer("Was this use of force part of the patient's care plan?")
    care_plan_notification_sent = _answer(
        "Has the care team been told, so the patient's care plan can be reviewed?"
    )
    # (m) outcome, injuries, (n) death or serious injury
    outcome = _text("What was the outcome for the patient?")
    patient_injured = _answer("Was the patient injured?")
    staff_injured = _answer("Was any member of staff injured?")
    others_injured = _answer("Was anyone else injured?")
    death_or_serious_injury = _answer("Did the patient die or suffer a serious injury?")
    # After the use of force
    review_offered = _answer("Was the patient offered a post-incident review (debrief)?")
    review_held = _answer("Has the review been held?")
    review_not_held_reason = _text("Why has it not been held?")
    carer_informed = _answer("Has a carer or relative been told?")
    # Reasons that override the service's warnings, shown only when one is given
    no_stay_reason = _text("Why is it recorded on this ward?")
    duplicate_reason = _text("Why is this a different use of force?")

    conditional_fields = {
        "outside_people_involved": {Answer.YES.value: ["outside_people_reason"]},
        "review_offered": {Answer.YES.value: ["review_held"]},
        "review_held": {Answer.NO.value: ["review_not_held_reason"]},
    }

    def __init__(self, *args, needs_reason: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        #: Fields with a warning from the service, whose reason textarea is shown.
        self.warnings: set[str] = set()
        if needs_reason:
            self.fields["change_reason"] = _text(
                "Why are you changing this record?",
                "This record is complete. Your reason is kept with the change in its history.",
            )

    def clean(self):
        cleaned = super().clean()
        day, end_day = cleaned.get("date"), cleaned.get("end_date")
        times = cleaned.get("started_at") or cleaned.get("ended_at") or end_day
        if "date" not in self.errors and day is None and times:
            self.add_error("date", "Enter the date force was used")
        if day and end_day and end_day < day:
            self.add_error("end_date", "The date it ended must be on or after the date it started")
        return cleaned

    def overrides(self) -> list:
        """The warning-override reasons to show: those with a warning, or already a reason."""
        names = ("no_stay_reason", "duplicate_reason")
        return [self[name] for name in names if name in self.warnings or self[name].value()]


class InterventionForm(NhsukForm):
    type_code = forms.ChoiceField(
        label="Type of force", choices=intervention_type_choices(), required=False
    )
    started_at = TimeField(label="Start time", required=False)
    ended_at = TimeField(label="End time", required=False)

    def is_blank(self) -> bool:
        return not any(
            self.cleaned_data.get(name) for name in ("type_code", "started_at", "ended_at")
        )


class StaffForm(NhsukForm):
    name = forms.CharField(label="Name", max_length=200, required=False)
    job_title = forms.CharField(label="Job title", max_length=200, required=False)
    role = forms.ChoiceField(
        label="What they did",
        choices=[("", "Select what they did"), *StaffRole.choices],
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("role") and not (cleaned.get("name") or cleaned.get("job_title")):
            self.add_error("name", "Enter the name of this member of staff")
        return cleaned

    def is_blank(self) -> bool:
        return not (self.cleaned_data.get("name") or self.cleaned_data.get("job_title"))


InterventionFormSet = forms.formset_factory(InterventionForm, extra=0)
StaffFormSet = forms.formset_factory(StaffForm, extra=0)

#: Empty rows of each list shown on a new record (two cover most incidents).
DEFAULT_ROWS = 2


#: An end time earlier than the start, with no end date, is read as the next day when that
#: makes the incident at most this long (a use of force that ran past midnight).
MIDNIGHT_CROSSING = timedelta(hours=6)


def _aware(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


def _first_after(at: time, after: datetime) -> datetime:
    """The first moment at or after `after` whose clock time is `at`."""
    local = timezone.localtime(after)
    candidate = _aware(local.date(), at)
    return candidate if candidate >= after else _aware(local.date() + timedelta(days=1), at)


@dataclass
class RecordInput:
    """What the service takes, and which form row each of its list items came from."""

    fields: dict[str, Any]
    interventions: list[dict[str, Any]]
    staff: list[dict[str, Any]]
    intervention_rows: list[int] = field(default_factory=list)
    staff_rows: list[int] = field(default_factory=list)


_ROW_PROBLEM = re.compile(r"^(interventions|staff)-(\d+)-(\w+)$")


class RecordForms:
    """The record form with its two lists (interventions, staff), handled as one."""

    #: The record's fields drawn above the interventions (the rest follow the staff list).
    BEFORE_LISTS = (
        "date",
        "started_at",
        "ended_at",
        "end_date",
        "place",
        "reason",
        "reason_detail",
        "avoidance_efforts",
    )

    def __init__(self, data=None, *, needs_reason: bool = False, initial=None):
        initial = initial or {}
        self.needs_reason = needs_reason
        self.form = RecordForm(data, needs_reason=needs_reason, initial=initial.get("record"))
        self.interventions = InterventionFormSet(
            data, prefix="interventions", initial=initial.get("interventions", [{}] * DEFAULT_ROWS)
        )
        self.staff = StaffFormSet(
            data, prefix="staff", initial=initial.get("staff", [{}] * DEFAULT_ROWS)
        )

    @classmethod
    def for_record(cls, record: UseOfForceRecord | None, *, needs_reason: bool = False):
        if record is None:
            return cls(needs_reason=needs_reason)
        return cls(needs_reason=needs_reason, initial=initial_from_record(record))

    def with_another_row(self, which: str) -> RecordForms:
        """The same answers, unbound (no errors shown), with one more empty row in a list."""
        initial = {
            "record": {name: self.form[name].data for name in self.form.fields},
            "interventions": [
                {name: f[name].data for name in f.fields} for f in self.interventions.forms
            ],
            "staff": [{name: f[name].data for name in f.fields} for f in self.staff.forms],
        }
        initial[which].append({})
        return RecordForms(needs_reason=self.needs_reason, initial=initial)

    def is_valid(self) -> bool:
        # Validate all three, so every parsing error shows at once.
        valid = all([self.form.is_valid(), self.interventions.is_valid(), self.staff.is_valid()])
        if valid and self.form.cleaned_data.get("date") is None:
            timed = any(
                f.cleaned_data.get("started_at") or f.cleaned_data.get("ended_at")
                for f in self.interventions.forms
            )
            if timed:
                self.form.add_error("date", "Enter the date force was used")
                return False
        return valid

    def to_input(self) -> RecordInput:
        cleaned = self.form.cleaned_data
        day, end_day = cleaned.get("date"), cleaned.get("end_date")
        started = _aware(day, cleaned["started_at"]) if day and cleaned.get("started_at") else None
        ended = (
            _aware(end_day or day, cleaned["ended_at"]) if day and cleaned.get("ended_at") else None
        )
        if ended and started and not end_day and ended < started:
            # 23:50 to 00:10 with no end date: the incident crossed midnight. Only a short
            # crossing is read that way; 14:00 to 13:00 stays an error to correct.
            next_day = _aware(day + timedelta(days=1), cleaned["ended_at"])
            if next_day - started <= MIDNIGHT_CROSSING:
                ended = next_day
        fields = {name: cleaned.get(name, "") for name in RECORD_FIELDS if name in cleaned}
        fields.update(started_at=started, ended_at=ended)
        record_input = RecordInput(fields=fields, interventions=[], staff=[])

        multi_day = bool(
            started
            and ended
            and timezone.localtime(ended).date() != timezone.localtime(started).date()
        )
        for row, form in enumerate(self.interventions.forms):
            if form.is_blank():
                continue
            start_time, end_time = form.cleaned_data["started_at"], form.cleaned_data["ended_at"]
            i_start = i_end = None
            if day and start_time:
                i_start = (
                    _first_after(start_time, started)
                    if multi_day and started
                    else _aware(day, start_time)
                )
            if day and end_time:
                if multi_day and ended and timezone.localtime(ended).time() == end_time:
                    i_end = ended
                elif multi_day and (i_start or started):
                    i_end = _first_after(end_time, i_start or started)
                else:
                    i_end = _aware(day, end_time)
            record_input.interventions.append(
                {
                    "type_code": form.cleaned_data["type_code"],
                    "started_at": i_start,
                    "ended_at": i_end,
                }
            )
            record_input.intervention_rows.append(row)

        for row, form in enumerate(self.staff.forms):
            if form.is_blank():
                continue
            record_input.staff.append(
                {name: form.cleaned_data[name] for name in ("name", "job_title", "role")}
            )
            record_input.staff_rows.append(row)
        return record_input

    def show_problems(self, problems: list[Problem], record_input: RecordInput) -> None:
        """Put the service's problems on the fields they name (rows renumbered to the form's)."""
        for problem in problems:
            if problem.warning:
                self.form.warnings.add(problem.field)
            match = _ROW_PROBLEM.match(problem.field)
            if match:
                which, index, name = match[1], int(match[2]), match[3]
                formset, rows = (
                    (self.interventions, record_input.intervention_rows)
                    if which == "interventions"
                    else (self.staff, record_input.staff_rows)
                )
                formset.forms[rows[index]].add_error(name, problem.message)
            elif problem.field == "interventions" and self.interventions.forms:
                self.interventions.forms[0].add_error("type_code", problem.message)
            elif problem.field == "staff" and self.staff.forms:
                self.staff.forms[0].add_error("name", problem.message)
            elif problem.field in self.form.fields:
                self.form.add_error(problem.field, problem.message)
            else:
                self.form.add_error(None, problem.message)

    def errors(self) -> list[ErrorLink]:
        """Every error in the order of the page, for the error summary."""
        names = list(self.form.fields)

        def part(*wanted, non_field=False):
            return form_errors(self.form, [n for n in names if n in wanted], non_field=non_field)

        before = part(*self.BEFORE_LISTS, non_field=True)
        interventions = self._list_errors(self.interventions, "interventions")
        middle = part("how_force_was_used")
        staff = self._list_errors(self.staff, "staff")
        shown = {*self.BEFORE_LISTS, "how_force_was_used"}
        after = form_errors(self.form, [n for n in names if n not in shown], non_field=False)
        return before + interventions + middle + staff + after

    @staticmethod
    def _list_errors(formset, anchor: str) -> list[ErrorLink]:
        # A formset's own errors come from a damaged form (its hidden row counts), not from
        # anything a person typed; they link to the list's heading.
        own = [ErrorLink(anchor, str(e)) for e in formset.non_form_errors()]
        return own + [e for f in formset.forms for e in form_errors(f)]


def initial_from_record(record: UseOfForceRecord) -> dict[str, Any]:
    """The form's answers for an existing record (times as the ward's clock shows them)."""
    start = timezone.localtime(record.started_at) if record.started_at else None
    end = timezone.localtime(record.ended_at) if record.ended_at else None
    values = {name: getattr(record, name) for name in RECORD_FIELDS}
    values.update(
        date=start.date() if start else None,
        started_at=start.time() if start else None,
        ended_at=end.time() if end else None,
        end_date=end.date() if end and start and end.date() != start.date() else None,
    )

    def clock(value):
        return timezone.localtime(value).time() if value else None

    interventions = [
        {"type_code": i.type_code, "started_at": clock(i.started_at), "ended_at": clock(i.ended_at)}
        for i in record.interventions.all()
    ]
    staff = [{"name": s.name, "job_title": s.job_title, "role": s.role} for s in record.staff.all()]
    # At least the usual two rows, and always one empty row to add to.
    interventions += [{}] * max(DEFAULT_ROWS - len(interventions), 1 if interventions else 0)
    staff += [{}] * max(DEFAULT_ROWS - len(staff), 1 if staff else 0)
    return {"record": values, "interventions": interventions, "staff": staff}

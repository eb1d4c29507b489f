from __future__ import annotations

from django import forms

from mhsip.web.forms import DateField, NhsukForm


class WardAimForm(NhsukForm):
    """The baseline months are chosen from the months the dashboard shows."""

    baseline_start = forms.ChoiceField(label="First month of the baseline")
    baseline_end = forms.ChoiceField(label="Last month of the baseline")
    reduction_percent = forms.IntegerField(
        label="Reduction you are aiming for (%)",
        min_value=1,
        max_value=100,
        help_text="The national programme aimed for 25%.",
        error_messages={
            "required": "Enter the reduction you are aiming for",
            "invalid": "Enter the reduction as a whole number, like 25",
            "min_value": "Enter a reduction of at least 1%",
            "max_value": "Enter a reduction of at most 100%",
        },
    )
    joined_programme_on = DateField(
        label="When the ward joined the programme", help_text="For example, 1 4 2024"
    )
    aim_by = DateField(label="Aim to reach it by", help_text="For example, 31 3 2026")

    def __init__(self, *args, months: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["baseline_start"].choices = months
        self.fields["baseline_end"].choices = months

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("baseline_start"), cleaned.get("baseline_end")
        if start and end and end < start:
            self.add_error("baseline_end", "The baseline must end after it starts")
        return cleaned


class TeamValuesForm(NhsukForm):
    """One month's values of every team-entered measure: a count, and for a percentage the
    count it is a share of. Blank means not entered (missing), not zero."""

    month = forms.ChoiceField(label="Month")

    def __init__(self, *args, months: list[tuple[str, str]], measures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = months
        self.measures = measures
        for measure in measures:
            share = measure.denominator == "team_entered"
            self.fields[f"{measure.id}__numerator"] = forms.IntegerField(
                label=_numerator_label(measure),
                required=False,
                min_value=0,
                error_messages={
                    "invalid": f"{measure.name}: enter a whole number",
                    "min_value": f"{measure.name}: enter 0 or more",
                },
            )
            if share:
                self.fields[f"{measure.id}__denominator"] = forms.IntegerField(
                    label=_denominator_label(measure),
                    required=False,
                    min_value=1,
                    error_messages={
                        "invalid": f"{measure.name}: enter a whole number",
                        "min_value": f"{measure.name}: enter 1 or more",
                    },
                )

    def values(self) -> dict[str, tuple[int | None, int | None]]:
        data = self.cleaned_data
        return {
            m.id: (data.get(f"{m.id}__numerator"), data.get(f"{m.id}__denominator"))
            for m in self.measures
        }


_LABELS = {
    "safety_huddles": ("Safety huddles held", None),
    "care_plans_coproduced": (
        "Care plans co-produced with the patient",
        "Care plans reviewed",
    ),
    "assaults_on_staff": ("Physical assaults on staff", None),
    "self_harm": ("Self-harm incidents", None),
    "patients_feeling_safe": (
        "Patients who said they felt safe",
        "Patients who answered the survey",
    ),
}


def _numerator_label(measure) -> str:
    return _LABELS.get(measure.id, (measure.name, None))[0]


def _denominator_label(measure) -> str:
    return _LABELS.get(measure.id, (None, "Out of"))[1] or "Out of"

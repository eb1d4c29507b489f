from __future__ import annotations

from django import forms

from mhsip.reports.services import NARRATIVE_MAX_CHARACTERS
from mhsip.web.forms import DateField, NhsukForm


class NarrativeForm(NhsukForm):
    text = forms.CharField(
        label="Narrative",
        widget=forms.Textarea,
        max_length=NARRATIVE_MAX_CHARACTERS,
        help_text="What the board should know this month: what the team tried, what it learned, "
        "what it needs. It is printed on the first page of the report. Do not name patients.",
        error_messages={
            "required": "Enter the narrative",
            "max_length": f"The narrative must be {NARRATIVE_MAX_CHARACTERS:,} characters or fewer",
        },
    )


class RecordsDownloadForm(NhsukForm):
    ward = forms.ChoiceField(label="Ward", required=False)
    first_day = DateField(label="From", help_text="For example, 1 4 2025. Leave blank for all.")
    last_day = DateField(label="To", help_text="For example, 31 3 2026. Leave blank for all.")

    def __init__(self, *args, wards, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ward"].choices = [("", "Every ward you can see")] + [
            (w.code, f"{w.name} ({w.provider.name})") for w in wards
        ]

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("first_day"), cleaned.get("last_day")
        if first and last and last < first:
            self.add_error("last_day", "The last day must be on or after the first day")
        return cleaned

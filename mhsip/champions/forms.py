from __future__ import annotations

from django import forms

from mhsip.champions.services import NOTE_LENGTH
from mhsip.web.forms import NhsukForm


class AcknowledgeForm(NhsukForm):
    note = forms.CharField(
        label="What did you do about it?",
        help_text=(
            "For example, who you talked to and what they found. Do not name or describe "
            "patients: this note is kept with the alert."
        ),
        widget=forms.Textarea,
        max_length=NOTE_LENGTH,
        error_messages={"required": "Say what you did about this alert, or why nothing is needed"},
    )


class FollowForm(forms.Form):
    """Which ward or provider to follow or stop following (buttons on several pages)."""

    level = forms.ChoiceField(choices=[("ward", "Ward"), ("provider", "Provider")])
    code = forms.CharField(max_length=40)
    next = forms.CharField(required=False, max_length=500)

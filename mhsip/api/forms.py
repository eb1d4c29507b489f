from django import forms

from mhsip.api.services import EXPIRY_DAYS
from mhsip.web.forms import NhsukForm


class ApiTokenForm(NhsukForm):
    name = forms.CharField(
        label="What is the token for?",
        help_text="For example, the name of the script or system that will use it",
        max_length=100,
        error_messages={"required": "Enter what the token is for"},
    )
    expires_in_days = forms.TypedChoiceField(
        label="How long should it last?",
        choices=[(str(days), f"{days} days") for days in EXPIRY_DAYS],
        coerce=int,
        initial=str(EXPIRY_DAYS[1]),
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how long the token should last"},
    )

"""Sign-in and second-factor forms, with messages that say what to do (NHS.UK error style)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils import timezone

from mhsip.web.forms import NhsukForm


class SignInForm(AuthenticationForm):
    error_messages = {
        # Neither says which was wrong: that would tell a stranger the username exists.
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account has been switched off. Ask your system administrator.",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"


class SecondFactorCodeForm(NhsukForm):
    """A 6-digit code from an authenticator app, checked against one TOTP device.

    The device throttles wrong codes itself (each one doubles the wait before the next try).
    """

    token = forms.CharField(
        label="Code from your authenticator app",
        max_length=20,
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
    )

    def __init__(self, *args, device, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_token(self) -> str:
        token = "".join(self.cleaned_data["token"].split())
        if not (token.isdigit() and len(token) == self.device.digits):
            raise ValidationError(f"Enter the code as {self.device.digits} numbers, like 123456")
        allowed, why = self.device.verify_is_allowed()
        if not allowed:
            locked_until = (why or {}).get("locked_until") or timezone.now()
            wait = max(1, round((locked_until - timezone.now()).total_seconds()))
            raise ValidationError(
                f"Too many wrong codes. Wait {wait} seconds, then enter the code your app shows."
            )
        if not self.device.verify_token(token):
            raise ValidationError(
                "That code is not right or has run out. Enter the code your app shows now."
            )
        return token

"""The second factor: a TOTP authenticator app, for people who can see patient-level data.

Who owes a code, and where to send them to give it:

    second_factor_owed(user)  -> None, SecondFactorStep.SET_UP or SecondFactorStep.VERIFY

A person owes a code once they have set up an app (it is optional until then), and, while
settings.MHSIP_REQUIRE_2FA_FOR_PATIENT_DATA is on, whenever their roles let them see
patient-level data. `SecondFactorMiddleware` asks on every request; views that must stay open to
someone who owes a code (sign-in, sign-out, the second-factor pages) are marked
`second_factor_exempt`.
"""

from __future__ import annotations

import base64
import functools
from enum import StrEnum

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode
from django_otp.plugins.otp_totp.models import TOTPDevice

from mhsip.authorization.checks import has_permission
from mhsip.authorization.permissions import Permission


class SecondFactorStep(StrEnum):
    SET_UP = "set_up"
    VERIFY = "verify"

    @property
    def url_name(self) -> str:
        return {"set_up": "two-factor-set-up", "verify": "two-factor-verify"}[self.value]


def may_set_up_second_factor(user) -> bool:
    """Only people whose roles show them patient-level data set up a second factor."""
    return has_permission(user, Permission.PATIENT_DATA_VIEW)


def confirmed_devices(user) -> QuerySet[TOTPDevice]:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True)


def is_verified(user) -> bool:
    # OTPMiddleware gives the user `is_verified`; a request that skipped it is not verified.
    return bool(getattr(user, "is_verified", lambda: False)())


def second_factor_owed(user) -> SecondFactorStep | None:
    """What this signed-in person must still do before they see anything, if anything."""
    if not getattr(user, "is_authenticated", False) or is_verified(user):
        return None
    if confirmed_devices(user).exists():
        return SecondFactorStep.VERIFY
    if settings.MHSIP_REQUIRE_2FA_FOR_PATIENT_DATA and may_set_up_second_factor(user):
        return SecondFactorStep.SET_UP
    return None


def redirect_to_second_factor(request: HttpRequest, step: SecondFactorStep):
    """Send the person to set up or give a code, coming back to this page afterwards."""
    url = reverse(step.url_name)
    if request.method == "GET":
        url = f"{url}?{urlencode({'next': request.get_full_path()})}"
    return HttpResponseRedirect(url)


def second_factor_exempt(view):
    """Mark a view that someone who still owes a code may open (sign-in, sign-out, 2FA pages)."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        return view(*args, **kwargs)

    wrapped.second_factor_exempt = True
    return wrapped


def qr_code_data_uri(text: str) -> str:
    """`text` as a QR code: an SVG in a data: URI, for an <img> our CSP allows."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathFillImage, border=2)
    svg = image.to_string()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def secret_for_typing(device: TOTPDevice) -> str:
    """The device's key in base32, in groups of four, for people who cannot scan the QR code."""
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))

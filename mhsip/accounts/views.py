"""Signing in and out, the login lockout page, and the TOTP second factor."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from mhsip.accounts.forms import SecondFactorCodeForm, SignInForm
from mhsip.accounts.two_factor import (
    confirmed_devices,
    is_verified,
    may_set_up_second_factor,
    qr_code_data_uri,
    second_factor_exempt,
    second_factor_owed,
    secret_for_typing,
)
from mhsip.auditing import services as audit
from mhsip.web.forms import form_errors


class SignIn(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = SignInForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["errors"] = form_errors(context["form"]) if context["form"].is_bound else []
        return context


class SignOut(auth_views.LogoutView):
    """Sign out (POST only, as Django requires) and say so on the sign-in page."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.success(request, "You have signed out.")
        return response


def locked_out(request: HttpRequest, response=None, credentials=None) -> HttpResponse:
    """What django-axes shows instead of the sign-in page once a username is locked out."""
    minutes = round(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes}
    return render(request, "registration/locked_out.html", context, status=429)


def _next_url(request: HttpRequest, default: str) -> str:
    """The page to go on to afterwards, if it is one of ours; `default` otherwise."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return default


@second_factor_exempt
@never_cache
@login_required
def two_factor_set_up(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code (or type the key), then give a code."""
    user = request.user
    if not may_set_up_second_factor(user):
        raise PermissionDenied(
            "Two-step verification is for people whose roles let them see patient-level data."
        )
    already_set_up = confirmed_devices(user).exists()
    if already_set_up and not is_verified(user):
        # Replacing an app needs a code from the old one, or anyone at an unlocked screen could.
        return redirect(f"{reverse('two-factor-verify')}?next={request.path}")

    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    form = SecondFactorCodeForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
            audit.record_event(
                by=user,
                action="account.second_factor_set_up",
                target=user,
                summary="Set up an authenticator app for two-step verification",
            )
        otp_login(request, device)
        messages.success(request, "Two-step verification is set up.")
        return redirect(_next_url(request, reverse("authorization:my-access")))

    return render(
        request,
        "accounts/two_factor_set_up.html",
        {
            "form": form,
            "errors": form_errors(form) if form.is_bound else [],
            "already_set_up": already_set_up,
            "required": settings.MHSIP_REQUIRE_2FA_FOR_PATIENT_DATA,
            "config_url": device.config_url,
            "qr_code": qr_code_data_uri(device.config_url),
            "secret": secret_for_typing(device),
            "next": _next_url(request, ""),
        },
    )


@second_factor_exempt
@never_cache
@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """Give the code from the authenticator app, once per sign-in."""
    user = request.user
    device = confirmed_devices(user).first()
    if device is None or is_verified(user):
        if second_factor_owed(user) is not None:
            return redirect(reverse("two-factor-set-up"))
        return redirect(_next_url(request, reverse(settings.LOGIN_REDIRECT_URL)))

    form = SecondFactorCodeForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        otp_login(request, device)
        return redirect(_next_url(request, reverse(settings.LOGIN_REDIRECT_URL)))
    return render(
        request,
        "accounts/two_factor_verify.html",
        {
            "form": form,
            "errors": form_errors(form) if form.is_bound else [],
            "next": _next_url(request, ""),
        },
    )

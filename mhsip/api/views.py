"""The API tokens page: make a token (shown once) and revoke tokens. The API itself is
`mhsip.api.v1`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from mhsip.api.forms import ApiTokenForm
from mhsip.api.models import ApiToken
from mhsip.api.services import api_token_create, api_token_revoke
from mhsip.authorization.decorators import require_permission
from mhsip.authorization.permissions import Permission
from mhsip.web.forms import form_errors


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    require_permission(request.user, Permission.API_TOKEN_MANAGE)
    form = ApiTokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        token, new_token = api_token_create(
            by=request.user,
            name=form.cleaned_data["name"],
            expires_in_days=form.cleaned_data["expires_in_days"],
        )
        # Shown in this response only, never stored in the session: it cannot be read again.
        form = ApiTokenForm()
    response = render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "errors": form_errors(form) if form.is_bound else [],
            "new_token": new_token,
            "tokens": ApiToken.objects.filter(user=request.user),
        },
    )
    if new_token:
        response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    require_permission(request.user, Permission.API_TOKEN_MANAGE)
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    api_token_revoke(by=request.user, token=token)
    messages.success(request, f"Revoked: {token.name}")
    return redirect("api:tokens")

"""Patients on a ward: who is there now, admissions, transfers and discharges; bed days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from mhsip.authorization.checks import has_permission
from mhsip.authorization.decorators import require_patient_data_access, require_permission
from mhsip.authorization.permissions import Permission
from mhsip.organisations.models import Ward
from mhsip.organisations.views import get_ward
from mhsip.patients import services
from mhsip.patients.forms import (
    AdmitForm,
    BedDaysForm,
    PatientCharacteristicsForm,
    StayEndForm,
)
from mhsip.patients.models import StayEnd, WardStay
from mhsip.patients.presenters import make_age_band
from mhsip.patients.queries import (
    bed_days_for,
    current_stay,
    current_stays,
    patient_find,
    transfer_wards,
)
from mhsip.patients.tokens import patient_token
from mhsip.web.forms import form_errors


@dataclass(frozen=True)
class StayRow:
    stay: WardStay
    age_band: str
    record_url: str | None


@require_GET
@require_patient_data_access
def ward_patients(request: HttpRequest, code: str) -> HttpResponse:
    ward = get_ward(code)
    require_permission(request.user, Permission.PATIENT_DATA_VIEW, ward=ward)
    may_record = has_permission(request.user, Permission.USE_OF_FORCE_RECORD_CREATE, ward=ward)
    today = timezone.localdate()
    record_url = reverse("incidents:record-create", args=[ward.code])
    rows = [
        StayRow(
            stay=stay,
            age_band=make_age_band(stay.patient, today),
            record_url=(
                f"{record_url}?patient={patient_token(ward=ward, patient=stay.patient)}"
                if may_record
                else None
            ),
        )
        for stay in current_stays(request.user, ward=ward)
    ]
    services.ward_stays_viewed(by=request.user, ward=ward)
    return render(
        request,
        "patients/ward_patients.html",
        {
            "ward": ward,
            "rows": rows,
            "may_manage": has_permission(request.user, Permission.PATIENT_MANAGE, ward=ward),
        },
    )


def _apply(form, error: ValidationError, *, default_field: str) -> None:
    """Show a service's ValidationError on the form: on its field if the form has it."""
    for field, messages_ in error.message_dict.items():
        for message in messages_:
            form.add_error(field if field in form.fields else default_field, message)


@require_http_methods(["GET", "POST"])
@require_patient_data_access
def admit(request: HttpRequest, code: str) -> HttpResponse:
    """Admit a patient: find them by hospital number, adding them first if they are new.

    One page when the patient is known; a second (the same questions, plus the Act's
    characteristics) when they are not.
    """
    ward = get_ward(code)
    require_permission(request.user, Permission.PATIENT_MANAGE, ward=ward)
    adding = request.method == "POST" and request.POST.get("step") == "add"
    form = AdmitForm(request.POST if request.method == "POST" else None)
    new_patient = PatientCharacteristicsForm(request.POST if adding else None)
    if request.method == "POST" and form.is_valid() and (not adding or new_patient.is_valid()):
        patient = patient_find(request.user, ward=ward, local_id=form.cleaned_data["local_id"])
        if patient is None and not adding:
            new_patient = PatientCharacteristicsForm(
                initial={"local_id": form.cleaned_data["local_id"]}
            )
            return _admit_page(request, ward, form, new_patient)
        try:
            if patient is None:
                patient = services.patient_register(
                    by=request.user,
                    provider=ward.provider,
                    local_id=form.cleaned_data["local_id"],
                    ward=ward,
                    **new_patient.characteristics(),
                )
            services.stay_admit(
                by=request.user, patient=patient, ward=ward, at=form.cleaned_data["at"]
            )
        except ValidationError as error:
            _apply(form, error, default_field="local_id")
        else:
            messages.success(request, f"{patient.alias} has been admitted to {ward.name}.")
            return redirect("patients:ward-patients", ward.code)
    return _admit_page(request, ward, form, new_patient if adding else None)


def _admit_page(request, ward: Ward, form, new_patient) -> HttpResponse:
    errors = form_errors(form) + (form_errors(new_patient) if new_patient is not None else [])
    return render(
        request,
        "patients/admit.html",
        {"ward": ward, "form": form, "new_patient": new_patient, "errors": errors},
    )


@require_http_methods(["GET", "POST"])
@require_patient_data_access
def stay_end(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """Transfer a patient to another ward of the provider, or discharge them."""
    ward = get_ward(code)
    require_permission(request.user, Permission.PATIENT_MANAGE, ward=ward)
    stay = current_stay(request.user, ward=ward, pk=pk)
    if stay is None:
        raise Http404("This patient is not on the ward.")
    form = StayEndForm(
        request.POST if request.method == "POST" else None, wards=transfer_wards(ward=ward)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.stay_end(
                by=request.user,
                stay=stay,
                at=form.cleaned_data["at"],
                reason=form.cleaned_data["reason"],
                to_ward=form.cleaned_data.get("to_ward"),
            )
        except ValidationError as error:
            _apply(form, error, default_field="day")
        else:
            if form.cleaned_data["reason"] == StayEnd.TRANSFER:
                done = (
                    f"{stay.patient.alias} has been transferred to {form.cleaned_data['to_ward']}."
                )
            else:
                done = f"{stay.patient.alias} has been discharged."
            messages.success(request, done)
            return redirect("patients:ward-patients", ward.code)
    return render(
        request,
        "patients/stay_end.html",
        {"ward": ward, "stay": stay, "form": form, "errors": form_errors(form)},
    )


@require_http_methods(["GET", "POST"])
@login_required
def bed_days(request: HttpRequest, code: str) -> HttpResponse:
    """Monthly occupied bed days, for wards that do not record each patient's stay."""
    ward = get_ward(code)
    require_permission(request.user, Permission.BED_DAYS_ENTER, ward=ward)
    last_month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
    form = BedDaysForm(
        request.POST if request.method == "POST" else None,
        initial={"month": last_month.month, "year": last_month.year},
    )
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.bed_days_enter(
                by=request.user,
                ward=ward,
                month=form.cleaned_data["first_day"],
                occupied_bed_days=form.cleaned_data["occupied_bed_days"],
            )
        except ValidationError as error:
            _apply(form, error, default_field="month")
        else:
            messages.success(
                request,
                f"{entry.occupied_bed_days} occupied bed days saved for {entry.month:%B %Y}.",
            )
            return redirect("patients:bed-days", ward.code)
    return render(
        request,
        "patients/bed_days.html",
        {
            "ward": ward,
            "form": form,
            "errors": form_errors(form),
            "entries": bed_days_for(request.user, ward=ward)[:24],
        },
    )

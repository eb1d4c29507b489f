"""Recording a use of force, reading a record with its history, and correcting it.

Views are thin: forms parse (incidents/forms.py), `services.record_save` decides what is valid
and saves it with a version and an audit event, and reads go through the scoped queries.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from mhsip.authorization.checks import has_permission
from mhsip.authorization.decorators import require_patient_data_access, require_permission
from mhsip.authorization.permissions import Permission
from mhsip.incidents.forms import RecordForms
from mhsip.incidents.models import RecordStatus, UseOfForceRecord
from mhsip.incidents.presenters import make_version_history
from mhsip.incidents.queries import records_visible_to
from mhsip.incidents.services import RecordInvalid, may_edit, record_save, record_viewed
from mhsip.organisations.models import Ward
from mhsip.organisations.views import get_ward
from mhsip.patients.forms import PatientCharacteristicsForm, PatientFindForm
from mhsip.patients.models import Patient
from mhsip.patients.presenters import make_age_band
from mhsip.patients.queries import open_stay, patient_find
from mhsip.patients.services import patient_register
from mhsip.patients.tokens import patient_from_token, patient_token
from mhsip.web.forms import form_errors


def _record_url(ward: Ward, patient: Patient) -> str:
    token = patient_token(ward=ward, patient=patient)
    return f"{reverse('incidents:record-create', args=[ward.code])}?patient={token}"


@require_http_methods(["GET", "POST"])
@require_patient_data_access
def record_patient(request: HttpRequest, code: str) -> HttpResponse:
    """Step 1 of recording: which patient? Found by hospital number, or added if new."""
    ward = get_ward(code)
    require_permission(request.user, Permission.USE_OF_FORCE_RECORD_CREATE, ward=ward)
    may_add = has_permission(request.user, Permission.PATIENT_MANAGE, ward=ward)
    find = PatientFindForm(request.POST if request.method == "POST" else None)
    new_patient = None
    if request.method == "POST" and request.POST.get("step") == "add" and may_add:
        new_patient = PatientCharacteristicsForm(request.POST)
        if new_patient.is_valid():
            try:
                patient = patient_register(
                    by=request.user,
                    provider=ward.provider,
                    local_id=new_patient.cleaned_data["local_id"],
                    ward=ward,
                    **new_patient.characteristics(),
                )
            except ValidationError as error:
                new_patient.add_error(None, error)
            else:
                return redirect(_record_url(ward, patient))
        find = PatientFindForm(initial={"local_id": request.POST.get("local_id", "")})
    elif request.method == "POST" and find.is_valid():
        local_id = find.cleaned_data["local_id"]
        patient = patient_find(request.user, ward=ward, local_id=local_id)
        if patient is not None:
            return redirect(_record_url(ward, patient))
        if may_add:
            new_patient = PatientCharacteristicsForm(initial={"local_id": local_id})
        else:
            find.add_error(
                "local_id",
                f"No patient with this hospital number is known to {ward.provider.name}. "
                "Check the number, or ask someone who can add patients to add them.",
            )
    errors = form_errors(find) if find.is_bound else []
    if new_patient is not None and new_patient.is_bound:
        errors += form_errors(new_patient)
    return render(
        request,
        "incidents/record_patient.html",
        {"ward": ward, "find": find, "new_patient": new_patient, "errors": errors},
    )


@require_http_methods(["GET", "POST"])
@require_patient_data_access
def record_create(request: HttpRequest, code: str) -> HttpResponse:
    """Step 2 of recording: the record itself, for the patient found in step 1."""
    ward = get_ward(code)
    require_permission(request.user, Permission.USE_OF_FORCE_RECORD_CREATE, ward=ward)
    patient = patient_from_token(request.user, ward=ward, token=request.GET.get("patient", ""))
    if patient is None:
        messages.info(request, "Find the patient first: the link you followed has expired.")
        return redirect("incidents:record-patient", ward.code)
    return _record_form(request, ward=ward, patient=patient, record=None)


@require_http_methods(["GET", "POST"])
@require_patient_data_access
def record_edit(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(records_visible_to(request.user), pk=pk)
    if not may_edit(request.user, record):
        raise PermissionDenied("You cannot change this record.")
    return _record_form(request, ward=record.ward, patient=record.patient, record=record)


def _record_form(
    request: HttpRequest, *, ward: Ward, patient: Patient, record: UseOfForceRecord | None
) -> HttpResponse:
    needs_reason = record is not None and record.status == RecordStatus.COMPLETE
    if request.method == "GET":
        forms = RecordForms.for_record(record, needs_reason=needs_reason)
    else:
        forms = RecordForms(request.POST, needs_reason=needs_reason)
        action = request.POST.get("action", "draft")
        if action in {"add_intervention", "add_staff"}:
            which = "interventions" if action == "add_intervention" else "staff"
            forms = forms.with_another_row(which)
        elif forms.is_valid():
            record_input = forms.to_input()
            try:
                saved = record_save(
                    by=request.user,
                    ward=ward,
                    patient=patient,
                    fields=record_input.fields,
                    interventions=record_input.interventions,
                    staff=record_input.staff,
                    complete=action == "complete",
                    record=record,
                    reason=forms.form.cleaned_data.get("change_reason", ""),
                )
            except RecordInvalid as invalid:
                forms.show_problems(invalid.problems, record_input)
            else:
                done = saved.record
                if record is not None:
                    message = f"{done.reference} has been changed (version {done.version})."
                elif done.status == RecordStatus.COMPLETE:
                    message = f"{done.reference} has been recorded. Thank you."
                else:
                    message = f"{done.reference} has been saved as a draft. Finish it later."
                messages.success(request, message)
                return redirect("incidents:record-detail", done.pk)
    errors = forms.errors() if request.method == "POST" else []
    stay = open_stay(patient, ward)
    return render(
        request,
        "incidents/record_form.html",
        {
            "ward": ward,
            "patient": patient,
            "age_band": make_age_band(patient, timezone.localdate()),
            "stay": stay,
            "record": record,
            "forms": forms,
            "form": forms.form,
            "errors": errors,
        },
    )


@require_GET
@require_patient_data_access
def record_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything recorded, labelled with the Act's items (a)-(p), and its version history.

    A record outside the person's wards is 404, not 403: the page must not confirm it exists.
    """
    record = get_object_or_404(
        records_visible_to(request.user).prefetch_related("interventions", "staff"), pk=pk
    )
    record_viewed(by=request.user, record=record)
    on = timezone.localtime(record.started_at).date() if record.started_at else timezone.localdate()
    return render(
        request,
        "incidents/record_detail.html",
        {
            "record": record,
            "ward": record.ward,
            "patient": record.patient,
            "age_band": make_age_band(record.patient, on),
            "may_edit": may_edit(request.user, record),
            "history": make_version_history(list(record.versions.select_related("saved_by"))),
        },
    )

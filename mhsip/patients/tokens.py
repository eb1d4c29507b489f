"""A signed reference to a patient found on a ward, carried from one page to the next.

Found by their hospital number on one page, the patient travels to the next in the URL as a
signed token rather than a bare primary key, so nobody can walk through the provider's
patients by editing numbers in the address bar.
"""

from __future__ import annotations

from django.core import signing

from mhsip.organisations.models import Ward
from mhsip.patients.models import Patient
from mhsip.patients.queries import patient_for_ward

_SALT = "mhsip.patients.ward-patient"
#: A token outlives a long shift, not a rota.
MAX_AGE_SECONDS = 12 * 60 * 60


def patient_token(*, ward: Ward, patient: Patient) -> str:
    return signing.dumps({"ward": ward.pk, "patient": patient.pk}, salt=_SALT, compress=True)


def patient_from_token(user, *, ward: Ward, token: str) -> Patient | None:
    """The patient the token names, if it is genuine, recent, for this ward, and visible."""
    try:
        data = signing.loads(token, salt=_SALT, max_age=MAX_AGE_SECONDS)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("ward") != ward.pk:
        return None
    return patient_for_ward(user, ward=ward, pk=data.get("patient"))

"""View helpers: refuse with 403 unless the signed-in person has the permission.

require_permission(request.user, Permission.X, ward=ward)   inside a view: 403 unless allowed
@require_patient_data_access                                 on a view that shows patient data
"""

from __future__ import annotations

import functools

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from mhsip.authorization.checks import has_permission
from mhsip.authorization.permissions import Permission


def require_permission(user, permission: Permission, **context) -> None:
    """Raise PermissionDenied (a 403 page) unless `user` has `permission` here."""
    if not has_permission(user, permission, **context):
        raise PermissionDenied(f"You do not have permission to {permission.description.lower()}.")


def require_patient_data_access(view):
    """Decorate a view (or `method_decorator` a class-based one) that shows patient-level data.

    Signed out: to the sign-in page. Signed in without PATIENT_DATA_VIEW anywhere: 403. Owing a
    second factor (set up, or required by MHSIP_REQUIRE_2FA_FOR_PATIENT_DATA): to the page that
    sets one up or asks for the code, coming back afterwards. SecondFactorMiddleware does the
    last for every page already; this repeats it so the view is safe wherever it is mounted.

    It only opens the door: the view must still show just the wards the person may see
    (`wards_where(user, Permission.PATIENT_DATA_VIEW)`, or `has_permission(..., ward=ward)`).
    """

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        # Imported here: django_otp's models must not load while the app registry is filling.
        from mhsip.accounts.two_factor import redirect_to_second_factor, second_factor_owed

        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        require_permission(request.user, Permission.PATIENT_DATA_VIEW)
        step = second_factor_owed(request.user)
        if step is not None:
            return redirect_to_second_factor(request, step)
        return view(request, *args, **kwargs)

    return wrapped

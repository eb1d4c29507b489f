"""Hold back everything but the second-factor pages from someone who still owes a code."""

from __future__ import annotations

from mhsip.accounts.two_factor import redirect_to_second_factor, second_factor_owed


class SecondFactorMiddleware:
    """After sign-in, a person who owes a TOTP code (see `two_factor.second_factor_owed`) is
    sent to set up an authenticator app or give a code, whatever page they asked for.

    Enforced here rather than view by view so that no page, including ones added later, can
    forget it. Views that must stay open are marked with `two_factor.second_factor_exempt`.
    Must come after django_otp's OTPMiddleware, which says whether the session is verified.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "second_factor_exempt", False):
            return None
        step = second_factor_owed(request.user)
        if step is None:
            return None
        return redirect_to_second_factor(request, step)

"""Sign-in, sign-out and the second factor. Not namespaced: `login` and `logout` are the names
Django's settings (LOGIN_URL, LOGOUT_REDIRECT_URL) and templates expect."""

from django.urls import path

from mhsip.accounts import views
from mhsip.accounts.two_factor import second_factor_exempt

urlpatterns = [
    path("login/", second_factor_exempt(views.SignIn.as_view()), name="login"),
    path("logout/", second_factor_exempt(views.SignOut.as_view()), name="logout"),
    path("two-factor/", views.two_factor_set_up, name="two-factor-set-up"),
    path("two-factor/verify/", views.two_factor_verify, name="two-factor-verify"),
]

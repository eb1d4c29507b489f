import pytest

from tests.factories.organisations import (
    MembershipFactory,
    ProviderFactory,
    SiteFactory,
    WardFactory,
)


@pytest.fixture
def wards():
    provider = ProviderFactory(code="ZZA")
    site = SiteFactory(parent=provider)
    other_site = SiteFactory(parent=ProviderFactory(parent=provider.parent))
    return {
        "oak": WardFactory(site=site, code="OAK", name="Oak Ward"),
        "elm": WardFactory(site=site, code="ELM", name="Elm Ward"),
        "ash": WardFactory(site=other_site, code="ASH", name="Ash Ward"),
    }


@pytest.fixture
def people(wards):
    def member(role, **where):
        return MembershipFactory(role=role, **where).user

    return {
        "manager": member("ward_manager", ward=wards["oak"]),
        "nurse": member("ward_staff", ward=wards["oak"]),
        "rep": member("patient_representative", ward=wards["oak"]),
        "elm_nurse": member("ward_staff", ward=wards["elm"]),
        "qi_lead": member("qi_lead", organisation=wards["oak"].provider),
        "network_lead": member("network_lead", organisation=wards["oak"].provider.parent),
    }


@pytest.fixture(autouse=True)
def quick_passwords(settings):
    # Argon2 takes a fifth of a second a user by design; these people never sign in.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

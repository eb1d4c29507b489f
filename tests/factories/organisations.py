import factory

from mhsip.organisations.models import Membership, Organisation, OrganisationKind, Ward, WardType


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = OrganisationKind.NETWORK
    code = factory.Sequence(lambda n: f"NET{n:03d}")
    name = factory.Sequence(lambda n: f"Patient Safety Collaborative {n}")
    parent = None


class ProviderFactory(NetworkFactory):
    kind = OrganisationKind.PROVIDER
    code = factory.Sequence(lambda n: f"R{n:02d}")
    name = factory.Sequence(lambda n: f"Riverside {n} NHS Foundation Trust")
    parent = factory.SubFactory(NetworkFactory)


class SiteFactory(NetworkFactory):
    kind = OrganisationKind.SITE
    code = factory.Sequence(lambda n: f"S{n:04d}")
    name = factory.Sequence(lambda n: f"Hospital {n}")
    parent = factory.SubFactory(ProviderFactory)


class WardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ward

    site = factory.SubFactory(SiteFactory)
    code = factory.Sequence(lambda n: f"W{n:05d}")
    name = factory.Sequence(lambda n: f"Willow Ward {n}")
    ward_type = WardType.ADULT_ACUTE
    beds = 18


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory("tests.factories.accounts.UserFactory")
    role = "ward_staff"
    ward = None
    organisation = None

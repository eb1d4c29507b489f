from datetime import timedelta

import factory
from django.utils import timezone

from mhsip.patients.models import Patient, WardStay
from mhsip.patients.pseudonyms import alias_for, local_id_hash


class PatientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Patient

    provider = factory.SubFactory("tests.factories.organisations.ProviderFactory")
    local_id_hash = factory.LazyAttributeSequence(
        lambda o, n: local_id_hash(o.provider.code, f"MRN{n:06d}")
    )
    alias = factory.LazyAttribute(lambda o: alias_for(o.local_id_hash))
    year_of_birth = 1990
    sex = "female"
    ethnicity = "A"


class WardStayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WardStay

    patient = factory.SubFactory(PatientFactory)
    ward = factory.SubFactory("tests.factories.organisations.WardFactory")
    started_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=30))
    ended_at = None

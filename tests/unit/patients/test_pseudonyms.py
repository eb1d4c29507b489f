from django.test import override_settings

from mhsip.patients.pseudonyms import alias_for, local_id_hash


def test_hash_is_keyed_normalised_and_per_provider():
    a = local_id_hash("RX4", "mrn 0012 34")
    assert a == local_id_hash("rx4", "MRN001234")
    assert a != local_id_hash("RX5", "MRN001234")
    with override_settings(PSEUDONYMISATION_KEY="another key"):
        assert local_id_hash("RX4", "MRN001234") != a
    assert "001234" not in a and len(a) == 64


def test_alias_is_stable_and_reveals_nothing():
    h = local_id_hash("RX4", "MRN001234")
    assert alias_for(h) == alias_for(h)
    assert "1234" not in alias_for(h)

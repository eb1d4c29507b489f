"""The pure core keeps its own copy of the MHSDS type groups (it cannot import the Django app
that defines them); this test is what keeps the two the same."""

from mhsip.incidents.codes import GROUP_OF
from mhsip.measures.compute import TYPE_GROUPS


def test_measures_type_groups_match_the_incident_codes():
    from_codes: dict[str, set[int]] = {}
    for code, group in GROUP_OF.items():
        from_codes.setdefault(group.value, set()).add(int(code.value))
    assert {group: set(codes) for group, codes in TYPE_GROUPS.items()} == from_codes

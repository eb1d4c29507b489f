"""No network page shows patient-level data or an unsuppressed small count, over generated
worlds: wards filled with random rates (some so low that their counts fall under 5), a case study
published, requests waiting, and every network page requested by every member role."""

import numpy as np
import pytest
from django.urls import reverse

from mhsip.network import services
from tests.factories.accounts import UserFactory
from tests.factories.network import finished_ramp, published_case_study
from tests.factories.world import build_world
from tests.factories.worlds import fill_ward
from tests.integration.network_leaks import assert_no_leaks, small_counts

pytestmark = pytest.mark.django_db

#: Members of the network in the world, and one outsider (whose pages are refused: 403/404).
VIEWERS = ["network_lead", "champion", "qi_lead", "ward_manager", "ward_staff_b",
           "patient_representative"]  # fmt: skip


def network_urls(world, case_study) -> list[str]:
    code = world.network.code
    urls = [reverse("network:index"), reverse("network:join", args=[code])]
    urls += [
        reverse(name, args=[code])
        for name in ("network:home", "network:members", "network:library",
                     "network:what-worked-where", "network:requests")
    ]  # fmt: skip
    urls += [reverse("network:case-study", args=[case_study.pk])]
    urls += [reverse("network:library", args=[code]) + "?q=soft&result=worked"]
    for measure in ("restrictive_interventions", "physical_restraint"):
        urls += [reverse("network:home", args=[code]) + f"?measure={measure}&unit=ward&peer=all"]
    return urls


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_no_network_page_leaks(client, seed):
    rng = np.random.default_rng(seed)
    world = build_world()
    for index, ward in enumerate(world.wards.values()):
        # Between a record every few months and a few a week: small counts are common.
        low, high = sorted(rng.uniform(0.1, 9.0, size=2))
        fill_ward(ward, months=24, beds=int(rng.integers(2, 12)), rates=(high, low),
                  step_at=int(rng.integers(6, 20)), seed=seed * 10 + index)  # fmt: skip
    ramp = finished_ramp(by=world.users["ward_manager"], ward=world.wards["A1"],
                         months_ago=int(rng.integers(3, 14)))  # fmt: skip
    case_study = published_case_study(
        author=world.users["ward_manager"], approver=world.users["qi_lead"], cycle=ramp
    )
    services.join_request_create(
        by=UserFactory(), network=world.network, kind="person", role="champion", message="Hi"
    )
    walked = 0
    for key in VIEWERS:
        client.force_login(world.users[key])
        for url in network_urls(world, case_study):
            response = client.get(url)
            assert response.status_code in {200, 403}, (key, url, response.status_code)
            assert_no_leaks(response.content.decode(), world)
            walked += response.status_code == 200
    assert walked > len(VIEWERS) * 5


def test_small_counts_finds_an_unsuppressed_count_in_a_chart_spec():
    # The check itself must be able to fail: a spec with a raw count of 3 is caught.
    page = '<script id="s" type="application/json">{"data": [{"numerator": 3}, {"numerator": 10}]}</script>'
    assert small_counts(page) == [("json#0.data[0].numerator", 3.0)]
    assert small_counts('<td data-count="12.0">10</td>') == [("data-count", 12.0)]
    assert small_counts('<td data-count="suppressed">–</td><td data-count="15.0">15</td>') == []

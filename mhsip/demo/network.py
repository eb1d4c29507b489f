"""The demo network's life: case studies of the demo wards' finished PDSA ramps (published,
waiting for approval and in draft) and requests to join, some decided and some waiting.

Called by `mhsip.demo.load.load_region` inside its transaction, after the region and its
improvement work are written. Everything goes through `mhsip.network.services`, so the case
studies are checked for identifying text and audited like any others.
"""

from __future__ import annotations

from collections.abc import Callable

from mhsip.improvement.models import PdsaCycle
from mhsip.improvement.queries import Ramp, ramps
from mhsip.network import services
from mhsip.network.models import JoinKind
from mhsip.network.queries import ramp_finished
from mhsip.organisations.models import Organisation, OrganisationKind
from mhsip.organisations.services import organisation_create

#: A neighbouring network, with a provider that asks to join the demo network.
NEIGHBOUR_NETWORK = ("ZZNE", "Eastmoor Patient Safety Collaborative")
NEIGHBOUR_PROVIDER = ("ZZD", "Fernbank Community Healthcare")


def _writer_for(ramp: Ramp, users: dict) -> object | None:
    """Kestrel's manager writes Kestrel's stories; the QI lead those of the trust's other wards."""
    ward = ramp.change.project.ward
    if ward.code.endswith("KESTREL"):
        return users.get("manager")
    if ward.provider.code == "ZZA":
        return users.get("qilead")
    return None


def load_network_demo(
    *, users: dict, network_code: str = "ZZNC", report: Callable[[str], None] | None = None
) -> dict[str, int]:
    """Write the demo network's case studies and join requests. `users` maps the demo usernames
    to their users (as `load_region` has them). Returns counts by kind."""
    say = report or (lambda _message: None)
    network = Organisation.objects.filter(code=network_code, kind=OrganisationKind.NETWORK).first()
    counts = {"published": 0, "submitted": 0, "drafts": 0, "requests": 0}
    if network is None:
        return counts
    counts.update(_case_studies(network, users))
    counts["requests"] = _join_requests(network, users)
    say(
        f"Network: {counts['published']} case studies published, {counts['submitted']} waiting "
        f"for approval, {counts['drafts']} drafts; {counts['requests']} requests to join"
    )
    return counts


def _case_studies(network: Organisation, users: dict) -> dict[str, int]:
    counts = {"published": 0, "submitted": 0, "drafts": 0}
    approver = users.get("responsible")
    cycles = list(
        PdsaCycle.objects.filter(project__ward__site__parent__parent=network).select_related(
            "project__ward__site__parent", "change__change_idea"
        )
    )
    finished = [ramp for ramp in ramps(cycles) if ramp_finished(ramp)]
    for index, ramp in enumerate(finished):
        writer = _writer_for(ramp, users)
        if writer is None:
            continue
        case_study = services.case_study_start(by=writer, cycle=ramp.latest)
        # The first two are published, the next waits for the provider, the rest are drafts.
        wanted = "published" if index < 2 else "submitted" if index == 2 else "drafts"
        try:
            if wanted != "drafts":
                services.case_study_submit(by=writer, case_study=case_study)
            if wanted == "published" and approver is not None:
                services.case_study_approve(by=approver, case_study=case_study)
        except services.IdentifyingText:
            wanted = "drafts"  # the demo's own words tripped the check: leave it with the team
        counts[wanted] += 1
    return counts


def _join_requests(network: Organisation, users: dict) -> int:
    made = 0
    lead, admin = users.get("networklead"), users.get("admin")
    if users.get("nurse2") is not None:
        services.join_request_create(
            by=users["nurse2"],
            network=network,
            kind=JoinKind.PERSON,
            role="champion",
            message="Curlew has just finished its first year. I'd like to keep an eye on "
            "restrictive practice across the region and share what we learnt.",
        )
        made += 1
    if users.get("patientrep") is not None and lead is not None:
        request = services.join_request_create(
            by=users["patientrep"],
            network=network,
            kind=JoinKind.PERSON,
            role="patient_representative",
            message="I sit on Kestrel's project team and would like to bring a patient's view "
            "to the network's learning days.",
        )
        services.join_request_decide(
            by=lead, request=request, approve=True, note="Welcome: the next learning day is in May."
        )
        made += 1
    if admin is not None and not Organisation.objects.filter(code=NEIGHBOUR_PROVIDER[0]).exists():
        neighbour = organisation_create(
            by=admin, kind="network", code=NEIGHBOUR_NETWORK[0], name=NEIGHBOUR_NETWORK[1]
        )
        provider = organisation_create(
            by=admin,
            kind="provider",
            code=NEIGHBOUR_PROVIDER[0],
            name=NEIGHBOUR_PROVIDER[1],
            parent=neighbour,
        )
        services.join_request_create(
            by=admin,
            network=network,
            kind=JoinKind.ORGANISATION,
            organisation=provider,
            message="Fernbank's two wards would like to join the programme in this region, "
            "where our patients come from.",
        )
        made += 1
    return made

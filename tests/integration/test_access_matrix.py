"""Every URL in the project, requested by every role and by someone signed out: nothing leaks.

The walk reads the URL configuration (`get_resolver().url_patterns`, recursively), so a page
added later is requested here without anyone remembering to add it. URL parameters are filled
from the world by their names (`PARAMETERS`), or, for a name not listed, by their converter
(an int gets every primary key in the world, a str every code and reference); a test below
fails if a pattern cannot be filled, so a new kind of parameter gets noticed.

What counts as a leak is decided here, independently of mhsip.authorization: `VISIBLE_WARDS`
says, for each person, whose patient-level data they may see. Every other ward's record
reference (UOF-…), the record's free text, its patient's alias, local identifier and the
identifier's keyed hash must appear in no response to them, in the body or in a redirect.

Only GET is walked: a POST would change the world mid-walk, and every page that shows anything
shows it on GET.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RoutePattern

from mhsip.reports.pdf import pdf_available
from tests.factories.world import build_world

pytestmark = pytest.mark.django_db

PDF_AVAILABLE = pdf_available()

#: URL prefixes not walked, and why.
SKIPPED_PREFIXES = {
    "admin/": "Django's admin has its own sign-in (staff accounts only) and is not a page of "
    "mhsip; it is for system administrators, who have no patient data permission anyway",
    "static/": "static files (CSS, JavaScript, images) hold no data",
    "media/": "uploaded files are not served by Django",
    "api/v1/": "the JSON API takes no session, only a Bearer token (401 without one); its "
    "permission matrix is walked with tokens in tests/integration/test_api.py",
}

#: Pages a signed-out person may open (anything else must send them to sign in).
PUBLIC = {
    "web:home": "the front page says what mhsip is",
    "web:health": "load balancers probe it; it reports only whether the database answers",
    "login": "the sign-in page",
    "logout": "sign-out accepts only POST; a GET is refused (405) and shows nothing",
    "improvement:share-idea": "a ward's share-an-idea page, for patients and visitors without an "
    "account; reached only through its unguessable link, it shows nothing already posted",
}

#: Whose patient-level data each person may see (ward keys of the world); everyone else none.
VISIBLE_WARDS = {
    "ward_staff": {"A1"},
    "ward_manager": {"A1"},
    "qi_lead": {"A1", "A2"},
    "responsible_person": {"A1", "A2"},
    "ward_staff_a2": {"A2"},
    "ward_staff_b": {"B1"},
    "network_lead": set(),
    "champion": set(),
    "patient_representative": set(),
    "system_admin": set(),
    None: set(),  # signed out
}
PATIENT_DATA_ROLES = ["ward_staff", "ward_manager", "qi_lead", "responsible_person", "ward_staff_b"]


@dataclass(frozen=True)
class Route:
    name: str  # namespaced URL name, or the route itself for an unnamed pattern
    route: str  # e.g. "wards/<str:code>/records/<int:pk>/"
    converters: dict[str, str]  # parameter name -> converter class name
    regex: bool = False  # re_path(): the walk cannot fill its groups


def walk_routes(patterns=None, prefix: str = "", namespace: str = "") -> list[Route]:
    """Every URL pattern in the project, with its full route and parameters."""
    routes = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        part = str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            routes += walk_routes(pattern.url_patterns, prefix + part, inner)
        elif isinstance(pattern, URLPattern):
            converters = {}
            regex = not isinstance(pattern.pattern, RoutePattern)
            if not regex:
                converters = {
                    name: type(converter).__name__
                    for name, converter in pattern.pattern.converters.items()
                }
            name = f"{namespace}{pattern.name}" if pattern.name else prefix + part
            routes.append(Route(name, prefix + part, converters, regex))
    return routes


def parameter_values(world) -> dict[str, list]:
    """URL parameter name -> the values to try, from the world."""
    ward_codes = [ward.code for ward in world.wards.values()]
    site_codes = sorted({ward.site.code for ward in world.wards.values()})
    organisation_codes = [world.network.code, *(p.code for p in world.providers.values())]
    organisation_codes += site_codes
    record_pks = [record.pk for record in world.records.values()]
    patient_pks = [patient.pk for patient in world.patients.values()]
    ward_pks = [ward.pk for ward in world.wards.values()]
    all_pks = sorted({*record_pks, *patient_pks, *ward_pks})
    return {
        "code": ward_codes + organisation_codes,
        "ward_code": ward_codes,
        "ward": ward_codes,
        "provider_code": [p.code for p in world.providers.values()],
        "organisation_code": organisation_codes,
        "org_code": organisation_codes,
        "network_code": [world.network.code],
        "pk": all_pks,
        "id": all_pks,
        "record_pk": record_pks,
        "record_id": record_pks,
        "record": record_pks,
        "patient_pk": patient_pks,
        "patient_id": patient_pks,
        "patient": patient_pks,
        "ward_pk": ward_pks,
        "ward_id": ward_pks,
        "reference": [record.reference for record in world.records.values()],
        "number": [1, 2],
        "version": [1, 2],
        "username": list(world.users),
        "year": [2026],
        "month": [1],
        # Dashboards: every level of the organisation tree, and two measures (a count and a
        # rate): each measure page is drawn the same way, so two show whether any leaks.
        "level": ["ward", "site", "provider", "network"],
        "measure": measure_keys()[:2],
        # Improvement: the share-an-idea link's token (a wrong one is simply 404).
        "token": [token for token in world.share_tokens.values() if token] + ["not-a-token"],
    }


def measure_keys() -> list[str]:
    try:
        from mhsip.measures.catalogue import load_catalogue
    except ImportError:  # pragma: no cover - the measures catalogue moved
        return ["restrictive_interventions"]
    return list(load_catalogue())


def guessed_values(world, converter: str) -> list | None:
    """Values for a parameter whose name is not in PARAMETERS, by the kind of value it takes."""
    values = parameter_values(world)
    if converter == "IntConverter":
        return values["pk"]
    if converter in {"StringConverter", "SlugConverter"}:
        return values["code"]
    return None


def fill(route: Route, world) -> list[str] | None:
    """Every URL for this route with its parameters filled from the world (None: cannot)."""
    if route.regex:
        plain = route.route.lstrip("^").rstrip("$")
        return None if re.search(r"[()\[\]*+?\\]", plain) else ["/" + plain]
    known = parameter_values(world)
    choices = []
    for name, converter in route.converters.items():
        values = known.get(name) or guessed_values(world, converter)
        if values is None:
            return None
        choices.append([(name, value) for value in values])
    urls = []
    for combination in itertools.product(*choices):
        path = route.route
        for name, value in combination:
            path = re.sub(rf"<(?:\w+:)?{name}>", str(value), path)
        urls.append("/" + path)
    return urls


def walked_urls(world) -> list[tuple[Route, str]]:
    return [
        (route, url)
        for route in walk_routes()
        if not route.route.startswith(tuple(SKIPPED_PREFIXES))
        for url in fill(route, world) or []
    ]


def fetch(client: Client, url: str) -> tuple[int, str, str]:
    """(status, body, redirect location) of a GET, without raising the view's exceptions."""
    response = client.get(url)
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content).decode(errors="replace")
    else:
        body = response.content.decode(errors="replace")
    error = ""
    if response.status_code >= 500 and getattr(response, "exc_info", None):
        error = repr(response.exc_info[1])
    return response.status_code, body + "\n" + response.get("Location", ""), error


def client_for(world, who: str | None) -> Client:
    client = Client(raise_request_exception=False)
    if who is not None:
        client.force_login(world.users[who])
    return client


def problems_for(world, who: str | None, client: Client) -> list[tuple[str, str, int, str]]:
    """(person, url, status, what went wrong) for every walked URL."""
    forbidden = {
        (ward_key, what): text
        for ward_key in world.wards
        if ward_key not in VISIBLE_WARDS[who]
        for what, text in world.leak_markers(ward_key).items()
    }
    login_url = reverse("login")
    problems = []
    for route, url in walked_urls(world):
        status, text, error = fetch(client, url)
        # A page may repeat the address it was asked for (a sign-in link's ?next=): that is
        # not a leak, whatever the address holds.
        for echo in {url, quote(url), quote(url, safe="")}:
            text = text.replace(echo, "")
        person = who or "signed out"
        # 503 is the one honest server answer: a PDF on a machine without Pango ("cannot be made
        # on this server"); anything else from 500 up is an error.
        if status >= 500 and not (status == 503 and not PDF_AVAILABLE):
            problems.append((person, url, status, f"server error {error}"))
        if who is None and route.name not in PUBLIC:
            location = text.rsplit("\n", 1)[-1]
            if not (status == 302 and location.startswith(login_url)):
                problems.append((person, url, status, "signed out, but not sent to sign in"))
        for (ward_key, what), marker in forbidden.items():
            if marker in text:
                problems.append((person, url, status, f"shows {what} of ward {ward_key}"))
    return problems


def table(problems) -> str:
    rows = [("person", "url", "status", "problem"), *problems]
    widths = [max(len(str(row[i])) for row in rows) for i in range(4)]
    lines = [" | ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return "\n" + "\n".join(lines)


@pytest.fixture
def world(settings):
    # Argon2 takes a fifth of a second a user by design; these people sign in with force_login.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_world()


def test_every_url_pattern_can_be_filled(world):
    routes = [r for r in walk_routes() if not r.route.startswith(tuple(SKIPPED_PREFIXES))]
    unfilled = [r.route for r in routes if fill(r, world) is None]

    assert unfilled == [], (
        "add these parameters to parameter_values(), or use path() rather than re_path(): "
        + ", ".join(unfilled)
    )


def test_the_walk_reaches_the_pages_that_matter(world):
    names = {route.name for route, _ in walked_urls(world)}

    assert {
        "web:home",
        "login",
        "auditing:audit-log",
        "auditing:audit-log-download",
        "authorization:access-matrix",
        "authorization:my-access",
        "variation:funnel",
        "variation:inequalities",
    } <= names


def test_public_pages_exist(world):
    names = {route.name for route, _ in walked_urls(world)}

    assert set(PUBLIC) <= names


@pytest.mark.parametrize("who", [None, *(key for key in VISIBLE_WARDS if key)])
def test_no_page_leaks_patient_data_or_fails(world, who):
    problems = problems_for(world, who, client_for(world, who))

    assert problems == [], table(problems)


@pytest.mark.parametrize("who", PATIENT_DATA_ROLES)
def test_with_second_factor_required_nothing_shows_before_a_code_is_given(world, who, settings):
    settings.MHSIP_REQUIRE_2FA_FOR_PATIENT_DATA = True
    # Signed in with a password only: no patient data anywhere until they give a code.
    original, VISIBLE_WARDS[who] = VISIBLE_WARDS[who], set()
    try:
        problems = problems_for(world, who, client_for(world, who))
    finally:
        VISIBLE_WARDS[who] = original

    assert problems == [], table(problems)

"""The demo generator, without the database: determinism, realism, and valid records."""

from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta

import pytest

from mhsip.authorization.roles import ROLES
from mhsip.demo.generate import (
    DEMO_USERS,
    TYPE_PROFILES,
    WARDS,
    Region,
    expected_interventions,
    generate_region,
)
from mhsip.incidents.codes import GROUP_OF, InterventionGroup, InterventionType, Reason
from mhsip.incidents.services import RECORD_FIELDS
from mhsip.incidents.validation import check_record
from mhsip.organisations.models import SecurityLevel, WardType
from mhsip.patients.characteristics import ETHNIC_GROUP, LegalStatus

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
BLACK, MIXED, WHITE = "Black or Black British", "Mixed", "White"


@pytest.fixture(scope="module")
def region() -> Region:
    # One year keeps the suite quick; the command's default is three.
    return generate_region(now=NOW, seed=11, years=1)


@pytest.fixture(scope="module")
def regions(region) -> list[Region]:
    """Several one-year regions: the ethnic gap is a property of the generator, not of one
    seed, and one small region has few Black or mixed-ethnicity patients on its busiest wards."""
    return [region] + [generate_region(now=NOW, seed=seed, years=1) for seed in (1, 2, 3)]


def bed_days(region: Region, key) -> Counter:
    """Occupied bed days in the window by key(stay)."""
    days = Counter()
    for stay in region.stays:
        start, end = max(stay.started_at, region.start), stay.ended_at or region.now
        if end > start:
            days[key(stay)] += (end - start).total_seconds() / 86400
    return days


def interventions(region: Region, key) -> Counter:
    counts = Counter()
    for record in region.records:
        counts[key(record)] += len(record.interventions)
    return counts


def rates(region: Region, stay_key, record_key) -> dict:
    days, counts = bed_days(region, stay_key), interventions(region, record_key)
    return {k: 1000 * counts[k] / days[k] for k in days if days[k]}


def test_same_seed_gives_the_same_region():
    first = generate_region(now=NOW, seed=5, years=0.25)
    second = generate_region(now=NOW, seed=5, years=0.25)
    assert first == second
    assert first.records and first.patients


def test_another_seed_gives_another_region():
    first = generate_region(now=NOW, seed=5, years=0.25)
    other = generate_region(now=NOW, seed=6, years=0.25)
    assert first.records != other.records


def test_now_must_be_timezone_aware():
    with pytest.raises(ValueError, match="timezone-aware"):
        generate_region(now=datetime(2026, 5, 1), years=1)


def test_region_is_one_network_three_providers_and_about_twelve_wards(region):
    kinds = Counter(o.kind for o in region.organisations)
    assert kinds["network"] == 1 and kinds["provider"] == 3
    assert region.organisations[0].name == "North Coast Patient Safety Collaborative"
    providers = [o.code for o in region.organisations if o.kind == "provider"]
    # Made-up codes: real ODS trust codes start R or T, independent providers N or 8.
    assert all(code.startswith("ZZ") for code in providers)
    assert all(w.code.startswith("ZZ") for w in region.wards)
    assert 10 <= len(region.wards) <= 14
    assert len({w.ward_type for w in region.wards}) >= 9
    assert {w.ward_type for w in region.wards} <= set(WardType.values)
    assert {w.security_level for w in region.wards} <= set(SecurityLevel.values)
    for provider in providers:
        sites = [o for o in region.organisations if o.parent_code == provider]
        assert 1 <= len(sites) <= 2


def test_every_role_has_a_demo_login():
    logins = [u for u in DEMO_USERS if u.can_sign_in]
    assert {u.role for u in logins} == set(ROLES)
    names = {u.username for u in logins}
    assert {"nurse", "manager", "qilead", "responsible", "networklead", "champion"} <= names
    assert {"patientrep", "admin", "nurse2"} <= names
    by_name = {u.username: u for u in logins}
    assert by_name["admin"].is_admin and not by_name["nurse"].is_admin
    provider_of = {w.code: w.code[:3] for w in WARDS}
    assert provider_of[by_name["nurse"].ward_code] == "ZZA"
    assert provider_of[by_name["nurse2"].ward_code] == "ZZB"


def test_every_record_has_an_author_who_works_on_its_ward(region):
    wards_of = defaultdict(set)
    for user in region.users:
        if user.role in {"ward_staff", "ward_manager"}:
            wards_of[user.username].add(user.ward_code)
    for record in region.records:
        assert record.ward_code in wards_of[record.recorded_by]


def test_wards_are_85_to_95_percent_full(region):
    days = bed_days(region, lambda s: s.ward_code)
    window = (region.now - region.start).total_seconds() / 86400
    for ward in region.wards:
        occupancy = days[ward.code] / (ward.beds * window)
        # A year is short for wards whose stays last a year; allow for it.
        assert 0.7 <= occupancy <= 1.0, (ward.name, occupancy)


def test_no_ward_is_ever_over_full(region):
    beds = {w.code: w.beds for w in region.wards}
    for days_ago in range(0, 360, 7):
        moment = region.now - timedelta(days=days_ago, hours=5)
        present = Counter(
            s.ward_code
            for s in region.stays
            if s.started_at <= moment and (s.ended_at is None or s.ended_at > moment)
        )
        assert all(present[code] <= beds[code] for code in present)


def test_a_patient_is_on_one_ward_at_a_time(region):
    stays = defaultdict(list)
    for stay in region.stays:
        stays[stay.patient_key].append(stay)
    for patient_stays in stays.values():
        patient_stays.sort(key=lambda s: s.started_at)
        for earlier, later in zip(patient_stays, patient_stays[1:], strict=False):
            assert earlier.ended_at is not None and earlier.ended_at <= later.started_at


def test_transfers_stay_inside_the_provider(region):
    reasons = Counter(s.end_reason for s in region.stays)
    assert reasons["transfer"] > 0 and reasons["discharge"] > reasons["transfer"]
    provider = {p.key: p.provider_code for p in region.patients}
    assert all(region.provider_of(s.ward_code) == provider[s.patient_key] for s in region.stays)


def test_lengths_of_stay_follow_ward_type(region):
    lengths = defaultdict(list)
    for stay in region.stays:
        if stay.ended_at and stay.started_at >= region.start and stay.end_reason == "discharge":
            lengths[region.ward(stay.ward_code).ward_type].append(
                (stay.ended_at - stay.started_at).days
            )
    median = {t: sorted(v)[len(v) // 2] for t, v in lengths.items() if len(v) >= 5}
    assert median["picu"] < median["adult_acute"] < median["older_adult"]
    assert 18 <= median["adult_acute"] <= 40


def test_rates_follow_ward_type(region):
    ward_type = {w.code: w.ward_type for w in region.wards}
    rate = rates(region, lambda s: ward_type[s.ward_code], lambda r: ward_type[r.ward_code])
    high = [rate[t] for t in ("picu", "learning_disability", "autism", "camhs_tier4")]
    middle = [rate[t] for t in ("adult_acute", "forensic_low", "forensic_medium")]
    assert min(high) > max(middle + [rate["eating_disorder"]])
    assert rate["adult_acute"] > rate["older_adult"] > rate["rehabilitation"]
    for kind, value in rate.items():
        low, high_end = TYPE_PROFILES[kind].rate_range
        assert 0.5 * low <= value <= 1.5 * high_end, (kind, value)


def test_black_patients_face_about_three_times_the_rate_of_white_patients(regions):
    days, counts = Counter(), Counter()
    for region in regions:
        group = {p.key: ETHNIC_GROUP[p.ethnicity] for p in region.patients}
        days += bed_days(region, lambda s, group=group: group[s.patient_key])
        counts += interventions(region, lambda r, group=group: group[r.patient_key])
    rate = {g: counts[g] / days[g] for g in days}
    assert 2.4 <= rate[BLACK] / rate[WHITE] <= 3.6
    assert 1.4 <= rate[MIXED] / rate[WHITE] <= 2.7


def test_ethnicity_is_roughly_that_of_inpatients_in_england(region):
    groups = Counter(ETHNIC_GROUP[p.ethnicity] for p in region.patients)
    share = {g: n / len(region.patients) for g, n in groups.items()}
    assert 0.68 <= share[WHITE] <= 0.82
    assert 0.07 <= share[BLACK] <= 0.13
    assert 0.02 <= share[MIXED] <= 0.06


def test_characteristics_fit_the_ward(region):
    first_ward = {}
    for stay in sorted(region.stays, key=lambda s: s.started_at):
        first_ward.setdefault(stay.patient_key, region.ward(stay.ward_code).ward_type)
    by_type = defaultdict(list)
    for patient in region.patients:
        by_type[first_ward[patient.key]].append(patient)
    assert all(p.date_of_birth.year >= NOW.year - 19 for p in by_type["camhs_tier4"])
    assert all(p.date_of_birth.year <= NOW.year - 64 for p in by_type["older_adult"])
    ld = by_type["learning_disability"]
    assert sum(p.learning_disability == "yes" for p in ld) / len(ld) > 0.8
    acute = by_type["adult_acute"]
    assert sum(p.learning_disability == "yes" for p in acute) / len(acute) < 0.1
    assert sum(p.autism == "yes" for p in by_type["autism"]) / len(by_type["autism"]) > 0.8
    detained = sum(p.legal_status not in {"informal", "not_known"} for p in region.patients)
    assert detained / len(region.patients) > 0.7
    for patient in region.patients:
        assert patient.legal_status in LegalStatus.values


def test_local_identifiers_are_unique_in_each_provider(region):
    ids = [(p.provider_code, p.local_id) for p in region.patients]
    assert len(set(ids)) == len(ids)


def test_a_few_patients_account_for_many_interventions(region):
    per_patient = sorted(interventions(region, lambda r: r.patient_key).values(), reverse=True)
    top = per_patient[: len(region.patients) // 20]
    assert sum(top) / sum(per_patient) > 0.35


def test_wards_that_join_the_programme_improve(regions):
    # Each joining ward's rate once the changes have bedded in, against what its own rate
    # before joining would have given on the same bed days (so wards weigh fairly).
    observed = expected = 0.0
    for region in regions:
        joined = [s for s in region.stories if s.joined_programme_on]
        assert len(joined) >= len(region.wards) // 3
        for story in joined:
            settled = story.joined_programme_on + timedelta(days=92)

            def period(day, story=story, settled=settled):
                if day < story.joined_programme_on:
                    return "before"
                return "after" if day >= settled else "ramp"

            counts = Counter(
                period(r.fields["started_at"].date())
                for r in region.records
                if r.ward_code == story.ward_code
                for _ in r.interventions
            )
            days = bed_days_by_period(region, story.ward_code, period)
            observed += counts["after"]
            expected += days["after"] * counts["before"] / days["before"]
    assert 0.5 <= observed / expected <= 0.85


def bed_days_by_period(region: Region, ward_code: str, period) -> Counter:
    days = Counter()
    for stay in region.stays:
        if stay.ward_code == ward_code:
            day = max(stay.started_at, region.start).date()
            end = (stay.ended_at or region.now).date()
            while day < end:
                days[period(day)] += 1
                day += timedelta(days=1)
    return days


def test_under_reporting_wards_have_a_near_empty_stretch(region):
    stretches = [s for s in region.stories if s.under_reporting]
    assert stretches
    for story in stretches:
        first, last = story.under_reporting
        inside = [
            r
            for r in region.records
            if r.ward_code == story.ward_code
            and first <= r.fields["started_at"].date().replace(day=1) <= last
        ]
        total = sum(r.ward_code == story.ward_code for r in region.records)
        assert len(inside) <= max(2, total // 40)


def test_interventions_per_incident_match_what_rates_assume(regions):
    records, counts = Counter(), Counter()
    for region in regions:
        ward_type = {w.code: w.ward_type for w in region.wards}
        for record in region.records:
            records[ward_type[record.ward_code]] += 1
            counts[ward_type[record.ward_code]] += len(record.interventions)
    for kind, n in records.items():
        if n >= 300:
            mean = counts[kind] / n
            assert mean == pytest.approx(expected_interventions(TYPE_PROFILES[kind]), rel=0.1)


def test_intervention_mix_is_realistic(region):
    types = Counter(i.type_code for r in region.records for i in r.interventions)
    physical = sum(n for t, n in types.items() if GROUP_OF[t] == InterventionGroup.PHYSICAL)
    assert 0.06 <= types[InterventionType.PRONE] / physical <= 0.14
    rt = sum(
        any(i.type_code == InterventionType.RAPID_TRANQUILLISATION for i in r.interventions)
        for r in region.records
    )
    assert 0.1 <= rt / len(region.records) <= 0.2
    assert types[InterventionType.SECLUSION] > types[InterventionType.SEGREGATION]
    assert types[InterventionType.MECHANICAL] < len(region.records) / 100
    assert all(1 <= len(r.interventions) <= 3 for r in region.records)
    reasons = Counter(r.fields["reason"] for r in region.records)
    assert reasons.most_common(1)[0][0] == Reason.VIOLENCE_TO_OTHERS


def test_durations_are_realistic(region):
    def minutes(kinds):
        values = sorted(
            (i.ended_at - i.started_at).total_seconds() / 60
            for r in region.records
            if r.fields["reason"] != Reason.NASOGASTRIC_FEEDING
            for i in r.interventions
            if i.type_code in kinds
        )
        return values[len(values) // 2]

    holds = {InterventionType.SUPINE, InterventionType.SEATED, InterventionType.SIDE}
    assert 5 <= minutes(holds) <= 12
    assert 4 * 60 <= minutes({InterventionType.SECLUSION}) <= 9 * 60


def test_every_record_passes_the_recording_checks(region):
    stays = defaultdict(list)
    for stay in region.stays:
        stays[(stay.patient_key, stay.ward_code)].append(stay)
    for record in region.records:
        start, end = record.fields["started_at"], record.fields["ended_at"]
        covering = [
            s
            for s in stays[(record.patient_key, record.ward_code)]
            if s.started_at <= start and (s.ended_at is None or end <= s.ended_at)
        ]
        problems = check_record(
            record.fields,
            [vars(i) for i in record.interventions],
            [vars(s) for s in record.staff],
            completing=record.status == "complete",
            has_stay=bool(covering),
            possible_duplicate=None,
        )
        assert problems == [], (record, problems)
        assert covering, record
        assert set(record.fields) <= set(RECORD_FIELDS)
        assert region.start <= start <= end <= region.now
        assert end <= record.created_at <= region.now
        assert 2 <= len(record.staff) <= 4


def test_no_patient_has_two_incidents_at_once_or_within_the_duplicate_window(region):
    by_patient = defaultdict(list)
    for record in region.records:
        by_patient[record.patient_key].append(record)
    for records in by_patient.values():
        records.sort(key=lambda r: r.fields["started_at"])
        for earlier, later in zip(records, records[1:], strict=False):
            assert later.fields["started_at"] >= earlier.fields["ended_at"] + timedelta(minutes=30)


def test_drafts_are_recent_and_most_records_are_complete(region):
    drafts = [r for r in region.records if r.status == "draft"]
    assert drafts
    assert all(r.fields["started_at"] >= region.now - timedelta(days=14) for r in drafts)
    assert all(r.completed_at is None for r in drafts)
    assert len(drafts) < len(region.records) / 20


def test_post_incident_reviews_are_offered_about_four_times_in_five(region):
    complete = [r for r in region.records if r.status == "complete"]
    offered = sum(r.fields["review_offered"] == "yes" for r in complete) / len(complete)
    assert 0.75 <= offered <= 0.85

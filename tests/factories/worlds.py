"""Small, realistic worlds for dashboard and measure tests: wards with stays and months of
use-of-force records, made in bulk."""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
from django.utils import timezone

from mhsip.incidents.models import Intervention, UseOfForceRecord
from tests.factories.accounts import UserFactory
from tests.factories.patients import PatientFactory, WardStayFactory


def months_back(count: int) -> list[datetime]:
    """The first instant of each of the last `count` complete months, oldest first."""
    today = timezone.localdate()
    first = today.replace(day=1)
    out = []
    for _ in range(count):
        first = (first - timedelta(days=1)).replace(day=1)
        out.append(timezone.make_aware(datetime(first.year, first.month, 1)))
    return out[::-1]


def fill_ward(
    ward, *, months: int = 30, beds: int = 10, rates=(12.0, 6.0), step_at: int = 18, seed: int = 1
) -> list[UseOfForceRecord]:
    """`beds` patients staying the whole time, and each month Poisson(rate) records with one
    seated restraint, the rate changing from rates[0] to rates[1] at month `step_at`."""
    rng = np.random.default_rng(seed)
    starts = months_back(months)
    begin = starts[0] - timedelta(days=5)
    patients = [PatientFactory(provider=ward.provider) for _ in range(beds)]
    for patient in patients:
        WardStayFactory(patient=patient, ward=ward, started_at=begin, ended_at=None)
    author = UserFactory()
    records, interventions = [], []
    for index, month_start in enumerate(starts):
        rate = rates[0] if index < step_at else rates[1]
        for _ in range(int(rng.poisson(rate))):
            when = month_start + timedelta(
                days=int(rng.integers(0, 27)), hours=int(rng.integers(0, 23))
            )
            records.append(
                UseOfForceRecord(
                    ward=ward,
                    patient=patients[int(rng.integers(0, beds))],
                    created_by=author,
                    status="complete",
                    started_at=when,
                    ended_at=when + timedelta(minutes=15),
                    review_offered="yes",
                    completed_at=when + timedelta(hours=2),
                )
            )
    UseOfForceRecord.objects.bulk_create(records)
    for record in UseOfForceRecord.objects.filter(ward=ward):
        interventions.append(
            Intervention(
                record=record,
                type_code="11",
                started_at=record.started_at,
                ended_at=record.started_at + timedelta(minutes=10),
            )
        )
    Intervention.objects.bulk_create(interventions)
    return records

"""A provider's annual statistics on the use of force, as the Mental Health Units (Use of Force)
Act 2018 asks them to be analysed: by type of force, by reason and by the patients' relevant
characteristics (s.13: the Equality Act's protected characteristics), suppressed for
publication with NHS Digital's rules (`mhsip.equity.suppression`; domain.md §1.7).

The tabulation (`tabulate`) works on plain `UseOfForceRow`s and needs no database;
`rows_for_provider` reads them.

Units, as NHS Digital counts them (domain.md §1.6): a *use of force* is one restrictive
intervention (an incident and a type: MHS515), an *incident* one use-of-force record (MHS505,
which holds the reason), and *people* distinct patients.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum

import numpy as np
from django.utils import timezone

from mhsip.equity.suppression import suppress_count
from mhsip.incidents.codes import GROUP_OF, InterventionGroup, InterventionType, Reason
from mhsip.patients.characteristics import (
    ETHNIC_GROUP,
    GenderIdentity,
    Religion,
    Sex,
    SexualOrientation,
    YesNoUnknown,
)

#: The first year offered: the Act came into force on 31 March 2022 (S.I. 2021/1372), so
#: 2021 is the last calendar year before it and 2022-23 its first financial year.
FIRST_YEAR = 2021
#: What a suppressed count shows, as in NHS Digital's published files.
SUPPRESSED = "*"
NOT_RECORDED = "Not recorded"


class YearBasis(StrEnum):
    FINANCIAL = "financial"  # April to March, as NHS statistics are published
    CALENDAR = "calendar"


@dataclass(frozen=True)
class StatisticsYear:
    basis: YearBasis
    start_year: int

    @property
    def first_day(self) -> date:
        return date(self.start_year, 4 if self.basis is YearBasis.FINANCIAL else 1, 1)

    @property
    def last_day(self) -> date:
        if self.basis is YearBasis.FINANCIAL:
            return date(self.start_year + 1, 3, 31)
        return date(self.start_year, 12, 31)

    @property
    def label(self) -> str:
        if self.basis is YearBasis.FINANCIAL:
            return f"{self.start_year}-{(self.start_year + 1) % 100:02d}"
        return str(self.start_year)

    @property
    def words(self) -> str:
        if self.basis is YearBasis.FINANCIAL:
            return f"1 April {self.start_year} to 31 March {self.start_year + 1}"
        return f"1 January to 31 December {self.start_year}"

    @classmethod
    def latest_complete(cls, basis: YearBasis, today: date) -> StatisticsYear:
        if basis is YearBasis.FINANCIAL:
            return cls(basis, today.year - 2 if today.month < 4 else today.year - 1)
        return cls(basis, today.year - 1)


@dataclass(frozen=True)
class UseOfForceRow:
    """One use of force (an intervention) with its incident, reason and patient."""

    record: int
    patient: int
    type_code: str
    reason: str
    on: date
    age: int | None
    sex: str
    gender_identity: str
    ethnicity: str
    religion: str
    sexual_orientation: str
    disability: str
    learning_disability: str
    autism: str


#: NHS Digital's age bands for the restrictive-intervention statistics (their "age group"
#: breakdown), by the patient's age on the day of the use of force.
AGE_BANDS = [
    (0, 17, "Under 18"),
    (18, 24, "18 to 24"),
    (25, 34, "25 to 34"),
    (35, 44, "35 to 44"),
    (45, 54, "45 to 54"),
    (55, 64, "55 to 64"),
    (65, 200, "65 and over"),
]


def age_group(age: int | None) -> str:
    if age is None:
        return "Not known"
    return next(label for low, high, label in AGE_BANDS if low <= age <= high)


@dataclass
class TableRow:
    label: str
    counts: tuple[int, ...]


@dataclass
class Table:
    """One breakdown: a row per category (every category listed, zeros too, so a reader can
    see what was asked), the columns' units, and the total."""

    key: str
    title: str
    columns: tuple[str, ...]
    rows: list[TableRow]
    total: tuple[int, ...]
    note: str = ""

    def shown(self, *, exact: bool) -> list[tuple[str, list[str]]]:
        """Rows then the total as text: exact, or suppressed for publication."""
        lines = [(row.label, row.counts) for row in self.rows] + [("Total", self.total)]
        return [(label, [shown_count(c, exact=exact) for c in counts]) for label, counts in lines]


def shown_count(count: int, *, exact: bool) -> str:
    if exact:
        return f"{count:,}"
    (published,) = suppress_count(np.array([count]))
    return SUPPRESSED if np.isnan(published) else f"{int(published):,}"


@dataclass
class AnnualStatistics:
    provider_name: str
    provider_code: str
    year: StatisticsYear
    tables: list[Table]
    uses_of_force: int
    incidents: int
    people: int
    not_recorded_characteristics: list[str] = field(default_factory=list)


#: The Equality Act's characteristics mhsip does not record for patients: the Act asks for
#: relevant characteristics "if known", and these never are here.
NOT_HELD = ["Marriage and civil partnership", "Pregnancy and maternity"]


def _labelled(choices) -> list[tuple[str, str]]:
    return [(value, label) for value, label in choices.choices]


def labels_of(choices) -> list[str]:
    """Every category of a code list, in its order: a table lists them all, zeros too."""
    return [label for _, label in choices.choices]


def _by_category(
    key: str,
    title: str,
    rows: list[UseOfForceRow],
    category_of: Callable[[UseOfForceRow], str],
    categories: Iterable[str],
    note: str = "",
) -> Table:
    """Uses of force and people in each category (a person counts once in each category they
    fall in: for age, a birthday in the year can put someone in two)."""
    labels = list(dict.fromkeys(categories))
    uses = dict.fromkeys(labels, 0)
    people: dict[str, set[int]] = {label: set() for label in labels}
    for row in rows:
        label = category_of(row)
        if label not in uses:
            uses[label], people[label] = 0, set()
            labels.append(label)
        uses[label] += 1
        people[label].add(row.patient)
    return Table(
        key=key,
        title=title,
        columns=("Uses of force", "People"),
        rows=[TableRow(label, (uses[label], len(people[label]))) for label in labels],
        total=(len(rows), len({row.patient for row in rows})),
        note=note,
    )


def tabulate(rows: list[UseOfForceRow]) -> list[Table]:
    type_labels = dict(_labelled(InterventionType))
    group_labels = dict(_labelled(InterventionGroup))
    reason_labels = dict(_labelled(Reason))

    def labelled(choices):
        mapping = dict(_labelled(choices))
        return lambda value: mapping.get(value, NOT_RECORDED)

    tables = [
        _by_category(
            "type",
            "Uses of force by type (MHSDS restrictive intervention type)",
            rows,
            lambda r: type_labels.get(r.type_code, NOT_RECORDED),
            type_labels.values(),
        ),
        _by_category(
            "kind",
            "Uses of force by kind of force (the Act, section 1)",
            rows,
            lambda r: group_labels[GROUP_OF[InterventionType(r.type_code)]],
            group_labels.values(),
        ),
        _reasons(rows, reason_labels),
        _by_category(
            "age",
            "Uses of force by age group",
            rows,
            lambda r: age_group(r.age),
            [label for _, _, label in AGE_BANDS] + ["Not known"],
            note="Age on the day of the use of force. A person whose birthday fell between two "
            "uses of force can count in two age groups.",
        ),
        _by_category(
            "sex", "Uses of force by sex", rows, lambda r: labelled(Sex)(r.sex), labels_of(Sex)
        ),
        _by_category(
            "gender_identity",
            "Uses of force by gender identity (gender reassignment)",
            rows,
            lambda r: labelled(GenderIdentity)(r.gender_identity),
            labels_of(GenderIdentity),
        ),
        _by_category(
            "ethnicity",
            "Uses of force by ethnic group",
            rows,
            lambda r: ETHNIC_GROUP.get(r.ethnicity, "Not known"),
            ETHNIC_GROUP.values(),
            note="NHS Digital's upper ethnic groups of the NHS Data Dictionary ethnic category.",
        ),
        _by_category(
            "religion",
            "Uses of force by religion or belief",
            rows,
            lambda r: labelled(Religion)(r.religion),
            labels_of(Religion),
        ),
        _by_category(
            "sexual_orientation",
            "Uses of force by sexual orientation",
            rows,
            lambda r: labelled(SexualOrientation)(r.sexual_orientation),
            labels_of(SexualOrientation),
        ),
        _by_category(
            "disability",
            "Uses of force by disability",
            rows,
            lambda r: labelled(YesNoUnknown)(r.disability),
            labels_of(YesNoUnknown),
        ),
        _by_category(
            "learning_disability",
            "Uses of force by learning disability (the Act, section 6(2)(l))",
            rows,
            lambda r: labelled(YesNoUnknown)(r.learning_disability),
            labels_of(YesNoUnknown),
        ),
        _by_category(
            "autism",
            "Uses of force by autism (the Act, section 6(2)(l))",
            rows,
            lambda r: labelled(YesNoUnknown)(r.autism),
            labels_of(YesNoUnknown),
        ),
    ]
    return tables


def _reasons(rows: list[UseOfForceRow], labels: dict[str, str]) -> Table:
    """The reason belongs to the incident (MHS505), so this table counts incidents as well as
    the uses of force in them."""
    order = [*labels.values(), NOT_RECORDED]
    incidents: dict[str, set[int]] = {label: set() for label in order}
    uses = dict.fromkeys(order, 0)
    for row in rows:
        label = labels.get(row.reason, NOT_RECORDED)
        incidents[label].add(row.record)
        uses[label] += 1
    return Table(
        key="reason",
        title="Incidents and uses of force by reason",
        columns=("Incidents", "Uses of force"),
        rows=[TableRow(label, (len(incidents[label]), uses[label])) for label in order],
        total=(len({row.record for row in rows}), len(rows)),
    )


def annual_statistics(provider, year: StatisticsYear) -> AnnualStatistics:
    rows = rows_for_provider(provider, year)
    return AnnualStatistics(
        provider_name=provider.name,
        provider_code=provider.code,
        year=year,
        tables=tabulate(rows),
        uses_of_force=len(rows),
        incidents=len({row.record for row in rows}),
        people=len({row.patient for row in rows}),
        not_recorded_characteristics=NOT_HELD,
    )


def rows_for_provider(provider, year: StatisticsYear) -> list[UseOfForceRow]:
    """Every intervention on the provider's wards that started in the year (its own start, or
    its incident's when it has none), in local time."""
    from django.db.models import Q

    from mhsip.dashboards.queries import Level, groups_for
    from mhsip.incidents.models import Intervention

    groups = groups_for(Level.PROVIDER, provider.code)
    wards = groups[0].ward_ids if groups else ()
    first = timezone.make_aware(datetime.combine(year.first_day, time()))
    after = timezone.make_aware(datetime.combine(year.last_day + timedelta(days=1), time()))
    interventions = (
        Intervention.objects.filter(record__ward__in=wards)
        .filter(
            Q(started_at__gte=first, started_at__lt=after)
            | Q(
                started_at__isnull=True, record__started_at__gte=first, record__started_at__lt=after
            )
        )
        .select_related("record__patient")
        .order_by("id")
    )
    rows = []
    for intervention in interventions:
        started = intervention.started_at or intervention.record.started_at
        if started is None:
            continue
        on = timezone.localtime(started).date()
        if not year.first_day <= on <= year.last_day:
            continue
        record, patient = intervention.record, intervention.record.patient
        rows.append(
            UseOfForceRow(
                record=record.pk,
                patient=patient.pk,
                type_code=intervention.type_code,
                reason=record.reason,
                on=on,
                age=patient.age_on(on),
                sex=patient.sex,
                gender_identity=patient.gender_identity,
                ethnicity=patient.ethnicity,
                religion=patient.religion,
                sexual_orientation=patient.sexual_orientation,
                disability=patient.disability,
                learning_disability=patient.learning_disability,
                autism=patient.autism,
            )
        )
    return rows

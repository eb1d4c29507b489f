"""The measure catalogue: declarative definitions, checked when they are loaded.

Definitions are TOML (read with the standard library), one `[[measure]]` table each, so a
team can read exactly what each number means and a QI lead can add a local measure without code.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from mhsip.spc import ChartType, ImprovementDirection

DEFINITIONS = Path(__file__).parent / "definitions"


class MeasureType(StrEnum):
    OUTCOME = "outcome"
    PROCESS = "process"
    BALANCING = "balancing"


#: What can be counted in a period, and whether the result is a count (can sum over wards).
NUMERATORS: dict[str, str] = {
    "interventions": "distinct (incident, type) pairs going on in the period",
    "incidents": "distinct incidents with an intervention going on in the period",
    "people_restrained": "distinct patients with an intervention going on in the period",
    "incidents_review_offered": "completed records started in the period with a review offered",
    "records_completed_within_24h": "records started in the period completed within 24 hours",
    "incidents_with_injury": "completed records started in the period with an injury",
    "physical_minutes_mean": "mean minutes of physical restraints that ended in the period",
    "physical_minutes_median": "median minutes of physical restraints that ended in the period",
    "physical_minutes_max": "maximum minutes of physical restraints that ended in the period",
    "seclusion_hours_mean": "mean hours of seclusions that ended in the period",
    "team_entered": "a value the team enters each period",
}
STATISTICS = {n for n in NUMERATORS if n.endswith(("_mean", "_median", "_max"))}
DENOMINATORS = {"bed_days", "people_in_hospital", "incidents", "records", "team_entered", "none"}
INTERVENTION_GROUPS = {"physical", "mechanical", "seclusion", "segregation", "chemical"}


class CatalogueError(ValueError):
    pass


@dataclass(frozen=True)
class Measure:
    id: str
    name: str
    definition: str
    type: MeasureType
    numerator: str
    denominator: str
    improvement: ImprovementDirection
    chart: ChartType
    multiplier: float = 1.0
    intervention_groups: tuple[str, ...] = ()
    intervention_types: tuple[str, ...] = ()
    measure_id: str | None = None
    ward_measure_id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def is_rate(self) -> bool:
        return self.denominator != "none"

    @property
    def is_team_entered(self) -> bool:
        return self.numerator == "team_entered"

    @property
    def is_statistic(self) -> bool:
        return self.numerator in STATISTICS

    @classmethod
    def from_dict(cls, data: dict[str, Any], where: str = "") -> Measure:
        at = f"{where}measure {data.get('id', '?')!r}"
        known = {f for f in cls.__dataclass_fields__ if f != "extra"}
        unknown = set(data) - known
        if unknown:
            raise CatalogueError(f"{at}: unknown field(s) {', '.join(sorted(unknown))}")
        for required in (
            "id",
            "name",
            "definition",
            "type",
            "numerator",
            "denominator",
            "improvement",
            "chart",
        ):
            if not data.get(required):
                raise CatalogueError(f"{at}: {required} is required")
        try:
            measure = cls(
                id=data["id"],
                name=data["name"],
                definition=data["definition"],
                type=MeasureType(data["type"]),
                numerator=data["numerator"],
                denominator=data["denominator"],
                improvement=ImprovementDirection(data["improvement"]),
                chart=ChartType(data["chart"]),
                multiplier=float(data.get("multiplier", 1)),
                intervention_groups=tuple(data.get("intervention_groups", ())),
                intervention_types=tuple(data.get("intervention_types", ())),
                measure_id=data.get("measure_id"),
                ward_measure_id=data.get("ward_measure_id"),
            )
        except ValueError as error:
            raise CatalogueError(f"{at}: {error}") from None
        measure.validate(at)
        return measure

    def validate(self, at: str) -> None:
        if self.numerator not in NUMERATORS:
            raise CatalogueError(
                f"{at}: numerator {self.numerator!r} is not one of {', '.join(sorted(NUMERATORS))}"
            )
        if self.denominator not in DENOMINATORS:
            raise CatalogueError(
                f"{at}: denominator {self.denominator!r} is not one of "
                f"{', '.join(sorted(DENOMINATORS))}"
            )
        if self.multiplier <= 0:
            raise CatalogueError(f"{at}: multiplier must be positive")
        bad = set(self.intervention_groups) - INTERVENTION_GROUPS
        if bad:
            raise CatalogueError(f"{at}: unknown intervention group(s) {', '.join(sorted(bad))}")
        if (
            self.intervention_groups or self.intervention_types
        ) and self.numerator != "interventions":
            raise CatalogueError(f"{at}: intervention filters apply to the interventions numerator")
        if self.is_statistic and self.denominator != "none":
            raise CatalogueError(f"{at}: a mean, median or maximum takes no denominator")
        if self.denominator == "team_entered" and self.numerator != "team_entered":
            raise CatalogueError(f"{at}: a team-entered denominator needs a team-entered numerator")
        if self.chart.needs_denominator and self.denominator == "none":
            raise CatalogueError(f"{at}: a {self.chart.value} chart needs a denominator")
        if self.chart in {ChartType.P, ChartType.PP} and self.denominator == "bed_days":
            raise CatalogueError(
                f"{at}: bed days are exposure, not a count of trials: use a u chart"
            )


def load_catalogue(paths: list[Path] | None = None) -> dict[str, Measure]:
    """Every measure from the definition files, checked; ids must be unique."""
    measures: dict[str, Measure] = {}
    for path in paths or sorted(DEFINITIONS.glob("*.toml")):
        try:
            document = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as error:
            raise CatalogueError(f"{path.name}: {error}") from None
        for data in document.get("measure", []):
            measure = Measure.from_dict(data, where=f"{path.name}: ")
            if measure.id in measures:
                raise CatalogueError(f"{path.name}: measure {measure.id!r} is defined twice")
            measures[measure.id] = measure
    return measures

"""Writes for the dashboards: a ward's aim and baseline."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from mhsip.auditing import services as audit
from mhsip.authorization.decorators import require_permission
from mhsip.authorization.permissions import Permission
from mhsip.dashboards.models import TeamEnteredValue, WardAim
from mhsip.measures import load_catalogue
from mhsip.organisations.models import Ward


def ward_aim_update(
    *,
    by,
    ward: Ward,
    baseline_start: date,
    baseline_end: date,
    reduction_percent: int,
    joined_programme_on: date | None = None,
    aim_by: date | None = None,
) -> WardAim:
    require_permission(by, Permission.AIM_MANAGE, ward=ward)
    baseline_start, baseline_end = baseline_start.replace(day=1), baseline_end.replace(day=1)
    if baseline_end < baseline_start:
        raise ValidationError({"baseline_end": "The baseline must end after it starts."})
    if not 1 <= reduction_percent <= 100:
        raise ValidationError({"reduction_percent": "Enter a reduction between 1% and 100%."})
    with transaction.atomic():
        aim, _ = WardAim.objects.update_or_create(
            ward=ward,
            defaults={
                "baseline_start": baseline_start,
                "baseline_end": baseline_end,
                "reduction_percent": reduction_percent,
                "joined_programme_on": joined_programme_on,
                "aim_by": aim_by,
                "updated_by": by,
            },
        )
        audit.record_event(
            by=by,
            action="ward_aim.update",
            target=aim,
            ward=ward,
            detail={
                "baseline": [baseline_start.isoformat(), baseline_end.isoformat()],
                "reduction_percent": reduction_percent,
            },
        )
    return aim


def team_values_enter(
    *, by, ward: Ward, month: date, values: dict[str, tuple[int | None, int | None]]
) -> list[TeamEnteredValue]:
    """Save a month's team-entered values: {measure id: (numerator, denominator)}.

    A measure left blank is not saved (missing, not zero); a value can be corrected by entering
    the month again. Everything is checked before anything is written.
    """
    require_permission(by, Permission.MEASURE_VALUES_ENTER, ward=ward)
    catalogue = load_catalogue()
    month = month.replace(day=1)
    errors: dict[str, str] = {}
    rows = []
    for measure_id, (numerator, denominator) in values.items():
        measure = catalogue.get(measure_id)
        if measure is None or not measure.is_team_entered:
            errors[measure_id] = f"{measure_id} is not a measure the team enters."
            continue
        if numerator is None and denominator is None:
            continue
        needs_denominator = measure.denominator == "team_entered"
        if numerator is None or (needs_denominator and denominator is None):
            errors[measure_id] = f"{measure.name}: enter both numbers, or neither."
        elif needs_denominator and numerator > denominator:
            errors[measure_id] = f"{measure.name}: the first number cannot exceed the second."
        else:
            rows.append((measure_id, numerator, denominator if needs_denominator else None))
    if errors:
        raise ValidationError(errors)
    saved = []
    with transaction.atomic():
        for measure_id, numerator, denominator in rows:
            value, _ = TeamEnteredValue.objects.update_or_create(
                ward=ward,
                measure=measure_id,
                month=month,
                defaults={"numerator": numerator, "denominator": denominator, "entered_by": by},
            )
            saved.append(value)
        audit.record_event(
            by=by,
            action="team_values.enter",
            ward=ward,
            summary=f"{ward} {month:%B %Y}: {len(saved)} values",
            detail={"month": month.isoformat(), "measures": [r[0] for r in rows]},
        )
    return saved

from django.conf import settings
from django.db import models

DEFAULT_REDUCTION_PERCENT = 25
DEFAULT_BASELINE_MONTHS = 12


class WardAim(models.Model):
    """A ward's improvement aim: a baseline period and the reduction it is working towards.

    The programme's aim is a 25% reduction; the baseline defaults to the 12 months before the
    ward joined. Both are the team's to change, because the national baseline rule is not fixed.
    """

    ward = models.OneToOneField("organisations.Ward", on_delete=models.CASCADE, related_name="aim")
    joined_programme_on = models.DateField(null=True, blank=True)
    baseline_start = models.DateField(help_text="First month of the baseline")
    baseline_end = models.DateField(help_text="Last month of the baseline")
    reduction_percent = models.PositiveSmallIntegerField(default=DEFAULT_REDUCTION_PERCENT)
    aim_by = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="baseline_ends_after_it_starts",
                condition=models.Q(baseline_end__gte=models.F("baseline_start")),
            )
        ]

    def __str__(self) -> str:
        return f"Aim for {self.ward}: -{self.reduction_percent}%"


class TeamEnteredValue(models.Model):
    """One month's value of a measure whose data lives outside mhsip, entered by the ward team
    (safety huddles held, assaults on staff, the patient survey)."""

    ward = models.ForeignKey("organisations.Ward", on_delete=models.CASCADE, related_name="+")
    measure = models.CharField(max_length=60)
    month = models.DateField(help_text="The first day of the month")
    numerator = models.PositiveIntegerField()
    denominator = models.PositiveIntegerField(null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ward", "measure", "month"], name="one_value_a_month")
        ]

"""Stored MHSDS submissions: the chosen file of each provider and month, its rows, and NHS
Digital's figures computed from them.

Only the file NHS Digital's Submission Picker would choose is kept for a provider-month (the
highest UniqSubmissionID with FileType 1 or 2): a later file replaces every row of the earlier
one, as nationally. The figures are computed once, when the file is stored (a month's figures
depend on that month's file alone), so dashboards read a few rows per provider-month.

Row tables keep the columns of mhsds.md section 2 with dates as dates and times as seconds
after midnight. They are written in bulk by `mhsip.extracts.services` (raw inserts), never one
by one.
"""

from __future__ import annotations

from django.db import models


class Submission(models.Model):
    provider = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="mhsds_submissions"
    )
    uniq_submission_id = models.BigIntegerField()
    uniq_month_id = models.IntegerField()
    #: The first day of the month UniqMonthID numbers.
    month = models.DateField()
    file_type = models.PositiveSmallIntegerField()
    reporting_period_start = models.DateField(null=True, blank=True)
    reporting_period_end = models.DateField(null=True, blank=True)
    #: NHS Digital shows the provider's bed days only when it sent an MHS515 row that month.
    sent_intervention_types = models.BooleanField(default=False)
    import_run = models.ForeignKey(
        "imports.ImportRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "uniq_month_id"], name="mhsds_one_submission_per_month"
            )
        ]
        ordering = ["provider", "uniq_month_id"]

    def __str__(self) -> str:
        return (
            f"MHSDS submission {self.uniq_submission_id} ({self.provider.code}, {self.month:%B %Y})"
        )


class _Row(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="+")
    person_id = models.CharField(max_length=40)
    record_number = models.BigIntegerField(null=True)

    class Meta:
        abstract = True


class PersonRow(_Row):
    """MHS001MPI."""

    pat_m_rec_in_rp = models.BooleanField(null=True)
    age_rep_period_end = models.IntegerField(null=True)
    gender = models.CharField(max_length=10, null=True)
    nhsd_ethnicity = models.CharField(max_length=10, null=True)
    org_id_sub_icb_loc_residence = models.CharField(max_length=20, null=True)


class ReferralRow(_Row):
    """MHS101Referral."""

    uniq_serv_req_id = models.CharField(max_length=60)
    serv_disch_date = models.DateField(null=True)


class HospitalSpellRow(_Row):
    """MHS501HospProvSpell."""

    uniq_hosp_prov_spell_id = models.CharField(max_length=60)
    uniq_serv_req_id = models.CharField(max_length=60, null=True)
    start_date = models.DateField()
    discharge_date = models.DateField(null=True)
    inactive_date = models.DateField(null=True)
    mhs501_uniq_id = models.CharField(max_length=60, null=True)


class WardStayRow(_Row):
    """MHS502WardStay."""

    uniq_ward_stay_id = models.CharField(max_length=60)
    uniq_hosp_prov_spell_id = models.CharField(max_length=60)
    uniq_ward_code = models.CharField(max_length=40, null=True)
    ward_code = models.CharField(max_length=40, null=True)
    start_date = models.DateField()
    start_time = models.IntegerField(null=True, help_text="Seconds after midnight.")
    end_date = models.DateField(null=True)
    end_time = models.IntegerField(null=True, help_text="Seconds after midnight.")
    inactive_date = models.DateField(null=True)
    specialised_service_code = models.CharField(max_length=20, null=True)
    mhs502_uniq_id = models.CharField(max_length=60, null=True)


class IncidentRow(_Row):
    """MHS505RestrictiveInterventInc."""

    uniq_restrictive_int_inc_id = models.CharField(max_length=60)
    uniq_hosp_prov_spell_id = models.CharField(max_length=60)
    restrictive_int_inc_id = models.CharField(max_length=60, null=True)
    start_date = models.DateField(null=True)
    start_time = models.IntegerField(null=True)
    end_date = models.DateField(null=True)
    end_time = models.IntegerField(null=True)
    reason = models.CharField(max_length=10, null=True)


class InterventionTypeRow(_Row):
    """MHS515RestrictiveInterventType."""

    uniq_restrictive_int_type_id = models.CharField(max_length=60)
    uniq_restrictive_int_inc_id = models.CharField(max_length=60)
    uniq_hosp_prov_spell_id = models.CharField(max_length=60)
    type_code = models.CharField(max_length=10, null=True)
    start_date = models.DateField(null=True)
    start_time = models.IntegerField(null=True)
    end_date = models.DateField(null=True)
    end_time = models.IntegerField(null=True)
    injury_patient = models.CharField(max_length=10, null=True)
    mhs515_uniq_id = models.CharField(max_length=60, null=True)


class WardDetailsRow(models.Model):
    """MHS903WardDetails. NHS Digital joins it on ward and month only, whichever file sent it."""

    uniq_ward_code = models.CharField(max_length=40)
    uniq_month_id = models.IntegerField()
    site_id_of_ward = models.CharField(max_length=20, null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["uniq_ward_code", "uniq_month_id"], name="mhsds_ward_details_unique"
            )
        ]


class SubmissionFigure(models.Model):
    """NHS Digital's figures for the submission's provider (ward empty) or one of its wards."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="figures")
    ward = models.ForeignKey(
        "organisations.Ward", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    people_restrained = models.IntegerField()  # MHS76
    interventions = models.IntegerField()  # MHS77
    incidents = models.IntegerField()  # MHS136
    bed_days = models.IntegerField()  # MHSXX (provider) or MHSXXa (ward)
    people_in_hospital = models.IntegerField(null=True)  # MHS97's denominator
    #: Minutes of each complete counted type by RestrictiveIntType code (provider only), so
    #: means and maxima can be taken over any group of types (and pooled over a network).
    minutes_by_type = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["submission", "ward"], name="mhsds_figure_unique")
        ]

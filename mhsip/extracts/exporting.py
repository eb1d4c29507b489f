"""mhsip's own records as an MHSDS extract: the 8 table CSVs `mhsip import mhsds` reads, for one
provider and one month, as if the provider had submitted that month's file at its end.

What goes in (`../shared/docs/mhsds.md` sections 1-5):

- every ward stay of the provider's wards that touches the month (MHS502), each in a hospital
  spell of its own (MHS501) with a referral (MHS101), so the spell's bed days are the stay's;
- every intervention (MHS515) that starts on or before the month's last day and had not ended
  before its first, with its use-of-force record as the incident (MHS505), linked to the
  patient's ward stay on the record's ward at the time (a record without one is left out and
  counted in `ExportedExtract.without_stay`);
- the people of those stays (MHS001MPI), the wards' sites (MHS903) and one primary header.

Anything dated after the month's end is left blank (an end that had not happened when the file
was sent), so NHS Digital's counting of the file gives mhsip's own figures for the month in the
ordinary cases (see docs/statistics/mhsds.md for the quirks where they part).

Person_ID is a keyed hash of the patient's (already hashed) local identifier: stable from one
export to the next, never the local identifier, and not reversible without the server's key.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from mhsip.auditing.services import record_event
from mhsip.incidents.models import UseOfForceRecord
from mhsip.mhsds.pipeline import month_bounds, month_id_of
from mhsip.mhsds.tables import (
    HEADER,
    HOSPITAL_SPELL,
    INCIDENT,
    INTERVENTION_TYPE,
    MPI,
    REFERRAL,
    TABLES,
    WARD_DETAILS,
    WARD_STAY,
)
from mhsip.organisations.models import Organisation, Ward
from mhsip.patients.models import Patient, WardStay

GENDER_CODES = {"male": "1", "female": "2"}
ETHNICITY_CODES = set("ABCDEFGHJKLMNPRSZ") | {"99"}


@dataclass
class ExportedExtract:
    provider: str
    month: date
    tables: dict[str, list[dict[str, object]]] = field(default_factory=dict)
    #: Use-of-force records in the month with no ward stay to put them in (left out).
    without_stay: int = 0

    def rows(self) -> dict[str, int]:
        return {name: len(rows) for name, rows in self.tables.items()}

    def csv_files(self) -> dict[str, bytes]:
        files = {}
        for table in TABLES:
            out = io.StringIO()
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(table.column_names)
            for row in self.tables.get(table.name, []):
                writer.writerow(
                    ["" if row.get(n) is None else row.get(n) for n in table.column_names]
                )
            files[table.file_name] = out.getvalue().encode("utf-8")
        return files

    def write(self, directory: Path) -> Path:
        directory.mkdir(parents=True, exist_ok=True)
        for name, content in self.csv_files().items():
            (directory / name).write_bytes(content)
        return directory

    def zip_bytes(self) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, content in self.csv_files().items():
                archive.writestr(name, content)
        return buffer.getvalue()


def person_id(patient: Patient) -> str:
    """A pseudonymous Person_ID: a keyed hash of the keyed hash mhsip holds."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(),
        f"mhsds-export-person:{patient.local_id_hash}".encode(),
        hashlib.sha256,
    ).hexdigest()
    return f"{patient.provider.code}-{digest[:20].upper()}"


def _local(moment: datetime | None) -> tuple[date | None, str | None]:
    if moment is None:
        return None, None
    moment = timezone.localtime(moment)
    return moment.date(), moment.strftime("%H:%M:%S")


def _sent(moment: datetime | None, last: date) -> tuple[date | None, str | None]:
    """A date and time as the month's file would hold them: blank if after the month."""
    day, clock = _local(moment)
    if day is None or day > last:
        return None, None
    return day, clock


def build_export(
    provider: Organisation, month: date, *, wards: Iterable[Ward] | None = None
) -> ExportedExtract:
    """The provider's records for `month` (any day in it) as MHSDS tables; only `wards` (all
    the provider's wards when None)."""
    month_id = month_id_of(month)
    first, last = month_bounds(month_id)
    code = provider.code
    ward_list = list(
        Ward.objects.filter(site__parent=provider).select_related("site")
        if wards is None
        else Ward.objects.filter(
            pk__in=[w.pk for w in wards], site__parent=provider
        ).select_related("site")
    )
    keys = {"UniqMonthID": month_id, "OrgIDProv": code}
    submission_id = int(timezone.now().strftime("%Y%m%d%H%M%S"))
    keys["UniqSubmissionID"] = submission_id
    export = ExportedExtract(provider=code, month=first)
    start_of_month = timezone.make_aware(datetime.combine(first, datetime.min.time()))
    after = timezone.make_aware(datetime.combine(last + timedelta(days=1), datetime.min.time()))

    stays = list(
        WardStay.objects.filter(ward__in=ward_list, started_at__lt=after)
        .exclude(ended_at__lt=start_of_month)
        .select_related("patient__provider", "ward")
        .order_by("patient_id", "started_at")
    )
    people: dict[int, Patient] = {}
    spells, referrals, ward_stays = [], [], []
    for stay in stays:
        person = person_id(stay.patient)
        people.setdefault(stay.patient_id, stay.patient)
        start_day, start_time = _local(stay.started_at)
        end_day, end_time = _sent(stay.ended_at, last)
        spell = f"{code}HPS{stay.pk}"
        common = {**keys, "Person_ID": person, "RecordNumber": None}
        referrals.append({**common, "UniqServReqID": f"{code}SR{stay.pk}"})
        spells.append(
            {
                **common,
                "UniqHospProvSpellID": spell,
                "UniqServReqID": f"{code}SR{stay.pk}",
                "StartDateHospProvSpell": start_day,
                "DischDateHospProvSpell": end_day,
                "MHS501UniqID": f"{code}501{stay.pk}",
            }
        )
        ward_stays.append(
            {
                **common,
                "UniqWardStayID": f"{code}WS{stay.pk}",
                "UniqHospProvSpellID": spell,
                "UniqWardCode": stay.ward.code,
                "WardCode": stay.ward.code,
                "StartDateWardStay": start_day,
                "StartTimeWardStay": start_time,
                "EndDateWardStay": end_day,
                "EndTimeWardStay": end_time,
                "MHS502UniqID": f"{code}502{stay.pk}",
            }
        )
    record_numbers = {pk: n for n, pk in enumerate(sorted(people), start=1)}
    for row, stay in zip(ward_stays, stays, strict=True):
        row["RecordNumber"] = record_numbers[stay.patient_id]
    for row, stay in zip(spells, stays, strict=True):
        row["RecordNumber"] = record_numbers[stay.patient_id]
    for row, stay in zip(referrals, stays, strict=True):
        row["RecordNumber"] = record_numbers[stay.patient_id]

    stays_of: dict[tuple[int, int], list[WardStay]] = {}
    for stay in stays:
        stays_of.setdefault((stay.patient_id, stay.ward_id), []).append(stay)

    def stay_at(record: UseOfForceRecord, moment: datetime) -> WardStay | None:
        for stay in stays_of.get((record.patient_id, record.ward_id), []):
            if stay.started_at <= moment and (stay.ended_at is None or moment <= stay.ended_at):
                return stay
        return None

    incidents, types = [], []
    records = (
        UseOfForceRecord.objects.filter(ward__in=ward_list, patient__isnull=False)
        .select_related("patient__provider")
        .prefetch_related("interventions")
        .order_by("pk")
    )
    for record in records:
        chosen = []
        for intervention in record.interventions.all():
            started = intervention.started_at or record.started_at
            ended = intervention.ended_at if intervention.started_at else record.ended_at
            if started is None or started >= after:
                continue
            if ended is not None and ended < start_of_month:
                continue
            chosen.append((intervention, started, ended))
        if not chosen:
            continue
        record_start = record.started_at or min(s for _, s, _ in chosen)
        stay = stay_at(record, record_start)
        if stay is None:
            export.without_stay += 1
            continue
        person = person_id(record.patient)
        common = {**keys, "Person_ID": person, "RecordNumber": record_numbers[record.patient_id]}
        spell = f"{code}HPS{stay.pk}"
        start_day, start_time = _local(record_start)
        end_day, end_time = _sent(record.ended_at, last)
        incident = f"{code}RI{record.pk}"
        incidents.append(
            {
                **common,
                "UniqRestrictiveIntIncID": incident,
                "UniqHospProvSpellID": spell,
                "RestrictiveIntIncID": f"RI{record.pk}",
                "StartDateRestrictiveIntInc": start_day,
                "StartTimeRestrictiveIntInc": start_time,
                "EndDateRestrictiveIntInc": end_day,
                "EndTimeRestrictiveIntInc": end_time,
                "RestrictiveIntReason": record.reason or None,
            }
        )
        injured = {"yes": "true", "no": "false"}.get(record.patient_injured)
        for intervention, started, ended in chosen:
            start_day, start_time = _local(started)
            end_day, end_time = _sent(ended, last)
            types.append(
                {
                    **common,
                    "UniqRestrictiveIntTypeID": f"{code}RT{intervention.pk}",
                    "UniqRestrictiveIntIncID": incident,
                    "UniqHospProvSpellID": spell,
                    "RestrictiveIntType": intervention.type_code,
                    "StartDateRestrictiveIntType": start_day,
                    "StartTimeRestrictiveIntType": start_time,
                    "EndDateRestrictiveIntType": end_day,
                    "EndTimeRestrictiveIntType": end_time,
                    "RestraintInjuryPatient": injured,
                    "MHS515UniqID": f"{code}515{intervention.pk}",
                }
            )

    export.tables = {
        HEADER.name: [
            {
                "UniqSubmissionID": submission_id,
                "UniqMonthID": month_id,
                "OrgIDProvider": code,
                "ReportingPeriodStartDate": first,
                "ReportingPeriodEndDate": last,
                "FileType": 1,
            }
        ],
        MPI.name: [
            {
                **keys,
                "Person_ID": person_id(patient),
                "RecordNumber": record_numbers[pk],
                "PatMRecInRP": "true",
                "AgeRepPeriodEnd": patient.age_on(last),
                "Gender": GENDER_CODES.get(patient.sex),
                "NHSDEthnicity": patient.ethnicity
                if patient.ethnicity in ETHNICITY_CODES
                else None,
            }
            for pk, patient in sorted(people.items())
        ],
        REFERRAL.name: referrals,
        HOSPITAL_SPELL.name: spells,
        WARD_STAY.name: ward_stays,
        INCIDENT.name: incidents,
        INTERVENTION_TYPE.name: types,
        WARD_DETAILS.name: [
            {"UniqWardCode": ward.code, "UniqMonthID": month_id, "SiteIDOfWard": ward.site.code}
            for ward in ward_list
        ],
    }
    return export


def export_extract(
    provider: Organisation, month: date, *, by=None, wards: Iterable[Ward] | None = None
) -> ExportedExtract:
    """`build_export`, audited: who took which provider's month of patient-level data."""
    export = build_export(provider, month, wards=wards)
    record_event(
        by=by,
        action="mhsds_extract.export",
        target=provider,
        organisation=provider,
        summary=f"MHSDS-format export of {provider.code}, {export.month:%B %Y}",
        detail={
            "month": export.month.isoformat(),
            "rows": export.rows(),
            "without_stay": export.without_stay,
        },
    )
    return export

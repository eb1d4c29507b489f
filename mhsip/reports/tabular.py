"""CSV and XLSX files from a header and rows, as HTTP downloads."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.http import HttpResponse
from django.utils import timezone

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")


def _cell(value: Any) -> Any:
    # openpyxl refuses time-zone-aware datetimes: write local time, as people read it.
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def _csv_value(value: Any) -> Any:
    value = _cell(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return "" if value is None else value


def table_response(
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    file_format: str,
    filename: str,
    sheet: str = "Data",
) -> HttpResponse:
    """A download of the table as `filename`.csv or `filename`.xlsx."""
    if file_format == "csv":
        # A byte-order mark, so Excel opens the UTF-8 file with its accents and dashes intact.
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response.write("\ufeff")
        writer = csv.writer(response)
        writer.writerow(header)
        writer.writerows([_csv_value(v) for v in row] for row in rows)
    elif file_format == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        worksheet = workbook.create_sheet(sheet[:31])
        worksheet.append(list(header))
        for row in rows:
            worksheet.append([_cell(v) for v in row])
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    else:
        raise ValueError(f"no such file format: {file_format!r}")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{file_format}"'
    return response

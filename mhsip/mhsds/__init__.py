"""MHSDS extracts: reading the restrictive-intervention tables and NHS Digital's counting of
them, reproduced exactly (quirks included). Pure: standard library and numpy, no Django.

    extract = read_extract("path/to/extract")        # typed columns + Problems
    figures = extract_figures(extract)                # {(provider, UniqMonthID): SubmissionFigures}
    figures[("RX4", 1478)].measures()                 # {"MHS76": ..., "MHS96": ..., ...}
"""

from mhsip.mhsds.pipeline import (
    Figures,
    HeaderRow,
    SubmissionFigures,
    choose_submissions,
    extract_figures,
    header_rows,
    month_bounds,
    month_id_of,
    submission_figures,
)
from mhsip.mhsds.reading import Extract, ExtractError, TableRows, read_extract

__all__ = [
    "Extract",
    "ExtractError",
    "Figures",
    "HeaderRow",
    "SubmissionFigures",
    "TableRows",
    "choose_submissions",
    "extract_figures",
    "header_rows",
    "month_bounds",
    "month_id_of",
    "read_extract",
    "submission_figures",
]

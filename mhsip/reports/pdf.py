"""Render a Django template to PDF with WeasyPrint.

WeasyPrint lays out HTML and CSS itself (with Pango for text), so a report is the same template
as its HTML preview plus print CSS: no browser, and nothing fetched over the network (charts and
icons are inline SVG; `url_fetcher` refuses every URL so a template can never make it fetch).
"""

from __future__ import annotations

import warnings
from typing import Any

from django.template.loader import render_to_string


def _no_fetching(url: str, *args: Any, **kwargs: Any):
    raise ValueError(f"reports fetch nothing; {url!r} was asked for")


class PdfUnavailable(RuntimeError):
    """This machine cannot make PDFs: WeasyPrint could not load Pango."""


#: What to install, for the message people see.
PANGO_HINT = "Debian and Ubuntu: apt-get install libpango-1.0-0 libpangoft2-1.0-0"


def pdf_available() -> bool:
    try:
        _weasyprint_html()
    except PdfUnavailable:
        return False
    return True


def _weasyprint_html():
    # Imported here: WeasyPrint loads Pango and its fonts, which pages that never print need not.
    with warnings.catch_warnings():
        # WeasyPrint 66+ warns (once, on import) when the system lacks libharfbuzz-subset, which
        # only makes embedded fonts smaller; Debian's slim images do not ship it. The warning
        # would otherwise fail every test that prints (warnings are errors in the test run).
        warnings.filterwarnings("ignore", message="HarfBuzz-Subset", category=DeprecationWarning)
        try:
            from weasyprint import HTML
        except (OSError, ImportError) as error:  # Pango's shared library (or WeasyPrint) missing
            raise PdfUnavailable(
                f"PDF reports need the Pango text library, which this server lacks ({PANGO_HINT})."
            ) from error
    return HTML


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    """Raises PdfUnavailable when the server cannot make PDFs."""
    HTML = _weasyprint_html()
    html = render_to_string(template, context)
    return HTML(string=html, url_fetcher=_no_fetching).write_pdf()

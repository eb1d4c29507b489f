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


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    # Imported here: WeasyPrint loads Pango and its fonts, which pages that never print need not.
    with warnings.catch_warnings():
        # WeasyPrint 66+ warns (once, on import) when the system lacks libharfbuzz-subset, which
        # only makes embedded fonts smaller; Debian's slim images do not ship it. The warning
        # would otherwise fail every test that prints (warnings are errors in the test run).
        warnings.filterwarnings("ignore", message="HarfBuzz-Subset", category=DeprecationWarning)
        from weasyprint import HTML

    html = render_to_string(template, context)
    return HTML(string=html, url_fetcher=_no_fetching).write_pdf()

"""Draw SPC charts the way NHS England's Making Data Count (MDC) charts look.

Everything here starts from the plain dict of `mhsip.spc.spc_chart(...).to_dict()`, so the web
pages (which embed the Vega-Lite spec) and the command line (which saves SVG or PNG files) draw
the same chart from the same data:

- `spc.py` builds the Vega-Lite spec (`build_spc_chart_spec`, `build_mr_chart_spec`);
- `icons.py` draws MDC's variation and assurance icons as SVG;
- `render.py` renders specs offline with vl-convert and saves charts with their icons.
"""

from mhsip.charts.icons import assurance_icon_svg, variation_icon_svg
from mhsip.charts.spc import build_mr_chart_spec, build_spc_chart_spec

__all__ = [
    "assurance_icon_svg",
    "build_mr_chart_spec",
    "build_spc_chart_spec",
    "variation_icon_svg",
]

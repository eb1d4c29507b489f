"""A check any network page (or export, or digest) can be put through: it shows no
patient-level data and no count small enough to identify anyone.

    assert_no_leaks(response.content.decode(), world)      # world: tests.factories.world.World

What it looks for, independently of the code that suppresses:
- every ward's leak markers (record reference, the record's free text, the patient's alias, local
  identifier and its keyed hash: `World.leak_markers`), and any use-of-force record reference at
  all (UOF-…): network pages never link to records;
- in every JSON document embedded in the page (chart specs, `json_script`), every count
  (`numerator`, `events`, `count`) is missing or suppressed the NHS Digital way: at least 5 and a
  multiple of 5 (counts under 5 are hidden and the rest rounded to 5: mhsip.equity.suppression);
- in every table row marked as a count (`data-count`), the same.
"""

from __future__ import annotations

import json
import re
from typing import Any

from mhsip.equity.suppression import NHS_DIGITAL

RECORD_REFERENCE = re.compile(r"UOF-\d{6}")
JSON_SCRIPT = re.compile(r'<script[^>]*type="application/json"[^>]*>(.*?)</script>', re.DOTALL)
COUNT_KEYS = {"numerator", "events", "count"}
MARKED_COUNT = re.compile(r'data-count="([^"]*)"')


def _counts(document: Any, path: str = "") -> list[tuple[str, float]]:
    found = []
    if isinstance(document, dict):
        for key, value in document.items():
            if key in COUNT_KEYS and isinstance(value, int | float) and not isinstance(value, bool):
                found.append((f"{path}.{key}", float(value)))
            else:
                found += _counts(value, f"{path}.{key}")
    elif isinstance(document, list):
        for index, value in enumerate(document):
            found += _counts(value, f"{path}[{index}]")
    return found


def _shown_suppressed(value: float) -> bool:
    step = NHS_DIGITAL.round_counts_to
    return value >= NHS_DIGITAL.smallest_count and value % step == 0


def small_counts(text: str) -> list[tuple[str, float]]:
    """Counts in the page's embedded JSON and marked cells that were not suppressed."""
    bad = []
    for index, body in enumerate(JSON_SCRIPT.findall(text)):
        document = json.loads(body)
        bad += [(f"json#{index}{p}", v) for p, v in _counts(document) if not _shown_suppressed(v)]
    for raw in MARKED_COUNT.findall(text):
        try:
            value = float(raw.replace(",", ""))
        except ValueError:
            continue  # "suppressed"
        if not _shown_suppressed(value):
            bad.append(("data-count", value))
    return bad


def assert_no_leaks(response_text: str, world) -> None:
    for key in world.wards:
        for what, value in world.leak_markers(key).items():
            assert value not in response_text, f"{what} of ward {key} shown: {value!r}"
    references = RECORD_REFERENCE.findall(response_text)
    assert not references, f"use-of-force record references shown: {references[:5]}"
    bad = small_counts(response_text)
    assert not bad, f"unsuppressed counts shown: {bad[:10]}"

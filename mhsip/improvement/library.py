"""The change-idea library: sourced, evidence-based ideas every ward can test, kept in
data/change_ideas.toml and loaded into `ChangeIdea` by key (new ideas added, changed ones
updated, none deleted, so projects that test an idea keep it).

A migration loads the library into a new database; `mhsip load_change_ideas` reloads it after
the file changes.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from pathlib import Path

LIBRARY = Path(__file__).parent / "data" / "change_ideas.toml"
THEMES = {"safewards", "collaborative", "debrief", "sensory", "pbs"}


class LibraryError(ValueError):
    pass


@dataclass(frozen=True)
class LibraryIdea:
    key: str
    title: str
    theme: str
    summary: str
    evidence: str
    source: str
    source_url: str


def read_library(path: Path = LIBRARY) -> list[LibraryIdea]:
    """Every idea in the file, checked: all fields given, known themes, unique keys, and a
    source address for every idea (an idea without a source does not belong in the library)."""
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise LibraryError(f"{path.name}: {error}") from None
    names = [f.name for f in fields(LibraryIdea)]
    ideas, keys = [], set()
    for index, data in enumerate(document.get("idea", []), start=1):
        at = f"{path.name}: idea {data.get('key', index)!r}"
        unknown = set(data) - set(names)
        if unknown:
            raise LibraryError(f"{at}: unknown field(s) {', '.join(sorted(unknown))}")
        missing = [name for name in names if not str(data.get(name, "")).strip()]
        if missing:
            raise LibraryError(f"{at}: {', '.join(missing)} required")
        if data["theme"] not in THEMES:
            raise LibraryError(f"{at}: theme must be one of {', '.join(sorted(THEMES))}")
        if not data["source_url"].startswith("https://"):
            raise LibraryError(f"{at}: source_url must be an https:// address")
        if data["key"] in keys:
            raise LibraryError(f"{at}: the key is used twice")
        keys.add(data["key"])
        ideas.append(LibraryIdea(**{name: data[name].strip() for name in names}))
    return ideas


def load_library(model=None, path: Path = LIBRARY) -> tuple[int, int]:
    """Write the library into `model` (ChangeIdea, or its historical version in a migration).
    Returns (added, updated)."""
    if model is None:
        from mhsip.improvement.models import ChangeIdea as model
    added = updated = 0
    for idea in read_library(path):
        values = {f.name: getattr(idea, f.name) for f in fields(LibraryIdea) if f.name != "key"}
        _, created = model.objects.update_or_create(
            key=idea.key, defaults={**values, "origin": "library", "ward": None}
        )
        added += created
        updated += not created
    return added, updated

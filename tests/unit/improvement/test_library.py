"""The change-idea library: every idea sourced, the Safewards ten present, loading idempotent."""

import pytest

from mhsip.improvement.library import LIBRARY, LibraryError, load_library, read_library
from mhsip.improvement.models import ChangeIdea, Origin

SAFEWARDS_TEN = {
    "Clear mutual expectations",
    "Soft words",
    "Talk down",
    "Positive words",
    "Bad news mitigation",
    "Know each other",
    "Mutual help meeting",
    "Calm down methods",
    "Reassurance",
    "Discharge messages",
}


def test_library_has_the_ten_safewards_interventions():
    titles = {idea.title for idea in read_library() if idea.theme == "safewards"}
    assert titles == SAFEWARDS_TEN


def test_library_covers_every_theme_the_programme_names():
    themes = {idea.theme for idea in read_library()}
    assert themes == {"safewards", "collaborative", "debrief", "sensory", "pbs"}


def test_every_library_idea_has_evidence_and_a_source_address():
    for idea in read_library():
        assert idea.evidence and idea.source
        assert idea.source_url.startswith("https://"), idea.key


def test_read_library_rejects_an_idea_without_a_source(tmp_path):
    path = tmp_path / "ideas.toml"
    text = LIBRARY.read_text().split("[[idea]]")[1]
    path.write_text("[[idea]]" + text.replace("source_url", "#source_url"))
    with pytest.raises(LibraryError, match="source_url required"):
        read_library(path)


def test_read_library_rejects_a_repeated_key(tmp_path):
    path = tmp_path / "ideas.toml"
    idea = "[[idea]]" + LIBRARY.read_text().split("[[idea]]")[1]
    path.write_text(idea + idea)
    with pytest.raises(LibraryError, match="used twice"):
        read_library(path)


@pytest.mark.django_db
def test_the_migration_loads_the_library_and_reloading_only_updates():
    ideas = read_library()
    assert ChangeIdea.objects.filter(origin=Origin.LIBRARY).count() == len(ideas)

    assert load_library() == (0, len(ideas))
    assert ChangeIdea.objects.filter(origin=Origin.LIBRARY).count() == len(ideas)
    assert not ChangeIdea.objects.filter(origin=Origin.LIBRARY, ward__isnull=False).exists()

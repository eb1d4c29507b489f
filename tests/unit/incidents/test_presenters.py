from datetime import datetime
from types import SimpleNamespace

from django.utils import timezone

from mhsip.incidents.presenters import make_changes, make_version_history, show


def iso(hh_mm, second=0):
    hours, minutes = map(int, hh_mm.split(":"))
    return timezone.make_aware(datetime(2026, 3, 14, hours, minutes, second)).isoformat()


def test_values_read_as_words():
    assert show("reason", "10") == "Prevent violence to others"
    assert show("patient_injured", "not_known") == "Not known"
    assert show("started_at", iso("14:05")) == "14 Mar 2026 14:05"
    assert show("outcome", "") == "not entered"
    assert show("outcome", "x" * 200).endswith("…”") and len(show("outcome", "x" * 200)) == 122
    assert (
        show("interventions", [{"type_code": "11", "started_at": iso("14:05"), "ended_at": None}])
        == "Physical restraint - seated 14:05–?"
    )
    assert show("staff", [{"name": "Alex", "job_title": "Nurse", "role": "observer"}]) == (
        "Alex, Nurse, Observed and monitored the patient's wellbeing"
    )


def test_changes_are_listed_in_page_order_in_words():
    old = {"status": "draft", "outcome": "Settled", "place": "", "started_at": iso("14:05")}
    new = {"status": "complete", "outcome": "Settled; slept", "place": "garden"}

    changes = make_changes(old, new)

    assert [(c.label, c.old, c.new) for c in changes] == [
        ("Status", "Draft", "Complete"),
        ("Place", "not entered", "Garden or courtyard"),
        ("Started", "14 Mar 2026 14:05", "not entered"),
        ("Outcome", "“Settled”", "“Settled; slept”"),
    ]


def test_seconds_the_page_never_shows_are_no_change():
    assert make_changes({"started_at": iso("14:05", 31)}, {"started_at": iso("14:05")}) == []


def test_history_is_newest_first_each_with_its_changes():
    def version(number, outcome, reason):
        return SimpleNamespace(
            number=number, data={"outcome": outcome}, saved_at=None, saved_by=None, reason=reason
        )

    history = make_version_history(
        [version(2, "Slept", "Clarified"), version(1, "Settled", "First recorded")]
    )

    assert [entry.number for entry in history] == [2, 1]
    assert history[0].changes[0].new == "“Slept”" and history[1].changes == []

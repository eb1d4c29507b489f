from mhsip.accounts.models import User
from mhsip.auditing.presenters import describe_action, make_person


def test_known_actions_read_as_english():
    assert describe_action("use_of_force_record.view") == "Viewed a use-of-force record"


def test_unknown_actions_show_their_code():
    assert describe_action("something.new") == "something.new"


def test_make_person():
    assert make_person(None) == "The system"
    assert make_person(User(username="nurse", first_name="Nia", last_name="Okafor")) == (
        "Nia Okafor (nurse)"
    )
    assert make_person(User(username="nurse")) == "nurse (nurse)"

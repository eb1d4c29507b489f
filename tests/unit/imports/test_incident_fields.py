from mhsip.imports.incident_fields import CODE_LISTS, label_for_problem_field


def test_suggestions_only_for_near_certain_values():
    types = CODE_LISTS["intervention_type"]
    assert types.suggest("Seclusion") == "05"
    assert types.suggest("PRONE restraint") == "01"
    assert types.suggest("05") == "05"
    assert types.suggest("Basket hold") is None
    assert CODE_LISTS["answer"].suggest("Y") == "yes"


def test_problem_fields_are_named_in_words():
    assert label_for_problem_field("ended_at") == "End date"
    assert label_for_problem_field("interventions-0-type_code") == "Type of force"
    assert label_for_problem_field("avoidance_efforts") == "Efforts to avoid force"


def test_intervention_times_are_named_as_the_mapping_page_names_them():
    assert label_for_problem_field("interventions-1-started_at") == "Intervention start date"
    assert label_for_problem_field("interventions-1-ended_at") == "Intervention end date"

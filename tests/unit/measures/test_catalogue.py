import pytest

from mhsip.measures.catalogue import CatalogueError, Measure, load_catalogue

GOOD = {
    "id": "huddles",
    "name": "Safety huddles held",
    "definition": "Safety huddles held on the ward each week.",
    "type": "process",
    "numerator": "team_entered",
    "denominator": "none",
    "improvement": "increase",
    "chart": "xmr",
}


def test_every_committed_definition_loads():
    catalogue = load_catalogue()
    assert "restrictive_interventions" in catalogue
    rate = catalogue["restrictive_interventions"]
    assert rate.measure_id == "MHS96" and rate.multiplier == 1000 and rate.chart == "u"
    assert {m.type for m in catalogue.values()} == {"outcome", "process", "balancing"}
    assert all(len(m.definition) > 40 for m in catalogue.values())


def test_a_local_measure_can_be_added():
    assert Measure.from_dict(GOOD).id == "huddles"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"numerator": "hugs"}, "numerator 'hugs' is not one of"),
        ({"denominator": "beds"}, "denominator 'beds'"),
        ({"chart": "u"}, "needs a denominator"),
        ({"improvement": "up"}, "'up' is not a valid"),
        ({"colour": "red"}, "unknown field(s) colour"),
        ({"name": ""}, "name is required"),
        ({"multiplier": 0}, "multiplier must be positive"),
        ({"numerator": "interventions", "intervention_groups": ["hugs"]}, "unknown intervention"),
        ({"numerator": "interventions", "denominator": "bed_days", "chart": "p"}, "use a u chart"),
    ],
)
def test_bad_definitions_are_refused_naming_the_measure_and_field(change, message):
    with pytest.raises(CatalogueError, match="measure 'huddles'") as error:
        Measure.from_dict(GOOD | change)
    assert message in str(error.value)


def test_duplicate_ids_are_refused(tmp_path):
    path = tmp_path / "local.toml"
    text = "\n".join(f'{k} = "{v}"' for k, v in GOOD.items())
    path.write_text(f"[[measure]]\n{text}\n[[measure]]\n{text}\n")
    with pytest.raises(CatalogueError, match="defined twice"):
        load_catalogue([path])

from django import forms
from django.template import Context, Template

from mhsip.web.forms import DateField, ErrorLink, NhsukForm


class ExampleForm(NhsukForm):
    when = DateField(label="Date force was used", help_text="For example, 14 3 2026")
    kind = forms.ChoiceField(
        label="Type of force",
        choices=[("", "Select"), ("Physical restraint", [("11", "Seated")]), ("05", "Seclusion")],
    )
    answer = forms.ChoiceField(
        label="Was anyone else involved?",
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect,
    )
    why = forms.CharField(label="Why?", widget=forms.Textarea, required=False)
    name = forms.CharField(label="Name")

    conditional_fields = {"answer": {"yes": ["why"]}}


def render(source: str, **context) -> str:
    return Template("{% load nhsuk %}" + source).render(Context(context))


def test_select_draws_option_groups_and_the_chosen_option():
    html = render("{% nhsuk_field form.kind %}", form=ExampleForm({"kind": "11"}))

    assert '<optgroup label="Physical restraint">' in html
    assert '<option value="11" selected>Seated</option>' in html
    assert 'class="nhsuk-select"' in html


def test_radios_reveal_their_follow_up_question():
    html = render("{% nhsuk_field form.answer %}", form=ExampleForm({"answer": "yes"}))

    assert '<legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">' in html
    assert 'data-aria-controls="conditional-id_answer"' in html
    assert 'id="conditional-id_answer"' in html and 'name="why"' in html
    # Radios with a follow-up question are stacked: inline radios cannot reveal one.
    assert "nhsuk-radios--inline" not in html
    assert 'id="id_answer" name="answer" type="radio" value="yes" checked' in html
    assert 'id="id_answer-2"' in html


def test_a_field_with_an_error_is_marked_and_described_by_it():
    form = ExampleForm({"name": "", "when_day": "31", "when_month": "4", "when_year": "2026"})
    form.is_valid()

    name = render("{% nhsuk_field form.name %}", form=form)
    when = render("{% nhsuk_field form.when %}", form=form)

    assert "nhsuk-form-group--error" in name and "nhsuk-input--error" in name
    assert 'aria-describedby="id_name-error"' in name
    assert '<span class="nhsuk-u-visually-hidden">Error: </span>This field is required.' in name
    assert 'aria-describedby="id_when-hint id_when-error"' in when
    assert 'id="id_when_day" name="when_day"' in when and 'value="31"' in when


def test_a_page_heading_label():
    html = render("{% nhsuk_field form.name size='l' page_heading=True %}", form=ExampleForm())

    assert '<h1 class="nhsuk-label-wrapper">' in html and "nhsuk-label--l" in html


def test_error_summary_links_each_message_to_its_field():
    html = render("{% nhsuk_error_summary errors %}", errors=[ErrorLink("id_name", "Enter a name")])

    assert "There is a problem" in html and '<a href="#id_name">Enter a name</a>' in html
    assert render("{% nhsuk_error_summary errors %}", errors=[]) == ""

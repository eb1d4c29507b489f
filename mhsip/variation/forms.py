"""The options forms of the variation pages: plain GET forms whose choices depend on the place
(its ward types, its groups), drawn with the NHS.UK templates (`nhsuk_field`).

The presenters decide each option (anything missing or not allowed takes its default), and the
form is bound to what they decided, so the page always shows the options it was drawn with.
"""

from __future__ import annotations

from typing import Any

from django import forms

LABELS = {
    "measure": "Measure",
    "months": "Period",
    "peer": "Compare with",
    "unit": "Units",
    "overdispersion": "Allow for over-dispersion",
    "characteristic": "Characteristic",
    "reference": "Reference group",
    "by": "Over time, by",
    "kind": "Charts show",
}


class OptionsForm(forms.Form):
    def __init__(self, choices: dict[str, list[tuple[str, str]]], values: dict[str, Any]):
        super().__init__(data={name: str(values[name]) for name in choices})
        for name, options in choices.items():
            self.fields[name] = forms.ChoiceField(
                label=LABELS.get(name, name), choices=options, required=False
            )

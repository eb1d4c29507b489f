"""Forms of the import pages: upload, columns, coded values."""

from __future__ import annotations

from django import forms

from mhsip.imports.incident_fields import CODE_LISTS, FIELDS
from mhsip.imports.models import IncidentLayout
from mhsip.web.forms import NhsukForm

NOT_IN_FILE = ""


class UploadForm(NhsukForm):
    provider = forms.ModelChoiceField(
        queryset=None,
        label="Provider",
        empty_label=None,
        error_messages={"invalid_choice": "Choose a provider you may import data for"},
    )
    file = forms.FileField(
        label="The file",
        help_text="A CSV (.csv) or Excel (.xlsx) file, with the column names in the first row",
        error_messages={"required": "Choose the file to import", "empty": "The file is empty"},
    )
    all_or_nothing = forms.BooleanField(
        required=False, label="Import nothing unless every row is good"
    )

    def __init__(self, *args, providers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers


class IncidentUploadForm(UploadForm):
    mapping = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Mapping",
        empty_label="Build a new mapping",
        help_text="A mapping saved from last month's export",
    )

    def __init__(self, *args, providers, mappings, **kwargs):
        super().__init__(*args, providers=providers, **kwargs)
        del self.fields["all_or_nothing"]
        self.fields["mapping"].queryset = mappings
        self.fields["mapping"].label_from_instance = lambda m: f"{m.name} ({m.provider.name})"

    def clean(self):
        data = super().clean()
        mapping, provider = data.get("mapping"), data.get("provider")
        if mapping and provider and mapping.provider_id != provider.pk:
            self.add_error("mapping", f"“{mapping.name}” is a mapping of {mapping.provider.name}")
        return data


class ColumnsForm(NhsukForm):
    """For each of mhsip's record fields, the export's column that holds it."""

    name = forms.CharField(
        label="Name of the mapping",
        max_length=100,
        help_text="For example “Datix monthly export”: you will choose it next month",
    )
    source = forms.CharField(
        label="Incident system",
        max_length=100,
        help_text="For example Datix. Keep it the same each month: with the incident reference "
        "it finds records imported before",
    )

    layout = forms.ChoiceField(
        label="How does the export lay out the incidents?",
        choices=IncidentLayout.choices,
        widget=forms.RadioSelect,
        initial=IncidentLayout.INCIDENT,
        help_text="With one row per restrictive intervention, the rows that share an incident "
        "reference are imported as one incident: they must agree on everything but the type of "
        "force and its times, and each row adds its intervention",
        error_messages={
            "required": "Choose whether the export has one row per incident or per intervention"
        },
    )

    def __init__(self, *args, headers: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(NOT_IN_FILE, "Not in this file")] + [(h, h) for h in headers]
        for target in FIELDS:
            self.fields[f"column_{target.key}"] = forms.ChoiceField(
                choices=choices,
                required=False,
                label=target.label + ("" if target.required else " (optional)"),
                help_text=target.hint,
            )

    def columns(self) -> dict[str, str]:
        return {
            target.key: self.cleaned_data.get(f"column_{target.key}") or "" for target in FIELDS
        }


class ValuesForm(NhsukForm):
    """For each value found in a coded column, its code."""

    all_or_nothing = forms.BooleanField(
        required=False, label="Import nothing unless every row is good"
    )

    def __init__(self, *args, found: dict[str, list[str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.found = found
        for code_list, values in found.items():
            options = [("", "No code yet")] + CODE_LISTS[code_list].options()
            for index, value in enumerate(values):
                self.fields[f"{code_list}__{index}"] = forms.ChoiceField(
                    choices=options, required=False, label=f"“{value}”"
                )

    def values(self) -> dict[str, dict[str, str]]:
        return {
            code_list: {
                value: self.cleaned_data.get(f"{code_list}__{index}") or ""
                for index, value in enumerate(values)
            }
            for code_list, values in self.found.items()
        }

    def groups(self):
        """(code list, [(value, bound field)]) for the template."""
        return [
            (
                CODE_LISTS[code_list],
                [(value, self[f"{code_list}__{i}"]) for i, value in enumerate(values)],
            )
            for code_list, values in self.found.items()
        ]

from __future__ import annotations

from django import forms


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".csv,.zip"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)]


class ExtractUploadForm(forms.Form):
    files = MultipleFileField(
        label="The extract's table files",
        help_text=(
            "Choose the 8 CSV files (MHS000Header.csv, MHS001MPI.csv, MHS101Referral.csv, "
            "MHS501HospProvSpell.csv, MHS502WardStay.csv, MHS505RestrictiveInterventInc.csv, "
            "MHS515RestrictiveInterventType.csv, MHS903WardDetails.csv), or one .zip file "
            "holding them."
        ),
        error_messages={"required": "Choose the extract's table files or a .zip of them"},
    )
    all_or_nothing = forms.BooleanField(
        label="Import nothing unless every row passes its checks",
        required=False,
    )


class ExtractExportForm(forms.Form):
    provider = forms.ModelChoiceField(queryset=None, label="Provider", empty_label=None)
    month = forms.DateField(
        label="Month",
        help_text="For example, 2024-04",
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        error_messages={"invalid": "Enter the month as YYYY-MM, for example 2024-04"},
    )

    def __init__(self, *args, providers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers

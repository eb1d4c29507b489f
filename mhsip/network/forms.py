"""Forms for the network pages. They parse; `services` decides what is valid."""

from __future__ import annotations

from django import forms

from mhsip.network.models import REQUESTABLE_ROLES, Result
from mhsip.organisations.models import WardType
from mhsip.web.forms import NhsukForm


class JoinForm(NhsukForm):
    kind = forms.ChoiceField(
        label="Who is asking to join?",
        widget=forms.RadioSelect,
        choices=[("person", "Me, in a network role"), ("organisation", "A provider I speak for")],
        error_messages={"required": "Say who is asking to join"},
    )
    role = forms.ChoiceField(
        label="The role you are asking for",
        choices=[("", "Choose a role"), *REQUESTABLE_ROLES],
        required=False,
    )
    organisation = forms.ChoiceField(label="The provider", required=False)
    message = forms.CharField(
        label="Why do you want to join?",
        help_text="A sentence or two for the network's leads, who decide.",
        widget=forms.Textarea,
        required=False,
        max_length=1000,
    )

    conditional_fields = {"kind": {"person": ["role"], "organisation": ["organisation"]}}

    def __init__(self, *args, providers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [("", "Choose a provider")] + [
            (str(p.pk), p.name) for p in providers
        ]
        if not providers:
            self.fields["kind"].choices = self.fields["kind"].choices[:1]


class DecisionForm(NhsukForm):
    note = forms.CharField(
        label="Note to the requester",
        help_text="Needed when you decline: say why.",
        required=False,
        max_length=500,
        widget=forms.Textarea,
    )


class CaseStudyForm(NhsukForm):
    title = forms.CharField(label="Title", max_length=200, required=False)
    problem = forms.CharField(
        label="The problem",
        help_text="What the team set out to improve, and why.",
        widget=forms.Textarea,
        required=False,
    )
    what_happened = forms.CharField(
        label="What happened",
        help_text="What you tested in each cycle and what you found.",
        widget=forms.Textarea,
        required=False,
    )
    co_designed_with = forms.CharField(
        label="Who co-designed it",
        help_text="As people chose to be named. Never name a patient who did not choose to be.",
        widget=forms.Textarea,
        required=False,
    )
    do_differently = forms.CharField(
        label="What would you do differently?", widget=forms.Textarea, required=False
    )


class ReturnForm(NhsukForm):
    note = forms.CharField(
        label="What should the team change?", required=False, max_length=500, widget=forms.Textarea
    )


class LibraryFilterForm(NhsukForm):
    q = forms.CharField(label="Search", required=False, max_length=200)
    change_idea = forms.TypedChoiceField(
        label="Change idea", required=False, coerce=int, empty_value=None
    )
    ward_type = forms.ChoiceField(
        label="Ward type", required=False, choices=[("", "Any ward type"), *WardType.choices]
    )
    result = forms.ChoiceField(
        label="Result", required=False, choices=[("", "Any result"), *Result.choices]
    )

    def __init__(self, *args, ideas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["change_idea"].choices = [("", "Any change idea")] + [
            (str(i.pk), i.title) for i in ideas
        ]

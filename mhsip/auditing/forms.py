"""The audit log's filters: a date range, an action, a ward and a person."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from mhsip.auditing.presenters import describe_action, make_person
from mhsip.organisations.models import Ward
from mhsip.web.forms import DateField, NhsukForm


class AuditLogFilterForm(NhsukForm):
    since = DateField(label="Start date")
    until = DateField(label="End date")
    action = forms.ChoiceField(label="What happened", required=False)
    ward = forms.ModelChoiceField(
        label="Ward",
        queryset=Ward.objects.none(),
        required=False,
        to_field_name="code",
        empty_label="Any ward",
        error_messages={"invalid_choice": "Choose a ward from the list"},
    )
    person = forms.ModelChoiceField(
        label="Person",
        queryset=get_user_model().objects.none(),
        required=False,
        to_field_name="username",
        empty_label="Anyone",
        error_messages={"invalid_choice": "Choose a person from the list"},
    )

    def __init__(self, data, *, events, wards):
        """`events` are the audit events the person may read; the choices come from them."""
        super().__init__(data)
        actions = sorted(set(events.values_list("action", flat=True)), key=describe_action)
        self.fields["action"].choices = [("", "Anything")] + [
            (action, describe_action(action)) for action in actions
        ]
        self.fields["ward"].queryset = wards.order_by("name")
        self.fields["person"].queryset = (
            get_user_model()
            .objects.filter(pk__in=events.filter(actor__isnull=False).values("actor"))
            .order_by("last_name", "first_name", "username")
        )
        self.fields["person"].label_from_instance = make_person

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", "End date must be the same as or after the start date")
        return cleaned

    def filters(self) -> dict:
        """The filters that are valid, as keyword arguments for `filter_audit_events`."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "since": data.get("since"),
            "until": data.get("until"),
            "action": data.get("action") or "",
            "ward": data.get("ward"),
            "actor": data.get("person"),
        }

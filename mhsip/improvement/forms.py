"""Forms for improvement work. They parse; `services` decides what is valid, naming the same
fields, so a service's message lands beside the field it is about."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from mhsip.improvement import services
from mhsip.improvement.models import (
    ContributorRole,
    Decision,
    PostKind,
    ProjectStatus,
    TeamRole,
    Theme,
)
from mhsip.improvement.services import BODY_LENGTH, TITLE_LENGTH
from mhsip.measures import MeasureType, load_catalogue
from mhsip.web.forms import DateField, NhsukForm


def _line(
    label: str, hint: str = "", *, max_length: int | None = None, widget=None
) -> forms.CharField:
    """An optional text field (the services say what is required) whose length error names it."""
    messages = {}
    if max_length:
        name = label.removesuffix(" (optional)").rstrip("?")
        messages["max_length"] = f"{name}: keep it to {max_length} characters or fewer"
    return forms.CharField(
        label=label,
        help_text=hint,
        required=False,
        max_length=max_length,
        widget=widget,
        error_messages=messages,
    )


def _text(label: str, hint: str = "", *, max_length: int | None = None) -> forms.CharField:
    return _line(label, hint, max_length=max_length, widget=forms.Textarea)


class ImprovementForm(NhsukForm):
    """A form that says which required answers are missing in the services' own words, along
    with anything it could not read, so that one submission shows every problem."""

    required_messages: dict[str, str] = {}

    def clean(self):
        cleaned = super().clean()
        for name, message in self.required_messages.items():
            if name in self.fields and name not in self.errors and not cleaned.get(name):
                self.add_error(name, message)
        return cleaned


def show_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's errors on the form: by field where the form has it, else at the top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, messages in error.message_dict.items():
        form.add_error(name if name in form.fields else None, messages)


# --- Change ideas and co-design -----------------------------------------------------------------


class ChangeIdeaForm(ImprovementForm):
    required_messages = services.IDEA_FIELDS

    title = _line("Name of the change idea", max_length=200)
    summary = _text("What is the change?", "What people will do differently, and how")
    evidence = _text(
        "Evidence for it (optional)", "What makes the team think it could help, from where"
    )
    source = _line("Source (optional)", "A reference, for example a paper or a toolkit")
    source_url = forms.URLField(
        label="Web address of the source (optional)",
        assume_scheme="https",
        required=False,
        max_length=400,
        error_messages={"invalid": "Enter the web address in full, starting https://"},
    )


ROLE_CHOICES = [
    (ContributorRole.PATIENT.value, "A patient"),
    (ContributorRole.CARER.value, "A carer, relative or friend"),
    (ContributorRole.STAFF.value, "A member of staff"),
    (ContributorRole.OTHER.value, "Someone else"),
]


class ShareIdeaForm(ImprovementForm):
    """What someone without an account shares through a ward's link."""

    required_messages = services.POST_FIELDS
    kind = forms.ChoiceField(
        label="Are you telling us about a problem, or an idea?",
        choices=PostKind.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    title = _line("In a few words, what is it about?", max_length=TITLE_LENGTH)
    body = _text(
        "Tell us more",
        "What happens now, and what would help. Please do not write anyone's name or "
        "anything else that could identify a patient.",
        max_length=BODY_LENGTH,
    )
    author_role = forms.ChoiceField(
        label="Are you…",
        choices=ROLE_CHOICES,
        widget=forms.RadioSelect,
        required=False,
    )
    author_name = _line(
        "Your name (optional)",
        "Leave this empty to share anonymously. If you give it, it may be shown to the ward's "
        "team and with your idea.",
        max_length=120,
    )

    def clean_author_role(self):
        role = self.cleaned_data["author_role"]
        if not role:
            raise ValidationError("Say whether you are a patient, a carer, staff or someone else")
        return role


class PostForm(ImprovementForm):
    required_messages = services.POST_FIELDS

    kind = forms.ChoiceField(
        label="Is it a problem or an idea?",
        choices=PostKind.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    title = _line("In a few words, what is it about?", max_length=TITLE_LENGTH)
    body = _text(
        "Tell us more",
        "Please do not write a patient's name or anything else that could identify them.",
        max_length=BODY_LENGTH,
    )


class CommentForm(ImprovementForm):
    required_messages = services.COMMENT_FIELDS

    body = _text("Add a comment", max_length=BODY_LENGTH)


class ModerateForm(NhsukForm):
    decision = forms.ChoiceField(
        label="Publish this post?",
        choices=[
            ("publish", "Publish it for the ward's team and representatives"),
            ("reject", "Do not publish it"),
        ],  # fmt: skip
        widget=forms.RadioSelect,
        required=False,
    )
    note = _text(
        "Note for the team (optional when publishing)",
        "Why it is not published, or anything the team should know",
        max_length=300,
    )
    conditional_fields = {"decision": {"reject": ["note"]}}

    def clean_decision(self):
        decision = self.cleaned_data["decision"]
        if not decision:
            raise ValidationError("Choose whether to publish the post")
        return decision


class AdoptPostForm(ImprovementForm):
    required_messages = services.IDEA_FIELDS

    title = _line("Name of the change idea", max_length=200)
    summary = _text("What is the change?", "What people will do differently, and how")
    project = forms.ChoiceField(label="Test it in a project (optional)", required=False)

    def __init__(self, *args, projects=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].choices = [("", "Not yet"), *((p.pk, p.title) for p in projects)]


# --- Projects -----------------------------------------------------------------------------------


class ProjectForm(ImprovementForm):
    required_messages = services.PROJECT_FIELDS

    title = _line("Name of the project", "For example, Calmer evenings on Kestrel", max_length=160)
    aim_what = _line(
        "What will you improve?",
        "For example, reduce the use of physical restraint on Kestrel Ward",
        max_length=300,
    )
    aim_how_much = _line(
        "By how much?",
        "With a number, for example by 30%, or from 26 to 18 per 1,000 occupied bed days",
        max_length=200,
    )
    aim_by = DateField(label="By when?", help_text="For example, 31 3 2027")
    status = forms.ChoiceField(
        label="Is the project still going?",
        choices=ProjectStatus.choices,
        widget=forms.RadioSelect,
        required=False,
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not editing:
            del self.fields["status"]

    def clean_aim_how_much(self):
        how_much = self.cleaned_data["aim_how_much"].strip()
        problem = services.how_much_problem(how_much)
        if problem:
            raise ValidationError(problem)
        return how_much


class MemberForm(ImprovementForm):
    required_messages = {"team_role": "Choose their role in the team"}

    user = forms.ChoiceField(label="Person", required=False)
    name = _line(
        "Or the name of someone without an account",
        "For example, a carer who joins the team's meetings",
        max_length=120,
    )
    team_role = forms.ChoiceField(
        label="Role in the team",
        choices=[("", "Choose a role"), *TeamRole.choices],
        required=False,
    )

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [
            ("", "Choose a person"),
            *((p.pk, p.display_name) for p in people),
        ]


class PrimaryDriverForm(ImprovementForm):
    required_messages = {"primary_text": "Enter the driver"}

    primary_text = _line(
        "Add a primary driver",
        "A big thing that has to be right to meet the aim, for example “Patients feel listened to”",
        max_length=200,
    )


class SecondaryDriverForm(ImprovementForm):
    required_messages = {
        "parent": "Choose the primary driver it comes under",
        "secondary_text": "Enter the driver",
    }

    parent = forms.ChoiceField(label="Under the primary driver", required=False)
    secondary_text = _line(
        "Add a secondary driver",
        "Something that makes the primary driver happen, for example "
        "“Staff know each patient's calming strategies”",
        max_length=200,
    )

    def __init__(self, *args, primaries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = [
            ("", "Choose a primary driver"),
            *((d.pk, d.text) for d in primaries),
        ]


def _driver_choices(secondaries, empty: str) -> list:
    return [("", empty), *((d.pk, d.text) for d in secondaries)]


def change_idea_choices(ideas) -> list:
    """Change ideas grouped by theme, for a select with option groups."""
    groups: dict[str, list] = {}
    labels = dict(Theme.choices)
    for idea in ideas:
        groups.setdefault(labels[idea.theme], []).append((idea.pk, idea.title))
    return [("", "Choose a change idea"), *groups.items()]


class ProjectChangeForm(ImprovementForm):
    required_messages = {"change_idea": "Choose a change idea to test"}

    change_idea = forms.ChoiceField(label="Add a change idea to test", required=False)
    driver = forms.ChoiceField(label="Under the secondary driver", required=False)

    def __init__(self, *args, ideas=(), secondaries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["change_idea"].choices = change_idea_choices(ideas)
        self.fields["driver"].choices = _driver_choices(secondaries, "Not under a driver yet")


class ChangeMoveForm(NhsukForm):
    driver = forms.ChoiceField(label="Secondary driver", required=False)

    def __init__(self, *args, secondaries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["driver"].choices = _driver_choices(secondaries, "Not under a driver")


class MeasurePlanForm(NhsukForm):
    """Outcome, process and balancing measures, each chosen from the catalogue's measures."""

    HINTS = {
        MeasureType.OUTCOME: "What the aim is about: did restrictive practice fall?",
        MeasureType.PROCESS: "Are the changes happening as planned?",
        MeasureType.BALANCING: "Is anything getting worse because of the changes?",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        catalogue = load_catalogue().values()
        for kind in MeasureType:
            self.fields[kind.value] = forms.MultipleChoiceField(
                label=f"{kind.value.capitalize()} measures",
                help_text=self.HINTS[kind],
                choices=[(m.id, m.name) for m in catalogue if m.type is kind],
                widget=forms.CheckboxSelectMultiple,
                required=False,
            )

    def measures(self) -> dict[str, list[str]]:
        return {kind.value: self.cleaned_data[kind.value] for kind in MeasureType}


# --- PDSA cycles --------------------------------------------------------------------------------


class CyclePlanForm(ImprovementForm):
    required_messages = {
        **services.PLAN_FIELDS,
        "change": "Choose the change idea this cycle tests",
    }

    change = forms.ChoiceField(label="Which change idea does this cycle test?", required=False)
    question = _text("What are we trying to learn?", "The question this test will answer")
    prediction = _text("What do we predict will happen?", "And why")
    plan_who = _line("Who will carry out the test?", max_length=300)
    plan_what = _text("What will be done?", "On which shifts, how often, with what")
    plan_where = _line("Where?", "For example, the lounge and the quiet room", max_length=300)
    planned_start = DateField(label="The test starts on", help_text="For example, 3 2 2027")
    planned_end = DateField(label="The test ends on", help_text="Most tests last days or weeks")
    data_to_collect = _text(
        "What data will we collect?", "How you will tell whether the prediction came true"
    )
    study_measure = forms.ChoiceField(
        label="Which chart will the Study look at?",
        help_text="A measure from the project's measurement plan",
        required=False,
    )

    def __init__(self, *args, changes=(), measures=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["change"].choices = [
            ("", "Choose a change idea"),
            *((c.pk, str(c)) for c in changes),
        ]
        self.fields["study_measure"].choices = [
            ("", "No chart"),
            *((m.id, m.name) for m in measures),
        ]

    def plan(self) -> dict:
        names = [
            "question",
            "prediction",
            "plan_who",
            "plan_what",
            "plan_where",
            "planned_start",
            "planned_end",
            "data_to_collect",
        ]
        return {name: self.cleaned_data[name] for name in names}


class CycleDoForm(ImprovementForm):
    required_messages = services.DO_FIELDS

    started_on = DateField(label="The test started on")
    ended_on = DateField(label="The test ended on", help_text="Leave empty if it is still going")
    what_happened = _text(
        "What happened?", "What was done, anything unexpected, and the data collected"
    )


class CycleStudyForm(ImprovementForm):
    required_messages = services.STUDY_FIELDS

    result = _text(
        "What do the results show, against the prediction?",
        "Look at the data you collected and at the chart",
    )
    learning = _text("What did we learn? (optional)")


class CycleActForm(ImprovementForm):
    required_messages = services.ACT_FIELDS

    decision = forms.ChoiceField(
        label="What will you do with the change?",
        choices=Decision.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    decided_on = DateField(
        label="Date of the decision",
        help_text="An adopted change is marked on the charts from this date",
    )
    next_steps = _text("Next steps (optional)", "For example, what the next cycle will test")

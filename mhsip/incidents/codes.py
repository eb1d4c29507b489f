"""MHSDS code lists for restrictive interventions (v5/v6; ../shared/docs/domain.md §1.3-1.4)."""

from __future__ import annotations

from django.db import models


class InterventionType(models.TextChoices):
    """MHSDS RestrictiveIntType (MHS515)."""

    PRONE = "01", "Physical restraint - prone"
    MECHANICAL = "04", "Mechanical restraint"
    SECLUSION = "05", "Seclusion"
    SEGREGATION = "06", "Segregation"
    STANDING = "07", "Physical restraint - standing"
    RESTRICTIVE_ESCORT = "08", "Physical restraint - restrictive escort"
    SUPINE = "09", "Physical restraint - supine"
    SIDE = "10", "Physical restraint - side"
    SEATED = "11", "Physical restraint - seated"
    KNEELING = "12", "Physical restraint - kneeling"
    PHYSICAL_OTHER = "13", "Physical restraint - other"
    RAPID_TRANQUILLISATION = "14", "Chemical restraint - injection (rapid tranquillisation)"
    INJECTION_NOT_RT = "15", "Chemical restraint - injection (not rapid tranquillisation)"
    ORAL = "16", "Chemical restraint - oral"
    CHEMICAL_OTHER = "17", "Chemical restraint - other"


class InterventionGroup(models.TextChoices):
    """The Act's kinds of force (s.1), which the measures count separately."""

    PHYSICAL = "physical", "Physical restraint"
    MECHANICAL = "mechanical", "Mechanical restraint"
    SECLUSION = "seclusion", "Seclusion"
    SEGREGATION = "segregation", "Segregation"
    CHEMICAL = "chemical", "Chemical restraint"


_T = InterventionType
GROUP_OF = {
    **dict.fromkeys(
        [
            _T.PRONE,
            _T.STANDING,
            _T.RESTRICTIVE_ESCORT,
            _T.SUPINE,
            _T.SIDE,
            _T.SEATED,
            _T.KNEELING,
            _T.PHYSICAL_OTHER,
        ],
        InterventionGroup.PHYSICAL,
    ),
    _T.MECHANICAL: InterventionGroup.MECHANICAL,
    _T.SECLUSION: InterventionGroup.SECLUSION,
    _T.SEGREGATION: InterventionGroup.SEGREGATION,
    **dict.fromkeys(
        [_T.RAPID_TRANQUILLISATION, _T.INJECTION_NOT_RT, _T.ORAL, _T.CHEMICAL_OTHER],
        InterventionGroup.CHEMICAL,
    ),
}


class Reason(models.TextChoices):
    """MHSDS RestrictiveIntReason (MHS505)."""

    VIOLENCE_TO_OTHERS = "10", "Prevent violence to others"
    SELF_HARM = "11", "Prevent serious intentional self-harm"
    ACCIDENTAL_INJURY = "12", "Prevent serious accidental self-injury"
    MEDICINES = "13", "Lawfully administer medicines or other treatment"
    PERSONAL_CARE = "14", "Facilitate personal care"
    NASOGASTRIC_FEEDING = "15", "Facilitate nasogastric feeding"
    OVER_ACTIVITY = "16", "Prevent extreme and prolonged over-activity"
    DANGEROUS_BEHAVIOUR = "17", "Prevent otherwise dangerous behaviour"
    SEARCH = "18", "Search clothing or property for the safety of others"
    ABSCONDING = "19", "Prevent absconding from lawful custody"
    OTHER = "98", "Other"
    NOT_KNOWN = "99", "Not known"


class Place(models.TextChoices):
    BEDROOM = "bedroom", "Patient's bedroom"
    COMMUNAL = "communal", "Communal area (lounge, dining room)"
    CORRIDOR = "corridor", "Corridor or entrance"
    SECLUSION_ROOM = "seclusion_room", "Seclusion room or extra care area"
    CLINIC_ROOM = "clinic_room", "Clinic or treatment room"
    GARDEN = "garden", "Garden or courtyard"
    BATHROOM = "bathroom", "Bathroom or toilet"
    OFF_WARD = "off_ward", "Off the ward"
    OTHER = "other", "Somewhere else"


class Answer(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_KNOWN = "not_known", "Not known"


class StaffRole(models.TextChoices):
    """What each person did, so the record says how force was used (s.6(2)(f), (h))."""

    HEAD_SUPPORT = "head_support", "Supported the head and led the team"
    UPPER_BODY = "upper_body", "Held the arms or upper body"
    LOWER_BODY = "lower_body", "Held the legs or lower body"
    ADMINISTERED = "administered", "Gave medication"
    ESCORT = "escort", "Escorted the patient"
    SECLUSION = "seclusion", "Started or observed seclusion"
    OBSERVER = "observer", "Observed and monitored the patient's wellbeing"
    OTHER = "other", "Other"

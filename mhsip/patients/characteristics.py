"""Code lists for the characteristics the Use of Force Act asks for (s.6(2)(j)-(l), s.13).

Every list allows "not known" and "not stated": the Act asks for these "if known", and a
characteristic is never guessed.
"""

from django.db import models

NOT_KNOWN = "not_known"
NOT_STATED = "not_stated"


class YesNoUnknown(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_KNOWN = NOT_KNOWN, "Not known"
    NOT_STATED = NOT_STATED, "Not stated"


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    INTERSEX = "intersex", "Intersex"
    NOT_KNOWN = NOT_KNOWN, "Not known"
    NOT_STATED = NOT_STATED, "Not stated"


class GenderIdentity(models.TextChoices):
    SAME_AS_SEX = "same_as_sex", "Same as sex registered at birth"
    WOMAN = "woman", "Woman (including trans woman)"
    MAN = "man", "Man (including trans man)"
    NON_BINARY = "non_binary", "Non-binary"
    OTHER = "other", "Other"
    NOT_KNOWN = NOT_KNOWN, "Not known"
    NOT_STATED = NOT_STATED, "Not stated"


class Ethnicity(models.TextChoices):
    """NHS Data Dictionary ethnic category codes (2001 census), as MHSDS NHSDEthnicity."""

    A = "A", "White - British"
    B = "B", "White - Irish"
    C = "C", "White - Any other White background"
    D = "D", "Mixed - White and Black Caribbean"
    E = "E", "Mixed - White and Black African"
    F = "F", "Mixed - White and Asian"
    G = "G", "Mixed - Any other mixed background"
    H = "H", "Asian or Asian British - Indian"
    J = "J", "Asian or Asian British - Pakistani"
    K = "K", "Asian or Asian British - Bangladeshi"
    L = "L", "Asian or Asian British - Any other Asian background"
    M = "M", "Black or Black British - Caribbean"
    N = "N", "Black or Black British - African"
    P = "P", "Black or Black British - Any other Black background"
    R = "R", "Other ethnic groups - Chinese"
    S = "S", "Other ethnic groups - Any other ethnic group"
    Z = "Z", "Not stated"
    NOT_KNOWN = "99", "Not known"


#: NHS Digital's upper ethnic groups (NHSDEthnicityDim), used for the 5-group breakdowns.
ETHNIC_GROUP = {
    **dict.fromkeys("ABC", "White"),
    **dict.fromkeys("DEFG", "Mixed"),
    **dict.fromkeys("HJKL", "Asian or Asian British"),
    **dict.fromkeys("MNP", "Black or Black British"),
    **dict.fromkeys("RS", "Other ethnic groups"),
    "Z": "Not stated",
    "99": "Not known",
}


class Religion(models.TextChoices):
    NONE = "none", "No religion"
    BUDDHIST = "buddhist", "Buddhist"
    CHRISTIAN = "christian", "Christian"
    HINDU = "hindu", "Hindu"
    JEWISH = "jewish", "Jewish"
    MUSLIM = "muslim", "Muslim"
    SIKH = "sikh", "Sikh"
    OTHER = "other", "Any other religion or belief"
    NOT_KNOWN = NOT_KNOWN, "Not known"
    NOT_STATED = NOT_STATED, "Not stated"


class SexualOrientation(models.TextChoices):
    HETEROSEXUAL = "heterosexual", "Heterosexual or straight"
    GAY_OR_LESBIAN = "gay_or_lesbian", "Gay or lesbian"
    BISEXUAL = "bisexual", "Bisexual"
    OTHER = "other", "Other sexual orientation"
    NOT_KNOWN = NOT_KNOWN, "Not known"
    NOT_STATED = NOT_STATED, "Not stated"


class LegalStatus(models.TextChoices):
    INFORMAL = "informal", "Informal (voluntary)"
    SECTION_2 = "s2", "Detained: Mental Health Act section 2"
    SECTION_3 = "s3", "Detained: Mental Health Act section 3"
    SECTION_4 = "s4", "Detained: Mental Health Act section 4"
    SECTION_5 = "s5", "Detained: section 5(2) or 5(4) holding power"
    SECTION_136 = "s136", "Place of safety: section 135 or 136"
    PART_3 = "part3", "Detained under Part 3 (court or prison: s35-38, s41, s47-49)"
    CTO_RECALL = "cto_recall", "Community treatment order recalled to hospital"
    DOLS = "dols", "Deprivation of Liberty Safeguards or court order"
    NOT_KNOWN = NOT_KNOWN, "Not known"

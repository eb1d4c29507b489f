"""Find words in a case study that may identify a patient, before it is shared with a network.

Pure (standard library only): the web layer passes in the identifiers it knows of (the
provider's patient aliases, and the text's tokens whose keyed hash matches a stored local
identifier) and shows the findings, each with the words quoted and the reason.

    findings = find_identifying(text, known_identifiers=["Ashbury 3F2"])
    for finding in findings: finding.kind, finding.text, finding.reason
    segments = highlight(text, findings)        # [(words, finding or None), ...]

The checker is deliberately cautious: a story can always be told without a date of birth, a
name or a bed number, and a false alarm costs the author a rewording, while a missed identifier
cannot be unpublished from people's memories. What it looks for (ISB 1523's direct identifiers,
and combinations that identify on a ward: domain.md §6):

- NHS numbers: ten digits, with or without spaces or hyphens, that pass the Modulus 11 check
  (NHS Data Dictionary, "NHS Number"); any other run of eight or more digits is flagged too, as
  a hospital number, a mistyped NHS number or a phone number would be.
- Dates of birth: a date (or a year) near "born", "DOB", "date of birth" or "birthday".
- Names: a title and a capitalised name ("Mr Smith", "Dr. Jones"); "patient John"; "a man
  called Tom".
- Identifiers mhsip holds: record references (UOF-000123), the provider's patient aliases and
  local identifiers (passed in), and number-like identifiers after "MRN", "hospital number".
- Combinations: an age ("aged 34", "34-year-old") or a bed or room number in the same sentence
  as a date.
- Contact details: postcodes, phone numbers and e-mail addresses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    kind: str
    text: str
    start: int
    end: int
    reason: str


REASONS = {
    "nhs_number": "This looks like an NHS number (ten digits that pass the NHS number check).",
    "long_number": "A long number like this may be a hospital number, an NHS number or a phone "
    "number.",
    "date_of_birth": "A date of birth (or year of birth) can identify a patient.",
    "name": "This looks like a person's name. Patients must not be named; describe them by "
    "their role instead (“a patient”, “a young man”).",
    "record_reference": "This is a use-of-force record reference, which leads to a patient's "
    "record.",
    "known_identifier": "This matches an identifier mhsip holds for a patient (an alias or a "
    "local identifier).",
    "local_identifier": "This looks like a hospital or record number.",
    "age_with_date": "An age together with a date can identify a patient.",
    "bed_with_date": "A bed or room number together with a date can identify a patient.",
    "postcode": "This looks like a postcode.",
    "phone_number": "This looks like a phone number.",
    "email": "This looks like an e-mail address.",
}

_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
#: A date with a day, a month and a year: 3/4/1990, 1990-04-03, 3rd April 1990, April 3, 1990.
FULL_DATE = re.compile(
    rf"\b(?:{_DAY}[/.-](?:0?[1-9]|1[0-2])[/.-](?:\d{{4}}|\d{{2}})"
    rf"|\d{{4}}-\d{{2}}-\d{{2}}"
    rf"|{_DAY}\s+(?:of\s+)?{_MONTHS}\.?,?\s+\d{{4}}"
    rf"|{_MONTHS}\.?\s+{_DAY},?\s+\d{{4}})\b",
    re.IGNORECASE,
)
#: Any date that names a day: the full dates, and "3 March", "March 3rd", "3/4".
DAY_DATE = re.compile(
    rf"{FULL_DATE.pattern}"
    rf"|\b(?:{_DAY}\s+(?:of\s+)?{_MONTHS}|{_MONTHS}\s+{_DAY}|{_DAY}/(?:0?[1-9]|1[0-2]))\b",
    re.IGNORECASE,
)
YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
BIRTH_WORDS = re.compile(
    r"\b(?:born|d\.?o\.?b\.?|date\s+of\s+birth|birth\s*day|birth\s+date|birthdate)\b",
    re.IGNORECASE,
)
#: Characters either side of a birth word within which a date is taken to be a date of birth.
BIRTH_REACH = 40

_TITLES = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Master|Sir|Dame|Lady|Lord)"
_NAME = r"[A-Z][a-z'’]+(?:-[A-Z][a-z'’]+)?"
TITLED_NAME = re.compile(rf"\b{_TITLES}\.?\s+(?:{_NAME}\s+)?{_NAME}\b")
PATIENT_NAME = re.compile(
    rf"\b(?:[Pp]atients?|[Ss]ervice\s+users?|[Cc]lients?|[Rr]esidents?|[Pp]t)\s+(?P<name>{_NAME})\b"
)
CALLED_NAME = re.compile(
    rf"\b(?:patient|man|woman|boy|girl|person|lady|gentleman|service\s+user|young\s+person)"
    rf"\s+(?:called|named|known\s+as)\s+(?P<name>{_NAME})\b",
    re.IGNORECASE,
)
#: Capitalised words that follow "patient" without being a name ("Patient Safety Collaborative").
NOT_NAMES = {
    "and",
    "or",
    "the",
    "a",
    "an",
    "safety",
    "experience",
    "experiences",
    "representative",
    "representatives",
    "council",
    "forum",
    "group",
    "groups",
    "panel",
    "survey",
    "surveys",
    "voice",
    "voices",
    "leader",
    "leaders",
    "led",
    "involvement",
    "participation",
    "partners",
    "partner",
    "feedback",
    "stories",
    "story",
    "advice",
    "liaison",
    "champions",
    "champion",
    "reported",
    "said",
    "told",
}

RECORD_REFERENCE = re.compile(r"\bUOF-?\s?\d{1,}\b", re.IGNORECASE)
ID_CONTEXT = re.compile(
    r"\b(?:MRN|RiO|hospital\s+(?:no\.?|number)|record\s+(?:no\.?|number)|case\s+(?:no\.?|number)"
    r"|patient\s+(?:id|no\.?|number)|NHS\s+(?:no\.?|number)|PAS\s+(?:no\.?|number)|ID)"
    r"\s*[:#]?\s*(?P<id>[A-Z]{0,4}[-/]?\d[\d\s-]{3,}\d)",
    re.IGNORECASE,
)
#: Letters then digits, as hospital numbers are written (RX4123456, MRN0041237).
CODED_NUMBER = re.compile(r"\b[A-Z]{1,4}\d{6,}\b")
#: Eight or more digits, allowing single spaces or hyphens between groups.
LONG_NUMBER = re.compile(r"(?<![\d,.])\d(?:[ -]?\d){7,}(?![\d,]|\.\d)")

AGE = re.compile(
    r"\b(?:aged?\s*:?\s*\d{1,3}|\d{1,3}\s*-?\s*(?:years?|yrs?)[\s-]*old|\d{1,3}\s*y/?o)\b",
    re.IGNORECASE,
)
BED_OR_ROOM = re.compile(
    r"\b(?:bed|room|bedroom|bay|cubicle)\s*(?:no\.?|number)?\s*\d{1,3}[A-Z]?\b", re.IGNORECASE
)
#: UK postcodes in capitals (the usual way they are written): outward code, space, inward code.
POSTCODE = re.compile(r"\b(?:[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}|GIR\s?0AA)\b")
PHONE = re.compile(r"(?<![\w+])(?:\+44\s?\(0\)\s?|\+44\s?|\(?0)\d{2,4}\)?(?:[\s-]?\d){6,8}(?!\d)")
EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


def nhs_number_valid(digits: str) -> bool:
    """The Modulus 11 check of the NHS number: weights 10 to 2 on the first nine digits; eleven
    minus the remainder is the check digit (11 becomes 0; 10 means no valid number)."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def _finding(kind: str, match: re.Match, group: int | str = 0) -> Finding:
    return Finding(kind, match.group(group), match.start(group), match.end(group), REASONS[kind])


def _numbers(text: str) -> list[Finding]:
    found = []
    for match in LONG_NUMBER.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        kind = "nhs_number" if nhs_number_valid(digits) else "long_number"
        found.append(_finding(kind, match))
    return found


def _dates_of_birth(text: str) -> list[Finding]:
    found = []
    for word in BIRTH_WORDS.finditer(text):
        left, right = max(word.start() - BIRTH_REACH, 0), word.end() + BIRTH_REACH
        window = text[left:right]
        dates = list(DAY_DATE.finditer(window)) or list(YEAR.finditer(window))
        for date in dates:
            found.append(
                Finding(
                    "date_of_birth",
                    date.group(),
                    left + date.start(),
                    left + date.end(),
                    REASONS["date_of_birth"],
                )
            )
    return found


def _names(text: str) -> list[Finding]:
    found = [_finding("name", m) for m in TITLED_NAME.finditer(text)]
    for pattern in (PATIENT_NAME, CALLED_NAME):
        for match in pattern.finditer(text):
            if match.group("name").lower() not in NOT_NAMES:
                found.append(_finding("name", match))
    return found


def _sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for end in SENTENCE_END.finditer(text):
        spans.append((start, end.start()))
        start = end.end()
    spans.append((start, len(text)))
    return spans


def _with_dates(text: str, pattern: re.Pattern, kind: str) -> list[Finding]:
    """Matches of `pattern` in a sentence that also has a date: both are flagged."""
    found = []
    for start, end in _sentences(text):
        sentence = text[start:end]
        hits = list(pattern.finditer(sentence))
        dates = list(DAY_DATE.finditer(sentence))
        if hits and dates:
            for match in hits + dates:
                found.append(
                    Finding(
                        kind,
                        match.group(),
                        start + match.start(),
                        start + match.end(),
                        REASONS[kind],
                    )
                )
    return found


def _identifiers(text: str, known: Iterable[str]) -> list[Finding]:
    found = [_finding("record_reference", m) for m in RECORD_REFERENCE.finditer(text)]
    found += [_finding("local_identifier", m, "id") for m in ID_CONTEXT.finditer(text)]
    found += [_finding("local_identifier", m) for m in CODED_NUMBER.finditer(text)]
    for identifier in {k.strip() for k in known if k and k.strip()}:
        pattern = re.compile(rf"(?<!\w){re.escape(identifier)}(?!\w)", re.IGNORECASE)
        found += [_finding("known_identifier", m) for m in pattern.finditer(text)]
    return found


def _contacts(text: str) -> list[Finding]:
    found = [_finding("email", m) for m in EMAIL.finditer(text)]
    found += [_finding("postcode", m) for m in POSTCODE.finditer(text)]
    found += [_finding("phone_number", m) for m in PHONE.finditer(text)]
    return found


#: When two findings cover the same words, the more specific reason is kept.
PRIORITY = [
    "known_identifier",
    "record_reference",
    "nhs_number",
    "email",
    "phone_number",
    "date_of_birth",
    "local_identifier",
    "postcode",
    "name",
    "age_with_date",
    "bed_with_date",
    "long_number",
]


def find_identifying(text: str, *, known_identifiers: Iterable[str] = ()) -> list[Finding]:
    """Everything in `text` that may identify a patient, in the order it appears; where findings
    overlap, the one with the most specific reason is kept."""
    if not text:
        return []
    candidates = (
        _identifiers(text, known_identifiers)
        + _numbers(text)
        + _dates_of_birth(text)
        + _names(text)
        + _with_dates(text, AGE, "age_with_date")
        + _with_dates(text, BED_OR_ROOM, "bed_with_date")
        + _contacts(text)
    )
    candidates.sort(key=lambda f: (PRIORITY.index(f.kind), f.start, -(f.end - f.start)))
    kept: list[Finding] = []
    for finding in candidates:
        if not any(finding.start < k.end and k.start < finding.end for k in kept):
            kept.append(finding)
    return sorted(kept, key=lambda f: f.start)


def highlight(text: str, findings: list[Finding]) -> list[tuple[str, Finding | None]]:
    """`text` cut into pieces: the words of each finding (with it) and the text between them."""
    pieces: list[tuple[str, Finding | None]] = []
    at = 0
    for finding in sorted(findings, key=lambda f: f.start):
        if finding.start < at:
            continue
        if finding.start > at:
            pieces.append((text[at : finding.start], None))
        pieces.append((text[finding.start : finding.end], finding))
        at = finding.end
    if at < len(text):
        pieces.append((text[at:], None))
    return pieces


#: Tokens that could be a local patient identifier: letters and digits with at least 4 digits.
IDENTIFIER_TOKEN = re.compile(r"\b[A-Za-z]*\d[A-Za-z\d]*\b")


def identifier_candidates(text: str) -> list[str]:
    """Words that might be a patient's local identifier, for the caller to compare with the
    keyed hashes it stores (the identifiers themselves are never stored)."""
    return sorted(
        {
            token
            for token in IDENTIFIER_TOKEN.findall(text or "")
            if sum(c.isdigit() for c in token) >= 4
        }
    )


#: mhsip's made-up patient aliases: a pronounceable word and three hexadecimal digits
#: (`mhsip.patients.pseudonyms.alias_for`, e.g. "Ashbury 3F2").
ALIAS_SHAPE = re.compile(r"\b([A-Za-z]{5,12})\s+([0-9A-Fa-f]{3})\b")


def alias_candidates(text: str) -> list[str]:
    """Words shaped like a patient alias, written as aliases are stored, for the caller to look
    up."""
    return sorted(
        {
            f"{word.capitalize()} {digits.upper()}"
            for word, digits in ALIAS_SHAPE.findall(text or "")
        }
    )

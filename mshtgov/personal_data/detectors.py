"""Rules that find personal data in free text: the detectors behind the screen on every form.

Each rule is a compiled regular expression plus, where a pattern alone would catch too much, a check
on the match (a checksum, a list of words that are never names, a nearby word such as "born").
They are tuned for this domain: operation names, partner and place names, measure codes, acronyms
(NRM, ICTG, PIP2) and meeting dates must pass; a victim's name, date of birth, phone number or
address must not. The corpus in `tests/core/personal_data_corpus.py` measures both.
"""

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    key: str
    what: str  # "a UK phone number"
    instead: str  # how to write it instead


DATE_OF_BIRTH = Kind(
    "date_of_birth",
    "a date of birth",
    "Give an age or age band (such as 'aged 30 to 39') or the case reference, never a date of birth.",
)
PHONE = Kind(
    "phone",
    "a UK phone number",
    "Name the team or organisation to contact (such as 'the MASH duty desk') instead of a number.",
)
EMAIL = Kind(
    "email",
    "an email address",
    "Name the team, role or organisation instead of an email address.",
)
POSTCODE = Kind(
    "postcode",
    "a full postcode",
    "Give the town or the first half of the postcode (such as 'NM1') instead.",
)
ADDRESS = Kind(
    "address",
    "a street address",
    "Give the town or area (such as 'central Northmoor') instead of a house number and street.",
)
NI_NUMBER = Kind(
    "ni_number",
    "a National Insurance number",
    "Use the case reference instead: identity numbers are never recorded here.",
)
NHS_NUMBER = Kind(
    "nhs_number",
    "an NHS number",
    "Use the case reference instead: identity numbers are never recorded here.",
)
VEHICLE = Kind(
    "vehicle",
    "a vehicle registration",
    "Describe the vehicle without its registration (such as 'a white van') or use the case reference.",
)
NAMED_PERSON = Kind(
    "named_person",
    "a named victim, suspect or other person",
    "Use the case reference, not a name (for example 'victim 1 in OP-2026-0142').",
)

KINDS = {
    k.key: k for k in (DATE_OF_BIRTH, PHONE, EMAIL, POSTCODE, ADDRESS, NI_NUMBER, NHS_NUMBER, VEHICLE, NAMED_PERSON)
}


@dataclass(frozen=True)
class Finding:
    kind: Kind
    text: str
    start: int
    end: int


# --- Dates of birth ---------------------------------------------------------------------------------
_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_FULL_DATE = (
    r"(?:\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})"  # 14/03/1991, 14-3-91
    r"|\d{4}-\d{1,2}-\d{1,2}"  # 1991-03-14
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTHS}\.?,?\s+\d{{2,4}}"  # 14th March 1991
    rf"|{_MONTHS}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"  # March 14, 1991
    r"|(?<!\d)\d{6}(?!\d)|(?<!\d)\d{8}(?!\d))"  # 140391, 14031991 (only beside a birth word)
)
_BIRTH_WORD = r"(?:born|birth|d\.?\s?o\.?\s?b\.?|dob|b\.|birthday)"
_LINK_WORDS = r"(?:is|was|on|in|date|of|given\s+as|recorded\s+as)"  # "DOB is 07-12-1999"
_DOB = re.compile(
    rf"\b{_BIRTH_WORD}(?!\w)[\s:.,\-–(]*(?:{_LINK_WORDS}\s+){{0,2}}(?P<a>{_FULL_DATE})"
    rf"|(?P<b>{_FULL_DATE})\s*[(\[,\-–]?\s*\(?(?:{_BIRTH_WORD})\b",
    re.IGNORECASE,
)

# Cheap tests that let most text skip the costlier patterns: a date of birth and the identity numbers
# the identity numbers need six digits, possibly spaced; a date of birth needs a birth word.
_SIX_DIGITS = re.compile(r"\d\W?\d\W?\d\W?\d\W?\d\W?\d")
_BIRTH_HINT = re.compile(r"born|birth|d\.?\s?o\.?\s?b|\bb\.")

# --- Phone numbers: UK mobiles and geographic numbers. Freephone, 03 and 08 numbers belong to
# organisations (the Modern Slavery Helpline is 08000 121 700) and 999/101/111 are services, so they pass.
_PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)\s?44\s?\(?0?\)?\s?|\(?0)(?P<body>[127](?:[\s\-)]{0,2}\d){8,9})(?![\d])",
)

# --- Email addresses ------------------------------------------------------------------------------
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")

# --- Postcodes: the full form (outward + inward code). The outward code alone ("NM1") names a district.
_POSTCODE = re.compile(
    r"\b(?:GIR\s?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-HJKPSTUW\d]?\s?\d[ABD-HJLNP-UW-Z]{2})\b",
    re.IGNORECASE,
)

# "P1 2nd": an ordinal written in lower case after a code is not an inward code.
_ORDINAL_TAIL = re.compile(r"\d(?:st|nd|rd|th)$")

# --- Street addresses: a house number then one or more capitalised words ending in a street word.
_STREET_WORDS = (
    "Road|Rd|Street|Avenue|Ave|Lane|Close|Drive|Way|Crescent|Court|Gardens|Place|Terrace|Grove|"
    "Park|Square|Walk|Mews|Row|Rise|View|Hill|Parade|Green|Vale|Wharf|Yard"
)
_ADDRESS = re.compile(
    rf"\b(?:flat\s+\d+[A-Za-z]?,?\s+)?\d{{1,4}}[A-Za-z]?,?\s+(?:[A-Z][a-z'’]+\s+){{1,3}}(?:{_STREET_WORDS})\b\.?"
)

# "on 5 May Park Road works": a date before a street name is not a house number.
_MONTH_FIRST = re.compile(rf"(?:flat\s+\d+[A-Za-z]?,?\s+)?\d{{1,4}}[A-Za-z]?,?\s+{_MONTHS}\b", re.IGNORECASE)

# --- National Insurance numbers: two letters (not the invalid prefixes), six digits, a letter A-D.
# Q is not issued as a first letter, but the specimen QQ 12 34 56 C is what people type when testing.
_NINO = re.compile(
    r"\b(?:QQ|(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z])\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b",
    re.IGNORECASE,
)

# --- NHS numbers: ten digits with a valid modulus-11 check digit, written 3-3-4 or beside "NHS".
_NHS_SPACED = re.compile(r"(?<![\d\-/])(\d{3})[\s\-](\d{3})[\s\-](\d{4})(?![\d\-/])")
_NHS_CONTIGUOUS = re.compile(r"\bNHS\b\D{0,20}(?<!\d)(\d{10})(?!\d)", re.IGNORECASE)

# --- Vehicle registrations: the current format (AB12 CDE) in capitals; the older prefix and suffix
# formats only beside a vehicle word, since "Q3 NRM" and "PIP2 ABC" look like them.
_VRM_CURRENT = re.compile(r"\b[A-HJ-PR-Y][A-HJ-PR-Y]\d{2}\s?[A-HJ-PR-Z]{3}\b")
_VEHICLE_WORD = r"(?:vehicle|reg(?:istration|istered|\.)?|vrm|index|plate|car|van|lorry|motorbike|taxi)"
_VEHICLE_HINTS = ("vehicle", "reg", "vrm", "index", "plate", "car", "van", "lorry", "motorbike", "taxi")
_VRM_OLD = re.compile(
    rf"\b{_VEHICLE_WORD}\b[^.\n]{{0,25}}?\b(?P<v>[A-Z]\d{{1,3}}\s?[A-Z]{{3}}|[A-Z]{{3}}\s?\d{{1,3}}[A-Z])\b",
    re.IGNORECASE,
)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# --- A person named beside a role word: "victim Jane Smith", "suspect: SMITH", "the child, Amy".
# Role words are matched in any case; the name must be written as one (capitalised, or in capitals).
# Words are found with one cheap pass and a set look-up; the name pattern runs only after a role word,
# which keeps the screen within its time budget on long minutes.
_ROLE_WORDS = _words(
    """
    victim victims suspect suspects child offender offenders witness survivor survivors complainant
    complainants defendant defendants nominal nominals perpetrator perpetrators exploiter exploiters
    trafficker traffickers mother father girl boy woman man brother sister son daughter wife husband
    girlfriend boyfriend pv pvot vot person juvenile minor accused
    """
)
_WORD = re.compile(r"[A-Za-z]+")
_NAME_PART = r"[A-Z][a-z'’]+(?:-[A-Z][a-z'’]+)?|[A-Z]{2,}(?:-[A-Z]{2,})?"
_AFTER_ROLE = re.compile(
    r"(?:\s*[:,(\-–]\s*|\s+)"
    r"(?:(?i:called|named|known as|aka|nicknamed|referred to as)\s+)?['\"‘“]?"
    r"(?:(?:Mr|Mrs|Ms|Miss|Dr|MR|MRS|MS|MISS)\.?\s+)?"
    rf"(?P<name>(?:{_NAME_PART})(?:\s+(?:{_NAME_PART})){{0,2}})"
)
# Capitalised words that follow a role word in ordinary prose of this domain and are not names.
_NOT_NAMES = _words(
    """
    a an the of in on at to for and or but with from by as is was were be been being has had have not no
    any all some each every one two three four five six seven eight nine ten first second third last
    this that these those who whom whose which when where why how was who's it its their there then
    support care services service navigation navigator exploitation sexual criminal labour protection
    safeguarding code unit team hub liaison contact management identification referral referrals
    strategy plan plans voice centre center rights right focus engagement welfare trafficking abuse
    victim victims suspect suspects child children witness witnesses offender offenders survivor survivors
    slavery modern human domestic county lines cse cce nrm ictg ictgs pip pip2 pip3 dtn mash nca cps pnd
    uk gb hmicfrs home office police force officer officers safeguard safe harbour refuge partnership
    partnerships board boards meeting meetings action actions lesson lessons operation operations
    assessment assessments threat threats measure measures objective objectives review reviews pathway
    services' needs need journey journeys experience experiences first-responder responder responders
    statement statements account accounts interview interviews disclosure disclosures consent decision
    decisions outcome outcomes portal form forms recovery reflection period accommodation housing health
    social mental physical legal advice advocate advocates advocacy guardian guardians liaison strategy protocol
    protocols policy policies guidance toolkit training awareness a-z faq notes note see report reports
    recorded record records data information intelligence evidence file files case cases crime crimes
    group groups network networks gang gangs ocg ocgs organised organized named unknown unidentified
    identified potential potentially possible likely reported referred arrested charged convicted
    interviewed supported visited seen found located rescued recovered released detained bailed
    remanded sentenced cautioned
    mr mrs ms miss dr sir
    a b c d e f g h i j k l m n o p q r s t u v w x y z
    """
)


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _nhs_checksum_ok(digits: str) -> bool:
    if len(digits) != 10 or len(set(digits)) == 1:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


_YOUNG = re.compile(r"young\s+$", re.IGNORECASE)


def _named_person(match: re.Match) -> str | None:
    """The name part of "victim Jane Smith", or None when the words after the role are not a name."""
    tokens = match.group("name").split()
    if not tokens:
        return None
    words = [t.strip("'\"‘“’”,.;:").lower() for t in tokens]
    if words[0] in _NOT_NAMES:
        return None
    if tokens[0].isupper() and len(tokens[0]) <= 5 and len(tokens) == 1:
        # "victim NRM", "child ICTG": acronyms; a surname in capitals is usually longer or has a first name.
        return None
    name_words = [w for w in words if w not in _NOT_NAMES]
    return " ".join(tokens[: len(name_words)]) if name_words else None


def find(text: str) -> list[Finding]:
    """Every piece of personal data the rules see in `text`, in the order it appears."""
    if not text:
        return []
    found: list[Finding] = []

    def add(kind, start, end):
        found.append(Finding(kind, text[start:end], start, end))

    lowered = text.lower()
    has_digits = _SIX_DIGITS.search(text) is not None
    if _BIRTH_HINT.search(lowered):
        for m in _DOB.finditer(text):
            add(DATE_OF_BIRTH, m.start(), m.end())
    for m in _PHONE.finditer(text):
        digits = _digits(m.group("body"))
        # 10 digits after the trunk 0 (some small-town numbers have 9).
        if len(digits) in (9, 10) and not (digits.startswith("7") and len(digits) != 10):
            add(PHONE, m.start(), m.end())
    if "@" in text:
        for m in _EMAIL.finditer(text):
            add(EMAIL, m.start(), m.end())
    for m in _POSTCODE.finditer(text):
        if not _ORDINAL_TAIL.search(m.group()):
            add(POSTCODE, m.start(), m.end())
    for m in _ADDRESS.finditer(text):
        if not _MONTH_FIRST.match(m.group()):
            add(ADDRESS, m.start(), m.end())
    if has_digits:
        for m in _NINO.finditer(text):
            add(NI_NUMBER, m.start(), m.end())
        for m in _NHS_SPACED.finditer(text):
            if _nhs_checksum_ok("".join(m.groups())):
                add(NHS_NUMBER, m.start(), m.end())
        if "nhs" in lowered:
            for m in _NHS_CONTIGUOUS.finditer(text):
                if _nhs_checksum_ok(m.group(1)):
                    add(NHS_NUMBER, m.start(1), m.end(1))
    for m in _VRM_CURRENT.finditer(text):
        add(VEHICLE, m.start(), m.end())
    if any(word in lowered for word in _VEHICLE_HINTS):
        for m in _VRM_OLD.finditer(text):
            add(VEHICLE, m.start("v"), m.end("v"))
    for word in _WORD.finditer(text):
        role = word.group().lower()
        if role not in _ROLE_WORDS or (
            role == "person" and not _YOUNG.search(text[max(0, word.start() - 12) : word.start()])
        ):
            continue
        m = _AFTER_ROLE.match(text, word.end())
        if m and _named_person(m):
            add(NAMED_PERSON, word.start(), m.end())
    found.sort(key=lambda f: (f.start, -f.end))
    # One finding per stretch of text: a date of birth is not also reported as a phone number.
    kept: list[Finding] = []
    for f in found:
        if kept and f.start < kept[-1].end:
            continue
        kept.append(f)
    return kept

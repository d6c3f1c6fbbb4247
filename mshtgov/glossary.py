"""Plain words: the one list of abbreviations the service uses, and their expansion on first use.

Every page is passed through `expand_first_uses` (by `GlossaryMiddleware`): inside `<main>`, the first
time an abbreviation appears its expansion is written out in the text ("National Referral Mechanism
(<abbr>NRM</abbr>)"); later uses stay plain, as GOV.UK style has them. Doing it once on the rendered page, rather
than in each template, means a new page, a record's own text or a label built in Python are covered
too, and "first use" is the first use on the page whatever template wrote it. The glossary page lists
the same terms. The board pack calls `expand_first_uses` on its HTML before rendering the PDF.
"""

import bisect
import functools
import itertools
import re
from collections.abc import Iterator

from django.utils.html import escape

# Abbreviation -> expansion, as a reader outside policing would need it. Keep in alphabetical order. The
# national strategies (SPR, SOC, NPS, PRAP, VAWG) are named as in strategy/reference/national_strategies.py.
TERMS: dict[str, str] = {
    "4P": "Pursue, Prevent, Protect and Prepare",
    "CPS": "Crown Prosecution Service",
    "DtN": "Duty to Notify",
    "HMICFRS": "His Majesty's Inspectorate of Constabulary and Fire & Rescue Services",
    "ICTG": "Independent Child Trafficking Guardian",
    "MASH": "Multi-Agency Safeguarding Hub",
    "MoRiLE": "Management of Risk in Law Enforcement",
    "MSHT": "modern slavery and human trafficking",
    "NCA": "National Crime Agency",
    "NPS": "Slavery and Trafficking National Policing Standards",
    "NRM": "National Referral Mechanism",
    "PCC": "police and crime commissioner",
    "PIP2": "Professionalising Investigation Programme level 2",
    "PND": "Police National Database",
    "PRAP": "Police Race Action Plan",
    "RAG": "red, amber, green status",
    "SOC": "serious and organised crime",
    "SPR": "Strategic Policing Requirement",
    "VAWG": "violence against women and girls",
}

# Common slips in data and labels: the lower-case form of an abbreviation used as a word ("decline nrm").
_SLIPS = {"nrm": "NRM", "dtn": "DtN", "ictg": "ICTG", "pcc": "PCC", "msht": "MSHT", "mash": "MASH", "cps": "CPS"}

# A whole word: not inside a longer word, a code ("nrm-referrals"), a path or an entity ("&amp;");
# a full stop after it ends the sentence unless a letter follows ("NRM.x").
_AFTER = r"(?![A-Za-z0-9/_-]|\.[A-Za-z0-9])"
# No look-behind in the patterns: a pattern that starts with alternatives of plain words lets the regex
# engine skip ahead to their first letters (fast on a 200 KB page); the character before is checked in
# Python, and only where a candidate was found.
_BEFORE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789&;/._-")
_TERM_RE = re.compile("(?:" + "|".join(re.escape(t) for t in sorted(TERMS, key=len, reverse=True)) + ")" + _AFTER)
_SLIP_RE = re.compile("(" + "|".join(_SLIPS) + ")" + _AFTER)


def _whole_word(match) -> bool:
    start = match.start()
    return start == 0 or match.string[start - 1] not in _BEFORE


# Tags whose text is not prose: abbreviations there are left alone (an <option> cannot hold <abbr>). Text
# only screen readers hear (`govuk-visually-hidden` spans) is left alone too, so the words are written
# out where everyone reads them.
# The names of links, buttons and form labels stay as written too: they are what people (and tests)
# find them by, and a link reads better short; the first use in the page's prose is expanded instead.
_SKIP = (
    "script",
    "style",
    "title",
    "abbr",
    "option",
    "textarea",
    "code",
    "pre",
    "select",
    "svg",
    "a",
    "button",
    "label",
    "legend",
    "summary",
)
_BLOCKS = frozenset(
    {
        "p",
        "div",
        "li",
        "dt",
        "dd",
        "td",
        "th",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "caption",
        "label",
        "legend",
        "summary",
        "section",
        "header",
        "footer",
        "br",
    }
)
# Any abbreviation or slip at all: tokens (and pages) without one are passed over at once.
_ANY_RE = re.compile(_TERM_RE.pattern + "|" + _SLIP_RE.pattern)
_NEEDLES = (*TERMS, *_SLIPS)
_TOKEN_RE = re.compile(r"(<!--.*?-->|<[^>]*>)", re.S)
_TAG_NAME_RE = re.compile(r"<\s*(/?)\s*([a-zA-Z0-9]+)")


def terms() -> list[tuple[str, str]]:
    return sorted(TERMS.items(), key=lambda item: item[0].lower())


def fix_slips(text: str) -> str:
    """ "for those who decline nrm" -> "for those who decline NRM"."""
    return _SLIP_RE.sub(lambda m: _SLIPS[m.group(1)] if _whole_word(m) else m.group(0), text)


def _starts_sentence(before: str) -> bool:
    """Whether a word after `before` (the page's text so far) starts a sentence, a heading or a cell."""
    before = before.rstrip()
    return not before or before.endswith((".", "!", "?", ":"))


def _abbr(term: str) -> str:
    return f'<abbr title="{escape(TERMS[term])}">{term}</abbr>'


@functools.lru_cache(maxsize=2048)
def _tag(token: str) -> tuple[str, bool, bool, bool]:
    """(name, closing, self-closing, visually hidden) of a tag token; pages repeat the same few tags."""
    match = _TAG_NAME_RE.match(token)
    if not match:
        return ("", False, False, False)
    return (match.group(2).lower(), bool(match.group(1)), token.endswith("/>"), "visually-hidden" in token)


def _text_before(out: list[str], token_start: str) -> str:
    """The text of the current paragraph, cell or heading before a match (tags stripped): looked at only
    on an abbreviation's first use, so the per-token loop stays cheap."""
    parts = [token_start]
    for piece in reversed(out):
        if piece.startswith("<"):
            if _tag(piece)[0] in _BLOCKS:
                break
            continue
        parts.append(piece)
        if sum(len(p) for p in parts) > 200:
            break
    return "".join(reversed(parts))


def _may_change(html: str) -> bool:
    """Whether `html` holds an abbreviation or a slip as a whole word anywhere (tags included, so this may say
    yes where the walk changes nothing, never no where it would change something). Found by substring search
    and checked where found: a word that only contains one ("mshtgov.accesslog" in every row of the access
    log) no longer sends the page through the walk (issue 15), and a regular expression over the page is
    slower than these searches."""
    for needle in _NEEDLES:
        at = html.find(needle)
        while at >= 0:
            match = _ANY_RE.match(html, at)
            if match and _whole_word(match):
                return True
            at = html.find(needle, at + 1)
    return False


def expand_first_uses(html: str, *, within: str = "main") -> str:
    """`html` with the first use of every abbreviation of TERMS inside <`within`> expanded in words.
    Only text between tags is touched; attributes, scripts, options and existing <abbr>s are left alone.
    `within=""` treats the whole of `html` as the page body (a PDF's HTML)."""
    if within:
        start = html.find(f"<{within}")
        end = html.rfind(f"</{within}>")
        if start < 0 or end < 0:
            return html
        return html[:start] + _expanded_with_tokens(html[start:end]) + html[end:]
    # Nothing to expand or fix: a page without any costs a few substring searches, made over its text alone (the
    # walk below changes nothing inside a tag, and a tag read as a space ends a word as the walk's tokens do): a
    # list's markup is two thirds of it (issue 15: the access log's 28 KB page, 50 rows, searched 26 times).
    text = _TOKEN_RE.sub(" ", html)
    if not _may_change(text):
        return html
    seen: set[str] = set()
    tokens = _TOKEN_RE.split(html)
    # The walk visits only the texts holding an abbreviation or a slip: between two of them, the tokens are copied
    # as they are and only their tags are read, for which elements the next text is inside (issue 15: a long list
    # with an abbreviation in a few rows, the access log, was walked tag by tag and cell by cell, two
    # milliseconds a view, though all but those rows were copied unchanged).
    out: list[str] = []
    skipping: list[str] = []
    copied = 0
    # Once every abbreviation the page holds has had its first use, the rest of the page needs only its slips
    # fixed; with none in its text, it is copied as it is (a long register repeats "ICTG" in every row). The text
    # is read with every tag as a space, so a slip the walk would fix in any one cell is found here too.
    present = {match.group(0) for match in _TERM_RE.finditer(text) if _whole_word(match)}
    lengths = list(map(len, tokens))
    lengths[1::2] = itertools.repeat(1, len(lengths) // 2)  # the tags, each one space in `text`
    ends = [0, *itertools.accumulate(lengths)]  # where each token starts in `text`, and where the last ends
    may_stop = True
    for index in _candidates(text, tokens, ends):
        if may_stop and seen >= present:
            may_stop = False
            if not any(_whole_word(m) for m in _SLIP_RE.finditer(text, ends[copied])):
                out.extend(tokens[copied:])
                return "".join(out)
        for tag in tokens[copied:index]:
            if tag and tag[0] == "<":
                _follow_tag(tag, skipping)
        out.extend(tokens[copied:index])
        copied = index + 1
        token = tokens[index]
        if skipping:
            out.append(token)
            continue
        token = fix_slips(token)

        def mark(match, _token=token):
            term = match.group(0)
            if term in seen or not _whole_word(match):
                return term  # later uses stay plain: the reader has had the words once
            seen.add(term)
            before = _text_before(out, _token[: match.start()])
            if before.rstrip(" (").lower().endswith(TERMS[term].lower()):
                return _abbr(term)  # "National Referral Mechanism (NRM)" written out already
            words = TERMS[term]
            if _starts_sentence(before):
                words = words[0].upper() + words[1:]
            return f"{escape(words)} ({_abbr(term)})"

        out.append(_TERM_RE.sub(mark, token) if len(seen) < len(TERMS) else token)
    out.extend(tokens[copied:])
    return "".join(out)


def _follow_tag(token: str, skipping: list[str]) -> None:
    """Keeps `skipping` (the elements the walk is inside whose text is left alone) up to date past a tag."""
    name, closing, self_closing, hidden = _tag(token)
    if name in _SKIP or (name == "span" and (hidden or "span" in skipping)):
        if closing:
            if name in skipping:
                skipping.remove(name)
        elif not self_closing:
            skipping.append(name)


def _candidates(text: str, tokens: list[str], starts: list[int]) -> Iterator[int]:
    """The indices, in order, of the text tokens (not tags) in which the walk's search (`_ANY_RE`) finds
    something, found by one search of `text`: the page with each tag read as one space (`_TOKEN_RE.sub`), so a
    position in it names its token. An abbreviation holds no space, so a match lies within one text token, and
    it is one that token's own search finds (a space after a text token ends a word as the token's end does).
    Found as the walk asks: a walk that stops early searches no further. `starts`: where each token starts in
    `text`."""
    last = -1
    for match in _ANY_RE.finditer(text):
        index = bisect.bisect_right(starts, match.start()) - 1
        token = tokens[index]
        if index != last and index % 2 == 0 and token and token[0] != "<":
            last = index
            yield index


# The value of a form's CSRF token: masked afresh on every response, so a body holding one differs on every view.
_TOKEN_VALUE_RE = re.compile(r'(<input type="hidden" name="csrfmiddlewaretoken" value=")([^"]*)(")')
_NO_TOKEN = '<input type="hidden" name="csrfmiddlewaretoken" value=""'  # noqa: S105 - markup, not a secret


def _expanded_with_tokens(body: str) -> str:
    """`_expanded_body`, with any CSRF token taken out for the lookup and put back after: the walk never changes
    an attribute, so the tokens come back in their places, in order (issue 15: a form page served from the cache
    was walked on every view for its token alone, two fifths of an operation's edit page)."""
    tokens = [match.group(2) for match in _TOKEN_VALUE_RE.finditer(body)]
    if not tokens:
        return _expanded_body(body)
    pieces = _expanded_body(_TOKEN_VALUE_RE.sub(r"\1\3", body)).split(_NO_TOKEN)
    if len(pieces) != len(tokens) + 1:  # cannot happen (attributes are never touched): walk it as it is
        return _expanded_body(body)
    out = [pieces[0]]
    for token, piece in zip(tokens, pieces[1:], strict=True):
        out.append(f'{_NO_TOKEN[:-1]}{token}"{piece}')
    return "".join(out)


# A page served from the cache has the same body on every view (its layout, drawn live, is outside <main>):
# the body's expansion is kept too, per process, rather than walked again on each view (issue 15: on the
# dashboard the walk was a sixth of the request). Pure: the result depends on the text and TERMS only.
@functools.lru_cache(maxsize=64)
def _expanded_body(body: str) -> str:
    return expand_first_uses(body, within="")


def _expansion_re(term: str) -> re.Pattern:
    words = escape(TERMS[term])
    first = re.escape(words[0].upper()) + re.escape(words[0].lower())
    return re.compile(f'[{first}]{re.escape(words[1:])} \\(<abbr title="[^"]*">{re.escape(term)}</abbr>\\)')


_EXPANSIONS = [(term, _expansion_re(term)) for term in TERMS]
_ABBR_RE = re.compile(r'<abbr title="[^"]*">([^<]+)</abbr>')


def plain_words(html: str) -> str:
    """`html` as written before `expand_first_uses`: "National Referral Mechanism (<abbr>NRM</abbr>)" back to
    "NRM". For comparing a page's text with what was typed (tests, search)."""
    for term, pattern in _EXPANSIONS:
        html = pattern.sub(term, html)
    return _ABBR_RE.sub(r"\1", html)


class GlossaryMiddleware:
    """Expands abbreviations on first use on every HTML page (see the module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code == 200
            and not getattr(response, "streaming", False)
            and response.get("Content-Type", "").startswith("text/html")
            and not response.get("Content-Disposition")
        ):
            charset = response.charset or "utf-8"
            html = response.content.decode(charset)
            new = expand_first_uses(html)
            if new is not html:
                response.content = new.encode(charset)
                if response.has_header("Content-Length"):
                    response["Content-Length"] = str(len(response.content))
        return response

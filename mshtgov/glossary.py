"""Plain words: the one list of abbreviations the service uses, and their expansion on first use.

Every page is passed through `expand_first_uses` (by `GlossaryMiddleware`): inside `<main>`, the first
time an abbreviation appears its expansion is written out in the text ("National Referral Mechanism
(<abbr>NRM</abbr>)"); later uses stay plain, as GOV.UK style has them. Doing it once on the rendered page, rather
than in each template, means a new page, a record's own text or a label built in Python are covered
too, and "first use" is the first use on the page whatever template wrote it. The glossary page lists
the same terms. The board pack calls `expand_first_uses` on its HTML before rendering the PDF.
"""

import re

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
_WORD = r"(?<![A-Za-z0-9&;/._-]){}" + _AFTER
_TERM_RE = re.compile("|".join(_WORD.format(re.escape(t)) for t in sorted(TERMS, key=len, reverse=True)))
_SLIP_RE = re.compile(r"(?<![A-Za-z0-9&;/._-])(" + "|".join(_SLIPS) + r")" + _AFTER)
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
_TOKEN_RE = re.compile(r"(<!--.*?-->|<[^>]*>)", re.S)
_TAG_NAME_RE = re.compile(r"<\s*(/?)\s*([a-zA-Z0-9]+)")


def terms() -> list[tuple[str, str]]:
    return sorted(TERMS.items(), key=lambda item: item[0].lower())


def fix_slips(text: str) -> str:
    """ "for those who decline nrm" -> "for those who decline NRM"."""
    return _SLIP_RE.sub(lambda m: _SLIPS[m.group(1)], text)


def _starts_sentence(before: str) -> bool:
    """Whether a word after `before` (the page's text so far) starts a sentence, a heading or a cell."""
    before = before.rstrip()
    return not before or before.endswith((".", "!", "?", ":"))


def _abbr(term: str) -> str:
    return f'<abbr title="{escape(TERMS[term])}">{term}</abbr>'


def expand_first_uses(html: str, *, within: str = "main") -> str:
    """`html` with the first use of every abbreviation of TERMS inside <`within`> expanded in words.
    Only text between tags is touched; attributes, scripts, options and existing <abbr>s are left alone.
    `within=""` treats the whole of `html` as the page body (a PDF's HTML)."""
    if within:
        start = html.find(f"<{within}")
        end = html.rfind(f"</{within}>")
        if start < 0 or end < 0:
            return html
        return html[:start] + expand_first_uses(html[start:end], within="") + html[end:]
    seen: set[str] = set()
    skipping: list[str] = []
    out = []
    recent = ""  # the text just before, to spot an expansion the author already wrote
    for token in _TOKEN_RE.split(html):
        if token.startswith("<"):
            match = _TAG_NAME_RE.match(token)
            if match and match.group(2).lower() in _BLOCKS:
                recent = ""  # a new paragraph, cell or heading starts a sentence
            hidden = match and match.group(2).lower() == "span" and ("visually-hidden" in token or "span" in skipping)
            if match and (match.group(2).lower() in _SKIP or hidden) and not token.endswith("/>"):
                name = match.group(2).lower()
                if match.group(1):
                    if name in skipping:
                        skipping.remove(name)
                else:
                    skipping.append(name)
            out.append(token)
            continue
        if skipping or not token.strip():
            out.append(token)
            recent = (recent + token)[-200:]
            continue
        token = fix_slips(token)

        def mark(match, _token=token, _recent=recent):
            term = match.group(0)
            if term in seen:
                return term  # later uses stay plain: the reader has had the words once
            seen.add(term)
            before = (_recent + _token[: match.start()]).rstrip(" (").lower()
            if before.endswith(TERMS[term].lower()):
                return _abbr(term)  # "National Referral Mechanism (NRM)" written out already
            words = TERMS[term]
            if _starts_sentence(_recent + _token[: match.start()]):
                words = words[0].upper() + words[1:]
            return f"{escape(words)} ({_abbr(term)})"

        marked = _TERM_RE.sub(mark, token)
        out.append(marked)
        recent = (recent + token)[-200:]
    return "".join(out)


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

"""Plain words (issue 13): every abbreviation expanded in words on its first use on a page, marked <abbr>
after that, from the one glossary that the glossary page (linked from every footer) lists."""

import pytest

from mshtgov.glossary import TERMS, expand_first_uses

ISSUE_TERMS = (
    "NRM",
    "DtN",
    "ICTG",
    "PIP2",
    "SPR",
    "SOC",
    "NPS",
    "PRAP",
    "VAWG",
    "PND",
    "MASH",
    "CPS",
    "PCC",
    "MoRiLE",
    "4P",
)


def test_first_use_is_written_out_and_later_uses_stay_plain():
    html = "<main><p>NRM referrals rose.</p><p>Each NRM referral counts.</p></main>"
    out = expand_first_uses(html)
    assert out.count("National Referral Mechanism (<abbr") == 1
    assert out.startswith('<main><p>National Referral Mechanism (<abbr title="National Referral Mechanism">NRM</abbr>)')
    assert out.endswith("<p>Each NRM referral counts.</p></main>")


def test_a_sentence_starts_with_a_capital_and_mid_sentence_keeps_lower_case():
    out = expand_first_uses("<main><dt>PCC briefed</dt><p>Ask the PCC.</p></main>", within="main")
    assert "<dt>Police and crime commissioner (<abbr" in out
    out = expand_first_uses("<main><p>Ask the PCC.</p></main>")
    assert "Ask the police and crime commissioner (<abbr" in out


def test_attributes_options_scripts_and_text_outside_main_are_left_alone():
    html = (
        '<title>NRM</title><header>MSHT Governance</header><main><a href="/x?nrm=1" title="NRM">go</a>'
        "<select><option>NRM</option></select><script>var NRM;</script><p>NRM</p></main><footer>NRM</footer>"
    )
    out = expand_first_uses(html)
    assert "<title>NRM</title>" in out and "<header>MSHT Governance</header>" in out
    assert 'href="/x?nrm=1" title="NRM"' in out and "<option>NRM</option>" in out and "var NRM;" in out
    assert "<p>National Referral Mechanism (<abbr" in out and "<footer>NRM</footer>" in out


def test_an_expansion_already_written_is_not_repeated_and_lower_case_slips_are_fixed():
    out = expand_first_uses(
        "<main><p>National Referral Mechanism (NRM) referrals; for those who decline nrm</p></main>"
    )
    assert out.count("National Referral Mechanism (") == 1
    assert "decline NRM" in out


def test_words_containing_an_abbreviation_are_not_touched():
    out = expand_first_uses("<main><p>SOCIAL care, PCCs, the NRM-referrals code, 4Ps</p></main>")
    assert "<abbr" not in out


def test_every_abbreviation_of_the_issue_is_in_the_glossary():
    assert set(ISSUE_TERMS) <= set(TERMS)


@pytest.mark.django_db
def test_glossary_page_lists_every_term_and_the_footer_links_to_it(client_for):
    client = client_for("pcc")
    body = client.get("/glossary/").content.decode()
    for term in ISSUE_TERMS:
        assert '<abbr title="' in body and f">{term}</abbr></dt>" in body
    assert 'href="/glossary/"' in client.get("/").content.decode()


@pytest.mark.django_db
def test_the_dashboard_writes_each_abbreviation_out_once(client_for):
    from tests.strategy.factories import ForceStrategyFactory

    ForceStrategyFactory()
    body = client_for("leader").get("/dashboard/strategy-status/").content.decode()
    main = body[body.index("<main") : body.index("</main>")]
    assert main.count("olice and crime commissioner (<abbr") == 1


def test_words_are_written_out_where_everyone_reads_them_not_in_hidden_text():
    hidden = '<span class="govuk-visually-hidden"> MSHT <span>x</span> incidents</span>'
    html = f'<main><a href="/n">24{hidden}</a> MSHT incidents</main>'
    out = expand_first_uses(html)
    assert hidden in out
    assert "</a> modern slavery and human trafficking (<abbr" in out


def test_a_long_page_copies_its_rest_once_every_abbreviation_had_its_first_use_yet_fixes_a_late_slip():
    rows = "".join(f"<tr><td>ICTG referral {n}</td><td>NRM</td></tr>" for n in range(300))
    page = f"<main><p>The ICTG and NRM.</p><table>{rows}</table>{{tail}}</main>"
    clean = expand_first_uses(page.format(tail="<p>Done.</p>"))
    assert clean.count("<abbr") == 2  # each written out once, in the paragraph
    assert clean.endswith(f"<table>{rows}</table><p>Done.</p></main>")  # the rest as it was
    slipped = expand_first_uses(page.format(tail="<p>Those who decline nrm.</p>"))
    assert slipped.endswith("<p>Those who decline NRM.</p></main>")
    in_a_link = expand_first_uses(page.format(tail='<p><a href="/partnerships/ictg/">see ictg</a></p>'))
    assert in_a_link.endswith('<p><a href="/partnerships/ictg/">see ictg</a></p></main>')  # link text kept


def test_a_body_seen_again_is_expanded_the_same_without_walking_it_again():
    """A page served from the cache has the same body on every view: its expansion is kept, and a page whose
    body differs (another reader's, a changed record) is expanded on its own."""
    from mshtgov import glossary

    glossary._expanded_body.cache_clear()
    page = "<html><header>NRM</header><main><p>An NRM referral, then another NRM.</p></main></html>"
    first, again = glossary.expand_first_uses(page), glossary.expand_first_uses(page)
    assert first == again
    assert first.count("<abbr") == 1 and "<header>NRM</header>" in first  # the first use in the body only
    assert glossary._expanded_body.cache_info().hits == 1
    other = glossary.expand_first_uses(page.replace("referral", "decision"))
    assert "NRM</abbr>) decision" in other and glossary._expanded_body.cache_info().misses == 2


def test_a_page_whose_abbreviations_are_only_inside_longer_words_is_passed_over_unwalked(monkeypatch):
    """The access log names "mshtgov.accesslog" in every row (issue 15): a word holding "msht" is not a use of
    MSHT, so such a page is returned as it is without the walk; a real use anywhere still sends it through."""
    from mshtgov import glossary

    rows = "".join(f"<tr><td>Access log search<br><span>mshtgov.accesslog {i}</span></td></tr>" for i in range(50))
    page = f"<main><table>{rows}</table></main>"
    walked = []
    monkeypatch.setattr(glossary, "_TOKEN_RE", _Spy(glossary._TOKEN_RE, walked))
    assert expand_first_uses(page, within="") == page and not walked
    with_use = page.replace("Access log search", "NRM referral", 1) + "<p>pcc.</p>"
    out = expand_first_uses(with_use, within="")
    assert walked and "National Referral Mechanism (<abbr" in out
    assert '(<abbr title="police and crime commissioner">PCC</abbr>)' in out  # the slip fixed, then written out
    assert out.count("mshtgov.accesslog") == 50


class _Spy:
    def __init__(self, pattern, calls):
        self.pattern, self.calls = pattern, calls

    def split(self, *args):
        self.calls.append("split")
        return self.pattern.split(*args)

    def sub(self, *args):
        return self.pattern.sub(*args)


def test_a_form_body_is_expanded_once_whatever_its_csrf_tokens():
    """A form page served from the cache differs on each view only by its CSRF tokens: its expansion is kept
    (issue 15), and each view gets its own tokens back, in their places."""
    from mshtgov import glossary

    def page(first, second):
        return (
            '<main><p>Refer to the NRM.</p><form method="post">'
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{first}"><p>NRM and MSHT</p>'
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{second}"></form></main>'
        )

    glossary._expanded_body.cache_clear()
    one, two = glossary.expand_first_uses(page("aaa111", "bbb222")), glossary.expand_first_uses(page("ccc", "ddd"))
    assert glossary._expanded_body.cache_info().hits == 1  # the second view's body walked no more
    assert one.count("National Referral Mechanism (<abbr") == 1 and "modern slavery and human trafficking (<abbr" in one
    assert one.replace("aaa111", "ccc").replace("bbb222", "ddd") == two
    assert one.index('value="aaa111"') < one.index('value="bbb222"')


def test_a_term_between_tags_is_found_and_one_inside_a_tag_is_not():
    """The page is first searched over its text alone (tags read as spaces; issue 15): a term right next to a tag
    is still a whole word there, and a term only inside an attribute or a longer word leaves the page as it is."""
    from mshtgov.glossary import expand_first_uses

    page = '<table><tr><td>NRM</td><td class="nrm-referrals">mshtgov.accesslog</td></tr></table>'
    assert "National Referral Mechanism (<abbr" in expand_first_uses(page, within="")
    untouched = '<table><tr><td data-kind="NRM">x</td><td class="nrm-referrals">mshtgov.accesslog</td></tr></table>'
    assert expand_first_uses(untouched, within="") is untouched


def test_the_first_use_deep_in_a_long_table_is_written_out_where_it_stands():
    """The walk starts at the first text holding an abbreviation (issue 15): uses before it in a link, a hidden
    span, an attribute or a longer word are passed over as the full walk passed them, and the elements it
    starts inside are known."""
    rows = "".join(
        f'<tr><td class="govuk-table__cell">Lesson {i}<br><span class="govuk-hint">x</span></td></tr>'
        for i in range(60)
    )
    html = (
        '<main><a href="/nrm/">NRM referrals</a><span class="govuk-visually-hidden">NRM</span>'
        f'<p title="NRM">Counts of ictgreferral rows</p><table>{rows}'
        "<tr><td>NRM referral 7</td></tr><tr><td>NRM referral 8, pcc asked</td></tr>"
        '<tr><td><a href="/x">MASH <select><option>MASH</option></select></a> then MASH</td></tr></table></main>'
    )
    out = expand_first_uses(html)
    assert out.count("National Referral Mechanism (") == 1
    assert (
        '<td>National Referral Mechanism (<abbr title="National Referral Mechanism">NRM</abbr>) referral 7</td>' in out
    )
    assert (
        "<td>NRM referral 8, police and crime commissioner (" in out
    )  # later uses plain; a slip fixed, then written out
    assert '<a href="/x">MASH <select><option>MASH</option></select></a> then Multi-Agency Safeguarding Hub (' in out
    assert out.startswith('<main><a href="/nrm/">NRM referrals</a><span class="govuk-visually-hidden">NRM</span>')

"""Gather a meeting's snapshot and turn it into the pack's HTML (the PDF is made from this HTML).

Kept apart from rendering so the benchmark can time WeasyPrint alone on exactly the same HTML.
"""

import base64
import logging
import mimetypes
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from governance import linkables
from governance.models import AgendaItem, Attendance, BoardPack, Decision, Meeting, Paper
from governance.packs import binding, summary
from governance.packs import since as since_registry
from governance.packs.audience import audience_for
from governance.packs.sections import chosen_sections
from governance.selectors import action_changes, board_action_log, previous_meeting
from mshtgov import panels, records
from mshtgov.figures import collect as collect_figures
from mshtgov.marking import Marking, highest
from mshtgov.periods import Period

log = logging.getLogger(__name__)
TEMPLATE = "governance/pdf/board_pack.html"


@dataclass
class ComposedPack:
    html: str
    marking: str
    title: str
    sources: dict = field(default_factory=dict)
    warnings: list = field(default_factory=list)
    built_for: str = ""
    appendices: list = field(default_factory=list)  # governance.packs.binding.Appendix, bound after rendering
    figures: list = field(default_factory=list)  # mshtgov.figures.Figure in the panels, as gathered for its readers


@dataclass
class _Collector:
    markings: list = field(default_factory=list)
    sources: dict = field(default_factory=dict)
    warnings: list = field(default_factory=list)

    def mark(self, *items):
        for item in items:
            self.markings.append(item if isinstance(item, str) else getattr(item, "marking", None))

    def source(self, kind, *ids):
        self.sources.setdefault(kind, []).extend(ids)


def _agenda(meeting, audience, collect):
    """The agenda, each item's covered records named only if every reader may open them (one query per
    reader and kind linked); the others counted."""
    items = list(
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("presenter")
        .prefetch_related("links", "papers")
        .order_by("position", "id")
    )
    pairs = [(link.content_type_id, link.object_id) for item in items for link in item.links.all()]
    seen_by_all = None
    for reader in audience.readers if pairs else ():
        seen = linkables.visible_records(pairs, reader)
        seen_by_all = seen if seen_by_all is None else {key: obj for key, obj in seen_by_all.items() if key in seen}
    seen_by_all = seen_by_all or {}
    for item in items:
        item.covered = linkables.Covered()
        for link in item.links.all():
            obj = seen_by_all.get((link.content_type_id, link.object_id))
            if obj is None:
                item.covered.hidden += 1
            else:
                item.covered.shown.append((records.describe(obj), records.marking_of(obj)))
    return items


def _previous(previous, collect):
    if previous is None:
        return None
    decisions = list(Decision.objects.filter(meeting=previous))
    attendance = list(Attendance.objects.filter(meeting=previous).select_related("person"))
    collect.mark(previous, *decisions)
    collect.source("meetings", previous.pk)
    collect.source("decisions", *[d.pk for d in decisions])
    return {"meeting": previous, "decisions": decisions, "attendance": attendance}


def _render_part(template, context, *, title, collect, gathered=None, key=None):
    """A panel or provider written by another app must not stop the whole pack: its failure is shown
    in its place and listed on the pack's page. What it gathered is kept in `gathered[key]` for the
    executive summary."""
    try:
        data = context["data_fn"]()
        collect.mark(data.get("marking") if isinstance(data, dict) else None)
        context = {k: v for k, v in context.items() if k != "data_fn"} | {"data": data, "for_pdf": True}
        html = mark_safe(render_to_string(template, context))  # noqa: S308 - Django-escaped template output
    except Exception:  # noqa: BLE001 - any app's panel may fail; the pack says so instead of failing
        log.exception("board pack section failed", extra={"section": title})
        collect.warnings.append(f"{title}: this section could not be produced.")
        return None
    if gathered is not None and key:
        gathered[key] = data
    return html


LEFT_OUT = mark_safe("")  # a part dropped from the pack on purpose (not a failure)


def _render_for_everyone(template, context, gather, *, title, readers, collect, gathered=None, key=None):
    """A panel or provider drawn for each reader: included only when every reader would see the same thing
    (otherwise it would show someone figures or records that are not theirs), else left out and said so."""
    drawn = set()
    for reader in readers:
        html = _render_part(
            template,
            context | {"data_fn": lambda r=reader: gather(r)},
            title=title,
            collect=collect,
            gathered=gathered,
            key=key,
        )
        if html is None:
            return None
        drawn.add(str(html))
    if len(drawn) != 1:
        if gathered is not None and key:
            gathered.pop(key, None)  # nor does the summary quote it
        collect.warnings.append(f"{title}: left out, as it would not show every reader of the pack the same.")
        return LEFT_OUT
    return mark_safe(drawn.pop())  # noqa: S308 - Django-escaped template output


def _summary(*, meeting, previous, readers, period, agenda, action_log, gathered, today) -> dict:
    """The executive summary's three parts (governance/packs/summary.py). The figures "at the last
    meeting" need the measures as they stood then: that one panel is gathered again for a period
    ending on the last meeting's date (a failure there leaves the comparison unknown, not the pack)."""
    user = readers[0] if readers else None  # only panels every reader sees alike are in `gathered`
    before = {}
    measures = panels.get("strategy-measures")
    if previous is not None and measures is not None and "strategy-measures" in gathered:
        then = Period(
            "pack-before",
            f"12 months to {previous.date:%-d %B %Y}",
            previous.date - relativedelta(months=12, days=-1),
            previous.date,
        )
        try:
            before["strategy-measures"] = measures.gather(user, then)
        except Exception:  # noqa: BLE001 - the comparison is a nicety; the pack must still be built
            log.exception("board pack: measures at the last meeting could not be gathered")
    return {
        "attention": summary.needs_attention(
            action_log=action_log, lines=summary.panel_attention(readers, period, gathered)
        ),
        "decisions": summary.decisions_requested(agenda),
        "headlines": summary.headlines(
            board=meeting.board,
            previous_date=previous.date if previous else None,
            today=today,
            gathered=gathered,
            gathered_before=before,
        ),
        "previous_date": previous.date if previous else None,
    }


def _cover(pack, meeting) -> dict:
    """The cover's facts: the force (name and logo from settings), and who prepared the pack, as what."""
    requester = pack.requested_by
    name = (requester.get_full_name() or requester.username) if requester else ""
    role = "Board secretary" if requester and requester.pk == meeting.board.secretary_id else ""
    return {
        "force_name": settings.FORCE_NAME,
        "force_logo": _logo_data_uri(settings.FORCE_LOGO),
        "prepared_by": name,
        "prepared_as": role,
    }


def _logo_data_uri(path: str) -> str:
    """The logo as a data: URI, so the locked-down PDF fetcher never reads the file system. A missing or
    unreadable logo leaves the cover without one (and says so in the log) rather than failing the pack."""
    if not path:
        return ""
    mime = mimetypes.guess_type(path)[0] or ""
    if mime not in {"image/png", "image/jpeg", "image/svg+xml"}:
        log.warning("FORCE_LOGO is not a PNG, JPEG or SVG file; the cover has no logo", extra={"path": path})
        return ""
    try:
        body = Path(path).read_bytes()
    except OSError:
        log.warning("FORCE_LOGO cannot be read; the cover has no logo", extra={"path": path})
        return ""
    return f"data:{mime};base64,{base64.b64encode(body).decode()}"


def compose_pack(pack: BoardPack, *, today: date | None = None) -> ComposedPack:
    today = today or timezone.localdate()
    meeting = Meeting.objects.select_related("board", "board__chair", "board__secretary").get(pk=pack.meeting_id)
    # Built for its readers (the board, and a forum's partners), never for whoever asked for it.
    audience = audience_for(meeting.board, pack.requested_by)
    readers = audience.readers
    collect = _Collector()
    collect.mark(meeting, meeting.board)
    collect.source("meetings", meeting.pk)
    previous = previous_meeting(meeting)
    since = previous.date if previous else meeting.date - relativedelta(months=3)
    sections = chosen_sections(pack.sections, audience)
    keys = {s.key for s in sections}

    context = {
        "pack": pack,
        "meeting": meeting,
        "board": meeting.board,
        "today": today,
        "since": since,
        "built_for": audience.describe(),
    }
    context |= _cover(pack, meeting)
    agenda = _agenda(meeting, audience, collect)  # the summary's decisions requested come from it, listed or not
    papers = list(Paper.objects.filter(meeting=meeting))
    appendices = binding.gather_appendices(agenda, papers)
    collect.mark(*papers)
    collect.source("papers", *[p.pk for p in papers])
    if "agenda" in keys:
        for item in agenda:
            collect.mark(*item.covered.markings)
        context["agenda"] = agenda
    if "previous" in keys:
        context["previous"] = _previous(previous, collect)
    action_log = board_action_log(meeting.board, since=since, today=today)
    if "actions" in keys and audience.all_see_actions(action_log.all()):
        collect.mark(*action_log.all())
        collect.source("actions", *[a.pk for a in action_log.all()])
        context["action_log"] = action_log
    elif "actions" in keys:
        sections = [s for s in sections if s.key != "actions"]
        collect.warnings.append("Actions: left out, as some of the board's actions are not for every reader.")
    period = Period(
        "pack",
        f"12 months to {meeting.date:%-d %B %Y}",
        meeting.date - relativedelta(months=12, days=-1),
        min(meeting.date, today),
    )
    rendered_panels = []
    gathered = {}
    for section in sections:
        if section.panel is None:
            continue
        panel = section.panel
        html = _render_for_everyone(
            panel.template,
            {"panel": panel},
            lambda reader, p=panel: p.gather(reader, period),
            title=panel.title,
            readers=readers,
            collect=collect,
            gathered=gathered,
            key=panel.key,
        )
        if html is LEFT_OUT:
            sections = [s for s in sections if s.key != section.key]
            continue
        rendered_panels.append((section, html))
        collect.source("panels", panel.key)
    context["panels"] = rendered_panels
    context["summary"] = _summary(
        meeting=meeting,
        previous=previous,
        readers=readers,
        period=period,
        agenda=agenda,
        action_log=action_log,
        gathered=gathered,
        today=today,
    )
    if "since" in keys and not audience.all_see_actions(meeting.board.actions.all()):
        sections = [s for s in sections if s.key != "since"]
        collect.warnings.append(
            "Since the last meeting: left out, as some of the board's actions are not for every reader."
        )
    elif "since" in keys:
        changes = action_changes(meeting.board.actions.all(), since=since, today=today)
        collect.mark(*changes.listed(), Marking.OFFICIAL_SENSITIVE if changes.opened_sensitive else None)
        providers = []
        for provider in since_registry.providers():
            html = _render_for_everyone(
                provider.template,
                {"provider": provider},
                lambda reader, p=provider: p.gather(reader, since, today),
                title=provider.title,
                readers=readers,
                collect=collect,
            )
            if html is not LEFT_OUT:
                providers.append((provider, html))
        context["changes"] = changes
        context["since_providers"] = providers

    context["appendices"] = appendices
    context["appendix_of"] = {a.paper_id: a for a in appendices}
    context["paper_page_css"] = binding.PAPER_PAGE_CSS
    paper_warnings = [
        f'Paper "{a.title}" (appendix {a.letter}) could not be bound in: {a.error}.' for a in appendices if a.error
    ]

    marking = highest(*collect.markings)
    title = f"Board pack: {meeting.board.name}, {meeting.date:%-d %B %Y}"
    context |= {
        "sections": sections,
        "title": title,
        "marking": marking.label,
        "warnings": collect.warnings,
        "for_pdf": True,
    }
    html = render_to_string(TEMPLATE, context)
    return ComposedPack(
        html=html,
        marking=marking.value,
        title=title,
        sources=collect.sources,
        warnings=collect.warnings + paper_warnings,
        built_for=audience.describe(),
        appendices=appendices,
        figures=[figure for data in gathered.values() for figure in collect_figures(data)],
    )

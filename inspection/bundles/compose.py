"""Gather a self-assessment's evidence and lay it out: the bundle's HTML (made into the PDF), the tables of
everything cited (CSV and Excel in the ZIP) and the board papers cited (bound into the ZIP as they are).

Everything is read as the bundle's requester may see it: a cited record they may not open is listed as
withheld, never named, and one deleted since it was cited is listed by the name it had. A fixed number of
queries whatever the size of the assessment, so 500 requirements cost what 30 do, bar the rendering.
"""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.template.loader import render_to_string
from django.utils import timezone

from governance.models import Action, Paper
from inspection.models import EvidenceBundle, Finding
from mshtgov import citations, records
from mshtgov.marking import highest
from mshtgov.reference import GuidanceTheme
from strategy.models import RequirementAssessment
from strategy.selectors.assessments import compliance_by_theme, compliance_percent

TEMPLATE = "inspection/pdf/bundle.html"
WITHHELD = "A record the bundle's requester may not open (withheld)"


@dataclass
class Linked:
    """One record an answer points at, as the bundle shows it."""

    noun: str
    name: str
    state: str = ""
    on: object = None
    marking: str = ""
    note: str = ""
    path: str = ""
    condition: str = "current"  # current, withheld, deleted


@dataclass
class Entry:
    answer: RequirementAssessment
    linked: list = field(default_factory=list)
    actions: list = field(default_factory=list)
    findings: list = field(default_factory=list)


@dataclass
class Table:
    name: str
    title: str
    headers: list
    rows: list


@dataclass
class ComposedBundle:
    html: str
    marking: str
    title: str
    tables: list
    papers: list
    sources: dict
    counts: dict


def _linked_from(record, *, note="", marking_of=None) -> Linked:
    described = records.describe(record)
    return Linked(
        records.noun(record),
        described.name,
        described.state,
        described.on,
        getattr(record, "marking", "") or "",
        note,
        described.url,
    )


def _answers(bundle: EvidenceBundle) -> list[RequirementAssessment]:
    answers = RequirementAssessment.objects.filter(assessment=bundle.assessment).select_related("requirement", "owner")
    if bundle.theme:
        answers = answers.filter(requirement__theme=bundle.theme)
    return list(
        answers.prefetch_related("evidence_objectives", "evidence_measures", "evidence_threats").order_by(
            "requirement__order"
        )
    )


def _cited(entries: dict[int, Entry], user, sources: dict, counts: dict, papers: list) -> None:
    """Attach each answer's citations; note what is withheld or deleted; collect the cited papers."""
    cited = list(citations.citations_of_many(RequirementAssessment, entries.keys()).order_by("id"))
    for item in citations.resolve(cited, user):
        entry = entries[item.citation.citing_id]
        if item.record is not None:
            entry.linked.append(_linked_from(item.record, note=item.citation.note))
            label = item.record._meta.label_lower
            sources.setdefault(label, []).append(item.record.pk)
            if isinstance(item.record, Paper):
                papers.append(item.record)
        elif item.hidden:
            entry.linked.append(Linked(item.noun, WITHHELD, condition="withheld", note=item.citation.note))
            counts["withheld"] += 1
        else:
            entry.linked.append(
                Linked(item.noun, f"{item.citation.label} (deleted since it was cited)", condition="deleted")
            )
            counts["deleted"] += 1


def _actions(entries: dict[int, Entry], user, sources: dict) -> None:
    answer_type = ContentType.objects.get_for_model(RequirementAssessment)
    actions = (
        Action.objects.visible_to(user)
        .open()
        .filter(source_content_type=answer_type, source_object_id__in=entries.keys())
        .select_related("owner")
        .order_by("due_date", "id")
    )
    for action in actions:
        entries[action.source_object_id].actions.append(action)
        sources.setdefault("governance.action", []).append(action.pk)


def _findings(entries: dict[int, Entry], user, sources: dict) -> None:
    by_requirement: dict[int, list[Entry]] = {}
    for entry in entries.values():
        by_requirement.setdefault(entry.answer.requirement_id, []).append(entry)
    through = Finding.requirements.through.objects.filter(
        requirement_id__in=by_requirement.keys(), finding__in=Finding.objects.visible_to(user)
    ).select_related("finding", "finding__owner")
    for row in through.order_by("finding__due_date", "finding_id"):
        for entry in by_requirement[row.requirement_id]:
            entry.findings.append(row.finding)
        sources.setdefault("inspection.finding", []).append(row.finding_id)


def _m2m(entry: Entry, sources: dict) -> None:
    for records_of in (entry.answer.evidence_objectives, entry.answer.evidence_measures, entry.answer.evidence_threats):
        for record in records_of.all():
            entry.linked.append(_linked_from(record))
            sources.setdefault(record._meta.label_lower, []).append(record.pk)


def _tables(themes, marking_label) -> list[Table]:
    requirements = Table(
        "requirements",
        "Requirements",
        ["Theme", "Reference", "Requirement", "Status", "Evidence", "Owner", "Open actions", "Findings", "Marking"],
        [],
    )
    cited = Table(
        "cited-records",
        "Cited records",
        ["Requirement", "Kind", "Record", "State", "Date", "Marking", "Note", "Link", "Condition"],
        [],
    )
    for theme in themes:
        for entry in theme["entries"]:
            answer, requirement = entry.answer, entry.answer.requirement
            owner = answer.owner.get_full_name() or answer.owner.get_username() if answer.owner else ""
            requirements.rows.append(
                [
                    theme["label"],
                    requirement.reference,
                    requirement.text,
                    answer.get_status_display(),
                    answer.evidence,
                    owner,
                    len(entry.actions),
                    len(entry.findings),
                    answer.get_marking_display(),
                ]
            )
            for linked in entry.linked:
                cited.rows.append(
                    [
                        requirement.reference,
                        linked.noun,
                        linked.name,
                        linked.state,
                        linked.on or "",
                        linked.marking.upper() if linked.marking else "",
                        linked.note,
                        linked.path,
                        linked.condition,
                    ]
                )
            for action in entry.actions:
                cited.rows.append(
                    [
                        requirement.reference,
                        "open action",
                        action.title,
                        action.get_status_display(),
                        action.due_date,
                        action.get_marking_display(),
                        "",
                        action.get_absolute_url(),
                        "current",
                    ]
                )
            for finding in entry.findings:
                cited.rows.append(
                    [
                        requirement.reference,
                        "inspection finding",
                        str(finding),
                        finding.get_status_display(),
                        finding.due_date,
                        finding.get_marking_display(),
                        "",
                        finding.get_absolute_url(),
                        "current",
                    ]
                )
    return [requirements, cited]


def compose_bundle(bundle: EvidenceBundle) -> ComposedBundle:
    user = bundle.requested_by
    assessment = bundle.assessment
    answers = _answers(bundle)
    entries = {answer.pk: Entry(answer) for answer in answers}
    sources: dict[str, list[int]] = {}
    counts = {"requirements": len(answers), "withheld": 0, "deleted": 0}
    papers: list[Paper] = []
    for entry in entries.values():
        _m2m(entry, sources)
    _cited(entries, user, sources, counts, papers)
    _actions(entries, user, sources)
    _findings(entries, user, sources)

    markings = [assessment.marking]
    for entry in entries.values():
        markings.append(entry.answer.marking)
        markings.extend(linked.marking for linked in entry.linked)
        markings.extend(a.marking for a in entry.actions)
        markings.extend(f.marking for f in entry.findings)
    marking = highest(*markings)

    by_theme = compliance_by_theme(assessment)
    themes = []
    for theme in GuidanceTheme:
        if bundle.theme and theme != bundle.theme:
            continue
        theme_entries = [e for e in entries.values() if e.answer.requirement.theme == theme]
        if theme_entries:
            themes.append(
                {
                    "key": theme.value,
                    "label": theme.label,
                    "entries": theme_entries,
                    "percent": compliance_percent(by_theme[theme.value]),
                    "counts": by_theme[theme.value],
                }
            )
    counts["cited"] = sum(len(e.linked) for e in entries.values())
    counts["actions"] = sum(len(e.actions) for e in entries.values())
    counts["findings"] = len(set(sources.get("inspection.finding", [])))
    counts["papers"] = len(papers)
    scope = GuidanceTheme(bundle.theme).label if bundle.theme else "every theme"
    title = f"Evidence bundle: {assessment.title} ({scope})"
    tables = _tables(themes, marking.label)
    html = render_to_string(
        TEMPLATE,
        {
            "title": title,
            "marking": marking.label,
            "bundle": bundle,
            "assessment": assessment,
            "scope": scope,
            "themes": themes,
            "counts": counts,
            "papers": papers,
            "tables": tables,
            "built_on": timezone.localdate(),
            "for_pdf": True,
        },
    )
    return ComposedBundle(
        html, marking.value, title, tables, papers, {k: sorted(set(v)) for k, v in sources.items()}, counts
    )

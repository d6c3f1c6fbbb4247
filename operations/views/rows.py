"""The register's tables written out in one pass (issue 12): drawing 25 rows through the template (a tag,
a date filter, a choice label and a lookup per cell) cost more than fetching them. Each function gives the
markup the template drew row by row, every value escaped as the template escaped it; the labels come from
the choices once a page (get_FOO_display() rebuilds a field's flat choices on every call)."""

from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from mshtgov import scoring
from mshtgov.reference import Pillar
from mshtgov.templatetags.govuk import _TAG_COLOURS, short_date
from operations.models.vocabulary import (
    LEVEL_COLOURS,
    STATUS_COLOURS,
    DisruptionLevel,
    Exploitation,
    OperationStatus,
    ReviewStatus,
    TacticGroup,
)

_STATUSES = dict(OperationStatus.choices)
_BANDS = dict(scoring.BAND_CHOICES)
_EXPLOITATION = dict(Exploitation.choices)
_LEVELS = dict(DisruptionLevel.choices)
_REVIEWS = dict(ReviewStatus.choices)
_TACTICS = dict(TacticGroup.choices)
_PILLARS = dict(Pillar.choices)

# Only what the rows, the page's marking and the access log read.
OPERATION_COLUMNS = (
    "id",
    "reference",
    "title",
    "opened_on",
    "lead_unit",
    "exploitation_types",
    "county_lines",
    "priority_band",
    "status",
    "marking",
)
DISRUPTION_COLUMNS = (
    "id",
    "operation__reference",
    "disrupted_on",
    "level",
    "regraded_level",
    "pillar",
    "tactic_group",
    "assessed_by__first_name",
    "assessed_by__last_name",
    "assessed_by__username",
    "review_status",
    "marking",
)


def tag(label, colour: str) -> str:
    """`{% status_tag label colour %}`."""
    return f'<strong class="govuk-tag {_TAG_COLOURS.get(colour, "")}">{conditional_escape(label)}</strong>'


def _name(user) -> str:
    """`{{ user.get_full_name|default:user.username }}`, escaped."""
    return conditional_escape(f"{user.first_name} {user.last_name}".strip() or user.username)


_OPERATION_ROW = (
    '\n        <tr class="govuk-table__row">\n'
    '          <td class="govuk-table__cell"><a class="govuk-link" href="{href}">{reference}</a><br>{title}</td>\n'
    '          <td class="govuk-table__cell">{opened}<br><span class="govuk-body-s">{unit}</span></td>\n'
    '          <td class="govuk-table__cell">{exploitation}{county_lines}</td>\n'
    '          <td class="govuk-table__cell">{band}</td>\n'
    '          <td class="govuk-table__cell">{status}{overdue}</td>\n'
    "        </tr>\n      "
)
_DEBRIEF_OVERDUE = "<br>" + tag("Debrief overdue", "red")


def operation_rows(operations, detail_url) -> str:
    """operations/operation_list.html's rows: `detail_url(pk)` links each (records.url_for_pk)."""
    rows = []
    for op in operations:
        codes = [code for code in op.exploitation_types.split(",") if code in _EXPLOITATION]
        rows.append(
            _OPERATION_ROW.format(
                href=detail_url(op.pk),
                reference=conditional_escape(op.reference),
                title=conditional_escape(op.title),
                opened=short_date(op.opened_on),
                unit=conditional_escape(op.lead_unit),
                exploitation=", ".join(conditional_escape(_EXPLOITATION[code]) for code in codes),
                county_lines=" (county lines)" if op.county_lines else "",
                band=tag(
                    _BANDS.get(op.priority_band, "Not assessed"), scoring.BAND_COLOURS.get(op.priority_band, "grey")
                ),
                status=tag(_STATUSES.get(op.status, op.status), STATUS_COLOURS.get(op.status, "grey")),
                overdue=_DEBRIEF_OVERDUE if op.debrief_overdue else "",
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 - every value escaped above


_DISRUPTION_ROW = (
    '\n        <tr class="govuk-table__row">\n'
    '          <td class="govuk-table__cell"><a class="govuk-link" href="{href}">{reference}</a></td>\n'
    '          <td class="govuk-table__cell">{date}</td>\n'
    '          <td class="govuk-table__cell">{level}{regraded}</td>\n'
    '          <td class="govuk-table__cell">{tactic} ({pillar})</td>\n'
    '          <td class="govuk-table__cell">{assessor}</td>\n'
    '          <td class="govuk-table__cell">{review}{action}</td>\n'
    "        </tr>\n      "
)
_ASSESSED = '<br><span class="govuk-body-s">assessed {}</span>'
_REVIEW_LINK = (
    '<br><a class="govuk-link" href="{href}">Review<span class="govuk-visually-hidden"> the {reference} '
    "disruption of {date}</span></a>"
)


def disruption_rows(disruptions, *, queue: bool) -> str:
    """operations/disruption_list.html's rows. Each disruption carries `operation_url`, `may_review` and
    `review_url` (set by the view)."""
    rows = []
    for d in disruptions:
        final = d.regraded_level or d.level
        reference = conditional_escape(d.operation.reference)
        date = short_date(d.disrupted_on)
        if d.may_review:
            action = _REVIEW_LINK.format(href=d.review_url, reference=reference, date=date)
        else:
            action = '<br><span class="govuk-body-s">You assessed it</span>' if queue else ""
        rows.append(
            _DISRUPTION_ROW.format(
                href=d.operation_url,
                reference=reference,
                date=date,
                level=tag(_LEVELS.get(final, final), LEVEL_COLOURS.get(final, "grey")),
                regraded=_ASSESSED.format(conditional_escape(_LEVELS.get(d.level, d.level).lower()))
                if d.regraded_level
                else "",
                tactic=conditional_escape(_TACTICS.get(d.tactic_group, d.tactic_group)),
                pillar=conditional_escape(_PILLARS.get(d.pillar, d.pillar)),
                assessor=_name(d.assessed_by),
                review=conditional_escape(_REVIEWS.get(d.review_status, d.review_status)),
                action=action,
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 - every value escaped above

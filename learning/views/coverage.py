"""Training coverage against the establishment, and the establishment itself."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from learning.charts import cached_chart, coverage_chart
from learning.forms.training import EstablishmentForm, EstablishmentImportForm
from learning.models import Establishment, RoleGroup, Unit
from learning.selectors.coverage import DUE_SOON_DAYS, MODELS, coverage_report
from learning.services.establishment import EstablishmentErrors, establishment_import, establishment_set
from learning.services.training_csv import ImportFileError
from learning.services.training_import import read_upload
from mshtgov import page_cache
from mshtgov.access import require
from mshtgov.periods import date_param


def _crumbs(*extra):
    return [("Learning", reverse("learning:index")), *extra]


@require(perms=("learning.view_coverage",))
def coverage_view(request):
    """Coverage today, or on an earlier day (`?on=YYYY-MM-DD`, as the training coverage measure links a
    past period here): completions by then against today's establishment."""
    today = timezone.localdate()
    on = date_param(request.GET.get("on"))
    on = min(on, today) if on else today
    report, as_of = coverage_report(on)
    return render(
        request,
        "learning/coverage.html",
        {
            "report": report,
            "as_of": as_of,
            "past": on < today,
            "overall_key": "coverage:overall" if on == today else f"coverage:overall:{on.isoformat()}",
            "chart": (
                cached_chart(f"coverage:{report.today}", lambda: coverage_chart(report), models=MODELS)
                if report.products
                else None
            ),
            "chart_headers": [
                "Product",
                "People who should hold it",
                "Trained and in date",
                "Coverage (%)",
                "Target (%)",
            ],
            "chart_rows": [
                [
                    p.name,
                    p.total.needed,
                    p.total.trained,
                    p.total.percent if p.total.percent is not None else "–",
                    p.target,
                ]
                for p in report.products
            ],
            "due_soon_days": DUE_SOON_DAYS,
            "may_edit_establishment": request.user.has_perm("learning.change_establishment"),
            "breadcrumbs": _crumbs(("Training coverage", "")),
        },
    )


@require(perms=("learning.view_establishment",))
def establishment_list(request):
    # Drawn once per reader, query string and day and served from the cache until a headcount, unit or role group
    # changes (mshtgov.page_cache; issue 15). It has no form that posts: no CSRF token to leave out.
    entry = page_cache.listing(request, "learning:establishment", lambda: _establishment_page(request))
    return render(
        request,
        "mshtgov/drawn_page.html",
        {
            "title": "Establishment",
            "body_html": mark_safe(entry["body"]),  # noqa: S308 - drawn by the template, every value escaped
            "breadcrumbs": _crumbs(("Training coverage", reverse("learning:coverage")), ("Establishment", "")),
        },
    )


def _establishment_page(request) -> dict:
    rows = list(Establishment.objects.select_related("unit", "role_group").order_by("unit__name", "role_group__order"))
    groups = list(RoleGroup.objects.all())
    table: dict[str, dict[int, int]] = {}
    for row in rows:
        table.setdefault(row.unit.name, {})[row.role_group_id] = row.headcount
    context = {
        "groups": groups,
        "table": [(unit, [cells.get(g.pk, 0) for g in groups], sum(cells.values())) for unit, cells in table.items()],
        "totals": [sum(r.headcount for r in rows if r.role_group_id == g.pk) for g in groups],
        "grand_total": sum(r.headcount for r in rows),
        "may_edit": request.user.has_perm("learning.change_establishment"),
    }
    names = ("content",)
    return {
        "body": page_cache.drawn_blocks("learning/establishment_list.html", context, request, names=names)["content"]
    }


@require(perms=("learning.add_establishment", "learning.change_establishment"))
def establishment_edit(request):
    form = EstablishmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        establishment_set(
            unit_name=form.cleaned_data["unit"],
            role_group=form.cleaned_data["role_group"],
            headcount=form.cleaned_data["headcount"],
            by=request.user,
        )
        messages.success(
            request, f"Headcount for {form.cleaned_data['role_group']} in {form.cleaned_data['unit']} saved."
        )
        return redirect("learning:establishment-list")
    return render(
        request,
        "learning/establishment_form.html",
        {
            "form": form,
            "units": list(Unit.objects.values_list("name", flat=True)),
            "breadcrumbs": _crumbs(("Establishment", reverse("learning:establishment-list")), ("Set a headcount", "")),
        },
    )


@require(perms=("learning.add_establishment", "learning.change_establishment"))
def establishment_import_view(request):
    form = EstablishmentImportForm(request.POST or None, request.FILES or None)
    row_errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            count = establishment_import(raw=read_upload(upload), by=request.user, file_name=upload.name)
        except ImportFileError as exc:
            form.add_error("file", str(exc))
        except EstablishmentErrors as exc:
            row_errors = exc.errors
            form.add_error(
                "file", f"The file has {len(exc.errors)} errors: nothing was imported. Fix the rows listed below."
            )
        else:
            messages.success(request, f"Establishment updated from {count} rows.")
            return redirect("learning:establishment-list")
    return render(
        request,
        "learning/establishment_import.html",
        {
            "form": form,
            "row_errors": row_errors,
            "breadcrumbs": _crumbs(("Establishment", reverse("learning:establishment-list")), ("Import", "")),
        },
    )

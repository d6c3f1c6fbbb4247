"""The evidence picker and citation removal, shared by every record that can cite evidence (an answer to a
requirement, an inspection finding). The app's view authorises the reader and the citing record first,
then hands over here; only records the reader may open are offered, and a posted id is checked again."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from mshtgov import citations, records
from mshtgov.forms import GovukForm
from mshtgov.marking import mark_page
from mshtgov.models import Citation


class CitationSearchForm(GovukForm):
    kind = forms.ChoiceField(label="Kind of record", choices=())
    q = forms.CharField(label="Search", required=False, max_length=100, help_text="Part of a reference or title.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.label, k.plural.capitalize()) for k in records.kinds(citable=True)]


def _posted_record(request, value: str):
    """The record named "<app.model>:<id>" if the reader may open it and it may be cited; else None."""
    label, _, pk = value.rpartition(":")
    kind = records.kind_by_label(label)
    if kind is None or not kind.citable or not pk.isdigit():
        return None
    return records.visible(request.user, kind.model._default_manager.filter(pk=int(pk))).first()


def cite_page(request, citing, *, title: str, back_url: str, breadcrumbs: list):
    """GET: search the records the reader may cite. POST: cite the chosen one, then back to the record."""
    if request.method == "POST":
        record = _posted_record(request, request.POST.get("record", ""))
        if record is None:
            messages.error(request, "That record cannot be cited: it does not exist or you may not open it.")
            return redirect(request.get_full_path())
        try:
            citations.cite(citing=citing, cited=record, by=request.user, note=request.POST.get("note", "")[:300])
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(request.get_full_path())
        messages.success(request, f"{records.describe(record).name} is now cited as evidence.")
        return redirect(back_url)
    form = CitationSearchForm(request.GET or None)
    found, chosen = [], None
    if form.is_valid():
        chosen = records.kind_by_label(form.cleaned_data["kind"])
        found = [
            (obj, records.describe(obj)) for obj in citations.candidates(request.user, chosen, form.cleaned_data["q"])
        ]
        mark_page(request, *[obj for obj, _ in found])
    mark_page(request, citing)
    return render(
        request,
        "mshtgov/cite.html",
        {
            "form": form,
            "title": title,
            "citing": citing,
            "found": found,
            "kind": chosen,
            "limit": citations.SEARCH_LIMIT,
            "back_url": back_url,
            "breadcrumbs": breadcrumbs,
        },
    )


def uncite(request, citing, citation_pk, *, back_url: str):
    """POST only: remove one of `citing`'s citations (the history keeps it)."""
    citation = citations.citations_of(citing).filter(pk=citation_pk).first()
    if citation is None:
        messages.error(request, "That citation has already been removed.")
    else:
        citations.uncite(citation=citation, by=request.user)
        messages.success(request, f"{citation.label} is no longer cited.")
    return redirect(back_url)


def cited_evidence(request, citing) -> list[citations.CitedEntry]:
    """The citing record's evidence as its reader may see it; the page's marking rises with what is shown."""
    entries = citations.resolve(list(citations.citations_of(citing).order_by("id")), request.user)
    mark_page(request, *[entry.record for entry in entries if entry.record is not None])
    return entries


__all__ = ["Citation", "cite_page", "cited_evidence", "uncite"]

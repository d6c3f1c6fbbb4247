"""Forms for boards, meetings, agendas, papers, minutes, decisions, actions and packs."""

from django import forms
from django.db.models import Q

from governance import linkables
from governance.models import Action, ActionSource, ActionStatus, AgendaItem, AgendaPurpose, Board, Meeting
from governance.packs.sections import available_sections
from governance.services.papers import max_paper_bytes, validate_pdf_upload
from mshtgov.filters import PersonChoiceField, staff_users
from mshtgov.fixed_choices import fixed_choices
from mshtgov.forms import (
    PLANNED_DATES,
    AuditedModelForm,
    DateInput,
    DateTimeInput,
    GovukForm,
    VersionedFormMixin,
    render_in_one_pass,
    version_field,
)
from mshtgov.marking import Marking


@fixed_choices
def internal_people():
    """Force staff who can sit on boards and own actions (external partners never own actions), by surname."""
    return staff_users().order_by("last_name", "first_name", "username")


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


class BoardForm(AuditedModelForm):
    chair = PersonChoiceField(queryset=internal_people(), required=False)
    secretary = PersonChoiceField(queryset=internal_people(), required=False)
    members = PeopleChoiceField(
        queryset=internal_people(), required=False, help_text="Force staff who sit on the board."
    )

    class Meta:
        model = Board
        fields = [
            "name",
            "kind",
            "purpose",
            "terms_of_reference",
            "chair",
            "secretary",
            "members",
            "cadence",
            "active",
            "marking",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("chair", "secretary", "members"):
            self.fields[name].queryset = internal_people()


class MeetingForm(AuditedModelForm):
    class Meta:
        model = Meeting
        fields = ["title", "starts_at", "location", "marking"]
        widgets = {"starts_at": DateTimeInput()}


def _posted_list(data, name) -> list:
    if hasattr(data, "getlist"):
        return data.getlist(name)
    value = data.get(name) or []
    return list(value) if isinstance(value, list | tuple) else [value]


class CoversField(forms.MultipleChoiceField):
    """The records an agenda item covers, as "<content type id>:<id>" values. Not checked against a fixed
    list (a force may hold thousands of lessons): the form checks them against what its user may open."""

    widget = forms.CheckboxSelectMultiple

    def valid_value(self, value):
        return True


class AgendaItemForm(AuditedModelForm):
    """An agenda item and the records it covers. The covers picker lists the records linked (ticked, the
    user may untick them) and, when the form was sent with "Search records" (`SEARCH`), the records the user
    may open that match the search box (`QUERY`): nothing is saved by searching, everything typed is kept."""

    SEARCH = "covers_search"
    QUERY = "covers_q"

    presenter = PersonChoiceField(queryset=internal_people(), required=False)
    links = CoversField(
        label="Records this item covers",
        required=False,
        help_text="Objectives, threats, measures, lessons or partnerships. Untick a record to remove it.",
    )

    class Meta:
        model = AgendaItem
        fields = ["title", "summary", "purpose", "recommendation", "presenter", "minutes_allowed"]
        widgets = {"purpose": forms.RadioSelect, "recommendation": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["presenter"].queryset = internal_people()
        self.fields["title"].error_messages["required"] = "Enter the agenda item's title."
        # Most items are for information: that is ticked already, and a form sent without a choice means it.
        self.fields["purpose"].required = False
        self.fields["recommendation"].help_text = (
            "Needed when the item is for decision: what the board is asked to decide, in the words you want "
            'minuted, for example "The board approves the revised referral pathway." It is listed on the pack\'s '
            "executive summary."
        )
        self.searching = self.is_bound and self.SEARCH in self.data
        self.query = (self.data.get(self.QUERY) or "").strip()[: linkables.QUERY_MAX_LENGTH] if self.is_bound else ""
        # Records the user may open among those ticked (or, on a first look, linked now); values refused.
        existing = [linkables.value_for(link) for link in self.instance.links.all()] if self.instance.pk else []
        values = _posted_list(self.data, self.add_prefix("links")) if self.is_bound else existing
        self.chosen_records, refused = linkables.sort_values(values, self.user)
        # A link the user may not open stays linked without being shown (`unseen_linked`): sent back as it
        # was, it is not refused.
        self.refused_values = [value for value in refused if value not in existing]
        self.chosen = linkables.options_for(self.chosen_records)
        self.found = linkables.Found()
        if self.searching:
            # Searching saves nothing, so it checks nothing: the form comes back unbound (no errors, never
            # valid) holding everything as typed, the version the editor first saw included.
            self.initial.update({name: self[name].data for name in self.fields})
            self.is_bound = False
            self.found = linkables.search(self.user, self.query)
            ticked = {option.value for option in self.chosen}
            self.found.options = [option for option in self.found.options if option.value not in ticked]

    @property
    def markings(self) -> list[str]:
        """The markings of the records the picker names: the page is marked for them."""
        return [option.marking for option in [*self.chosen, *self.found.options]]

    def error_summary_items(self):
        # With nothing ticked, a refusal leads to the search box (there is no first checkbox to land on).
        items = super().error_summary_items()
        if self.chosen:
            return items
        anchor = self["links"].anchor_id
        return [(message, "covers-q" if target == anchor else target) for message, target in items]

    def clean_title(self):
        title = (self.cleaned_data.get("title") or "").strip()
        if not title:
            raise forms.ValidationError("Enter the agenda item's title.")
        return title

    def clean_purpose(self):
        return self.cleaned_data.get("purpose") or AgendaPurpose.INFORMATION

    def clean_links(self):
        if self.refused_values:
            raise forms.ValidationError([linkables.refusal(value) for value in self.refused_values])
        return self.cleaned_data.get("links") or []

    def clean(self):
        cleaned = super().clean()
        recommendation = (cleaned.get("recommendation") or "").strip()
        cleaned["recommendation"] = recommendation
        if cleaned.get("purpose") == AgendaPurpose.DECISION and not recommendation:
            self.add_error(
                "recommendation", "Enter the recommendation the board is asked to decide on, or choose another purpose."
            )
        return cleaned

    def linked_records(self):
        chosen = list(self.chosen_records)
        if self.instance.pk:
            chosen += linkables.unseen_linked(self.instance, self.user)
        return chosen


class PaperForm(GovukForm):
    title = forms.CharField(max_length=200)
    agenda_item = forms.ModelChoiceField(queryset=AgendaItem.objects.none(), required=False, label="Agenda item")
    file = forms.FileField(label="PDF file")
    marking = forms.ChoiceField(choices=Marking.choices, initial=Marking.OFFICIAL, label="Protective marking")

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = AgendaItem.objects.filter(meeting=meeting)
        self.fields["file"].help_text = f"PDF only, up to {max_paper_bytes() // 1_048_576} MB."
        self.fields["file"].widget.attrs["accept"] = "application/pdf,.pdf"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        validate_pdf_upload(upload)
        return upload


class AttendanceForm(VersionedFormMixin, GovukForm):
    """Who was there. Carries the attendance it was opened on (`attendance_version`): a second secretary
    saving at the same time is told, not silently overwritten."""

    seen_version = version_field()
    present = PeopleChoiceField(queryset=internal_people(), required=False)
    apologies = PeopleChoiceField(queryset=internal_people(), required=False, label="Sent apologies")
    other_attendees = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="People from partner organisations and guests, one per line (name and organisation).",
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        board = meeting.board
        people = internal_people().filter(Q(boards=board) | Q(pk=board.chair_id) | Q(pk=board.secretary_id)).distinct()
        self.fields["present"].queryset = people
        self.fields["apologies"].queryset = people

    def clean(self):
        cleaned = super().clean()
        both = set(cleaned.get("present") or []) & set(cleaned.get("apologies") or [])
        if both:
            self.add_error(
                "apologies",
                "Someone cannot be both present and sending apologies: "
                + ", ".join(sorted(str(p) for p in both))
                + ".",
            )
        return cleaned


class MinutesForm(AuditedModelForm):
    class Meta:
        model = Meeting
        fields = ["minutes"]
        widgets = {"minutes": forms.Textarea(attrs={"rows": 16})}


class DecisionForm(GovukForm):
    text = forms.CharField(label="Decision", widget=forms.Textarea(attrs={"rows": 4}))
    agenda_item = forms.ModelChoiceField(queryset=AgendaItem.objects.none(), required=False, label="Agenda item")
    marking = forms.ChoiceField(choices=Marking.choices, initial=Marking.OFFICIAL, label="Protective marking")

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = AgendaItem.objects.filter(meeting=meeting)


class ActionForm(AuditedModelForm):
    date_ranges = {"due_date": PLANNED_DATES}

    owner = PersonChoiceField(queryset=internal_people())

    class Meta:
        model = Action
        fields = [
            "title",
            "description",
            "owner",
            "due_date",
            "board",
            "source_kind",
            "pillar",
            "status",
            "completion_note",
            "marking",
        ]
        widgets = {"due_date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = internal_people()
        if not self.instance.pk:
            del self.fields["status"]
            del self.fields["completion_note"]


class ActionProgressForm(AuditedModelForm):
    """What an action's owner may change: its status and what was done."""

    class Meta:
        model = Action
        fields = ["status", "completion_note"]


STATUS_FILTERS = [("", "Any status"), ("open_all", "Open or in progress"), *ActionStatus.choices]


class ActionFilterForm(GovukForm):
    board = forms.ModelChoiceField(queryset=Board.objects.none(), required=False, empty_label="Any board")
    owner = PersonChoiceField(queryset=internal_people(), required=False, empty_label="Anyone")
    status = forms.ChoiceField(choices=STATUS_FILTERS, required=False)
    source = forms.ChoiceField(choices=[("", "Any source"), *ActionSource.choices], required=False)
    overdue = forms.BooleanField(required=False, label="Overdue only")
    due_soon = forms.BooleanField(required=False, label="Due within a week (overdue ones included)")
    no_board = forms.BooleanField(required=False, label="Raised outside any board only")
    overdue_on = forms.DateField(
        required=False,
        label="Overdue at the end of",
        help_text="Actions that were open and past their due date on this day, as the action measure counts them.",
        widget=DateInput(),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # The boards the user may see, and those of actions they see (their own on another board): the
        # dashboard's actions-by-board figures link here filtered by board, and must not fall back to all.
        # An action on a board is visible through that board or because the reader owns it
        # (`ActionQuerySet.visible_to`), so these two sets are exactly the boards of the actions they see
        # plus the boards they see, without running the action visibility rule over every action.
        from governance.models.actions import Action, reads_action_log

        boards = Q(pk__in=Board.objects.visible_to(user).values("pk"))
        if reads_action_log(user):
            boards |= Q(pk__in=Action.objects.filter(owner_id=user.pk, board__isnull=False).values("board_id"))
        self.fields["board"].queryset = Board.objects.filter(boards)
        self.fields["owner"].queryset = internal_people()

    def render(self, template_name=None, context=None, renderer=None):
        """`{{ form }}`: the same markup as the field templates give, drawn in one pass (issue 15)."""
        if template_name is None and context is None and renderer is None:
            return render_in_one_pass(self)
        return super().render(template_name, context, renderer)

    # Django's RenderableMixin binds these to its own render(): `{{ form }}` calls __html__.
    __str__ = render
    __html__ = render

    def apply(self, actions, today):
        data = self.cleaned_data
        if data.get("board"):
            actions = actions.filter(board=data["board"])
        if data.get("owner"):
            actions = actions.filter(owner=data["owner"])
        status = data.get("status")
        if status == "open_all":
            actions = actions.open()
        elif status:
            actions = actions.filter(status=status)
        if data.get("source"):
            actions = actions.filter(source_kind=data["source"])
        if data.get("overdue"):
            actions = actions.overdue(today)
        if data.get("due_soon"):
            actions = actions.due_soon(today)
        if data.get("no_board"):
            actions = actions.filter(board__isnull=True)
        if data.get("overdue_on"):
            actions = actions.overdue_on(min(data["overdue_on"], today))
        return actions


class PackRequestForm(GovukForm):
    sections = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple,
        label="Sections to include",
        help_text="The cover and contents are always included.",
    )

    def __init__(self, *args, audience, **kwargs):
        super().__init__(*args, **kwargs)
        # Offered by who will read the pack, not by who asks for it.
        choices = [(s.key, s.title) for s in available_sections(audience)]
        self.fields["sections"].choices = choices
        self.fields["sections"].initial = [key for key, _ in choices]

"""An agenda builder finds and links only the lessons its user may read."""

from governance.forms import AgendaItemForm
from governance.models import AgendaItem
from mshtgov.marking import Marking
from tests.governance.factories import MeetingFactory
from tests.learning.factories import make_lesson


def test_agenda_links_offer_only_lessons_the_user_may_read(users):
    open_lesson = make_lesson(users["analyst"], title="Open lesson about interpreters")
    secret = make_lesson(
        users["analyst"],
        title="Sensitive lesson about an informant",
        marking=Marking.OFFICIAL_SENSITIVE,
        operation="OP-2025-0102",
    )
    meeting = MeetingFactory()

    def offered(user):
        form = AgendaItemForm(
            {"covers_q": "lesson", "covers_search": "1"}, instance=AgendaItem(meeting=meeting), user=user
        )
        return " | ".join(option.name for option in form.found.options)

    assert secret.title in offered(users["leader"])
    assert open_lesson.title in offered(users["leader"])
    for role in ("secretary", "pcc"):
        assert secret.title not in offered(users[role]), role


def test_a_posted_link_to_an_unreadable_lesson_is_refused(users):
    from django.contrib.contenttypes.models import ContentType

    secret = make_lesson(users["analyst"], title="Sensitive lesson", marking=Marking.OFFICIAL_SENSITIVE)
    meeting = MeetingFactory()
    ct = ContentType.objects.get_for_model(type(secret))
    form = AgendaItemForm(
        {"title": "Item", "links": [f"{ct.pk}:{secret.pk}"]},
        instance=AgendaItem(meeting=meeting),
        user=users["secretary"],
    )
    assert not form.is_valid()
    assert form.errors["links"] == [
        f"“{ct.pk}:{secret.pk}” is not a record you can link: it does not exist, cannot be "
        "covered by an agenda item, or you may not open it. Search for the record and tick it."
    ]

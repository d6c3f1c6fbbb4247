"""Learning records for tests, made through the services so they are what the app would make."""

from datetime import date

from learning.models import Establishment, LessonTheme, RoleGroup, TrainingProduct, TrainingRecord, Unit
from learning.services.lessons import lesson_create
from mshtgov.marking import Marking

AWARENESS = "msht-general-awareness"
CURRICULUM = "msht-investigator-curriculum"
ELEARNING = "msht-frontline-elearning"


def theme(name: str) -> LessonTheme:
    return LessonTheme.objects.get_or_create(name=name)[0]


def make_lesson(
    owner,
    *,
    title="Interpreter known to the suspects",
    operation="OP-2025-0101",
    observed=date(2025, 3, 1),
    source="debrief",
    pillars="pursue",
    themes=(),
    marking=Marking.OFFICIAL,
    **extra,
):
    return lesson_create(
        by=owner,
        themes=[theme(t) for t in themes],
        title=title,
        operation_reference=operation,
        source=source,
        observed_on=observed,
        pillars=pillars,
        guidance_theme=extra.pop("guidance_theme", "learning"),
        what_worked=extra.pop("what_worked", "Early joint planning."),
        what_did_not=extra.pop("what_did_not", "The plan was not shared in time."),
        root_cause=extra.pop("root_cause", "No agreed process."),
        recommendation=extra.pop("recommendation", "Agree a process."),
        owner=owner,
        marking=marking,
        **extra,
    )


def product(code: str) -> TrainingProduct:
    return TrainingProduct.objects.get(code=code)


def group(code: str) -> RoleGroup:
    return RoleGroup.objects.get(code=code)


def unit(name: str) -> Unit:
    return Unit.objects.get_or_create(name=name)[0]


def establish(unit_name: str, group_code: str, headcount: int) -> Establishment:
    return Establishment.objects.update_or_create(
        unit=unit(unit_name), role_group=group(group_code), defaults={"headcount": headcount}
    )[0]


def record(staff: str, product_code: str, completed_on: date, *, unit_name="North response", group_code="frontline"):
    return TrainingRecord.objects.create(
        staff_number=staff,
        product=product(product_code),
        completed_on=completed_on,
        unit=unit(unit_name),
        role_group=group(group_code),
    )


def csv_bytes(rows, header="staff_number,role_group,unit,product,completed_on") -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()

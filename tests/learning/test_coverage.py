"""Coverage: the share of the people who should be trained who are, in date; refreshers; establishment."""

from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from learning.models import Establishment
from learning.selectors.coverage import coverage_report
from tests.learning.factories import AWARENESS, CURRICULUM, ELEARNING, csv_bytes, establish, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def force(db):
    today = timezone.localdate()
    establish("North response", "frontline", 10)
    establish("CID", "investigator", 4)
    establish("CID", "pip2-investigator", 2)
    # Awareness (36-month refresher): 6 frontline in date, 1 lapsed; 2 investigators in date.
    for n in range(6):
        record(f"F{n}", AWARENESS, today - timedelta(days=100 + n))
    record("F9", AWARENESS, today - relativedelta(months=37))
    record("I1", AWARENESS, today - timedelta(days=20), unit_name="CID", group_code="investigator")
    record("I2", AWARENESS, today - timedelta(days=20), unit_name="CID", group_code="investigator")
    # E-learning (24 months): one due within 90 days.
    record("F1", ELEARNING, today - relativedelta(months=24) + timedelta(days=30))
    return today


def test_coverage_is_the_share_in_date_by_product_group_and_unit(force):
    report, _ = coverage_report(force)
    awareness = report.product(AWARENESS)
    assert (awareness.total.needed, awareness.total.trained) == (16, 8)
    assert awareness.total.percent == 50.0
    assert awareness.by_role_group["Frontline"].percent == 60.0
    assert awareness.by_role_group["Investigator"].percent == 50.0
    assert awareness.by_role_group["PIP2 investigator"].percent == 0.0
    assert awareness.by_unit["CID"].trained == 2 and awareness.by_unit["North response"].trained == 6
    assert awareness.lapsed == 1 and awareness.due_soon == 0
    assert not awareness.meets_target and awareness.gap == 15 - 8  # 90% of 16 is 14.4, so 15 people
    curriculum = report.product(CURRICULUM)
    assert (curriculum.total.needed, curriculum.total.trained) == (6, 0)
    elearning = report.product(ELEARNING)
    assert elearning.due_soon == 1 and elearning.total.trained == 1


def test_more_people_trained_than_establishment_never_exceeds_100(force):
    for n in range(10, 30):
        record(f"F{n}", AWARENESS, force - timedelta(days=5))
    report, _ = coverage_report(force)
    assert report.product(AWARENESS).by_role_group["Frontline"].percent == 100.0


def test_a_product_without_refresher_counts_every_completion(force, users):
    from learning.models import TrainingProduct

    TrainingProduct.objects.filter(code=AWARENESS).update(refresher_months=None)
    report, _ = coverage_report(force)
    assert report.product(AWARENESS).total.trained == 9
    assert report.product(AWARENESS).lapsed == 0


def test_coverage_page_shows_figures_with_a_table_for_the_chart(client_for, force):
    page = client_for("pcc").get(reverse("learning:coverage")).content.decode()
    assert "Modern slavery general awareness presentation" in page
    assert "50.0%" in page and "Below target" in page
    assert "data:image/svg+xml;base64," in page and "Show the figures as a table" in page


def test_importing_training_moves_coverage_on_the_dashboard(client_for, force, after_commit):
    leader = client_for("leader")
    before = leader.get("/").content.decode()
    assert "MSHT training coverage" in before and ">50%<" in before
    analyst = client_for("analyst")
    rows = [f"N{n},frontline,North response,{AWARENESS},{(force - timedelta(days=3)).isoformat()}" for n in range(4)]
    analyst.post(reverse("learning:import-create"), {"file": SimpleUploadedFile("e.csv", csv_bytes(rows))})
    from learning.models import ImportBatch

    after_commit(analyst.post, reverse("learning:import-apply", args=[ImportBatch.objects.get().pk]))
    after = leader.get("/").content.decode()
    assert ">75%<" in after  # 12 of 16 now in date


def test_establishment_set_one_headcount(client_for, users):
    response = client_for("analyst").post(
        reverse("learning:establishment-edit"),
        {
            "unit": "  Roads   policing ",
            "role_group": Establishment._meta.get_field("role_group").related_model.objects.get(code="frontline").pk,
            "headcount": "25",
        },
    )
    assert response.status_code == 302
    row = Establishment.objects.get()
    assert (row.unit.name, row.headcount) == ("Roads policing", 25)
    assert row.history.get().history_user == users["analyst"]


def test_establishment_import_is_all_or_nothing(client_for, force):
    client = client_for("analyst")
    bad = b"unit,role_group,headcount\nNorth response,frontline,12\nCID,wizard,3\nCID,investigator,lots\n"
    response = client.post(reverse("learning:establishment-import"), {"file": SimpleUploadedFile("e.csv", bad)})
    page = response.content.decode()
    assert "nothing was imported" in page and "“wizard” is not a known role group" in page
    assert "Enter a whole number" in page
    assert Establishment.objects.get(unit__name="North response").headcount == 10
    good = b"unit,role_group,headcount\nNorth response,frontline,12\nNew unit,staff,7\n"
    response = client.post(reverse("learning:establishment-import"), {"file": SimpleUploadedFile("e.csv", good)})
    assert response.status_code == 302
    assert Establishment.objects.get(unit__name="North response").headcount == 12
    assert Establishment.objects.get(unit__name="New unit").headcount == 7


def test_establishment_import_refuses_wrong_columns(client_for):
    response = client_for("analyst").post(
        reverse("learning:establishment-import"), {"file": SimpleUploadedFile("e.csv", b"unit,headcount\nA,1\n")}
    )
    assert "The columns are wrong" in response.content.decode()


def test_the_measure_figure_is_the_report_overall_without_reading_expiries(force, django_assert_num_queries):
    from learning.selectors.coverage import overall_coverage

    report, _ = coverage_report(force)
    with django_assert_num_queries(6):  # the report's queries but the one reading every latest completion
        overall = overall_coverage(force)
    assert (overall.needed, overall.trained) == (report.overall.needed, report.overall.trained)
    assert overall.percent == report.overall.percent and overall.needed > 0


def test_a_year_of_training_coverage_values_at_once_equals_each_month(force, django_assert_max_num_queries):
    from learning.measures import training_coverage, training_coverage_many

    spans = [(force - relativedelta(months=n + 1), force - relativedelta(months=n)) for n in range(40)]
    with django_assert_max_num_queries(5 + len(spans)):  # the catalogue once, then one query a month
        together = training_coverage_many(spans)
    assert together == [training_coverage(start, end) for start, end in spans]
    assert len({d.value for d in together}) > 1  # F9 in date until 36 months ago: the months differ


def test_coverage_of_many_days_in_one_query_is_each_days_distinct_count(force, django_assert_num_queries):
    """`_trained_on_days` (a flag per day for each person, added up per cell, in one query) gives what one
    distinct count per day gave: people with several completions, in date on some days and not others,
    counted once per cell and day."""
    from django.db.models import Count, Q

    from learning.models import TrainingProduct, TrainingRecord
    from learning.selectors.coverage import _trained_on_days, coverage_figures_on_days, in_date_cutoff

    record("F0", AWARENESS, force - relativedelta(months=30))  # F0 again, earlier: one person, two completions
    record("F9", AWARENESS, force - relativedelta(months=2))  # lapsed, then retrained
    record("F3", ELEARNING, force - relativedelta(months=23))
    TrainingProduct.objects.filter(code=CURRICULUM).update(refresher_months=None)
    record("I1", CURRICULUM, force - relativedelta(months=50), unit_name="CID", group_code="investigator")
    products = list(TrainingProduct.objects.filter(active=True))
    days = [force - relativedelta(months=n) for n in (0, 1, 3, 6, 12, 25, 35, 37, 60)]

    def one_day(day):
        in_date = Q(pk__in=[])
        for product in products:
            cutoff = in_date_cutoff(product, day)
            in_date |= Q(product=product, completed_on__gt=cutoff) if cutoff else Q(product=product)
        rows = (
            TrainingRecord.objects.filter(in_date, completed_on__lte=day)
            .values("product_id", "unit_id", "role_group_id")
            .annotate(n=Count("staff_number", distinct=True))
            .order_by()
        )
        return {(r["product_id"], r["unit_id"], r["role_group_id"]): r["n"] for r in rows}

    with django_assert_num_queries(1):
        together = _trained_on_days(products, days)
    assert together == {day: one_day(day) for day in days}
    assert len({sum(cells.values()) for cells in together.values()}) > 3
    today, _as_of = coverage_figures_on_days(days)[0]  # the card's report, from the same batch
    full, _as_of = coverage_report(force)
    assert [(p.code, p.total, p.by_unit) for p in today.products] == [
        (p.code, p.total, p.by_unit) for p in full.products
    ]

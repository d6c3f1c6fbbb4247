"""The measures the app computes from its own records (issue 10): add the three new ones, and say that
training coverage is computed rather than taken from the learning platform. Never overwrites a force's
own edits: only a data source still as shipped is changed."""

from django.db import migrations


def load(apps, schema_editor):
    from strategy.reference.measures import DERIVED_MEASURE_CODES, STANDARD_MEASURES

    Measure = apps.get_model("strategy", "Measure")
    for code, name, definition, unit, direction, frequency, pillar, source in STANDARD_MEASURES:
        if code not in DERIVED_MEASURE_CODES:
            continue
        measure, created = Measure.objects.get_or_create(
            code=code,
            defaults={
                "name": name, "definition": definition, "unit": unit, "direction": direction,
                "frequency": frequency, "pillar": pillar, "data_source": source, "standard": True,
            },
        )
        if not created and measure.data_source == "Learning records":
            measure.data_source = source
            measure.save(update_fields=["data_source"])


class Migration(migrations.Migration):
    dependencies = [("strategy", "0002_reference_data")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

"""The measures the operations register computes (issue 12): add the new ones, and say that the ones
typed until now (NCA disruptions, PIP2-led, PND operations, suspects charged, NRM referrals) are computed
from the register. Never overwrites a force's own edits: only a data source still as shipped is changed."""

from django.db import migrations

CONVERTED = {
    "nca-disruptions-major": "Disruptions recording (NCA scale)",
    "nca-disruptions-moderate": "Disruptions recording (NCA scale)",
    "nca-disruptions-minor": "Disruptions recording (NCA scale)",
    "pip2-led": "Investigation management system",
    "pnd-operations": "Police National Database returns",
    "suspects-charged": "Custody and case files",
    "nrm-referrals": "NRM first responder returns",
}


def load(apps, schema_editor):
    from strategy.reference.measures import DERIVED_MEASURE_CODES, OPERATIONS_DERIVED_SOURCE, STANDARD_MEASURES

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
        if not created and CONVERTED.get(code) == measure.data_source:
            measure.data_source = OPERATIONS_DERIVED_SOURCE
            measure.save(update_fields=["data_source"])


class Migration(migrations.Migration):
    dependencies = [("strategy", "0003_derived_measures")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

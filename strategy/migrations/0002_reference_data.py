"""Reference data: the national strategies, the standard measures and the self-assessment framework.

Loaded from `strategy.reference` as it stood when this migration was written; rerunning adds only what
is missing, and never overwrites a force's own edits (targets, for example).
"""

from django.db import migrations


def load(apps, schema_editor):
    from strategy.reference.framework import FRAMEWORK_NAME, FRAMEWORK_SOURCE, REQUIREMENTS
    from strategy.reference.measures import STANDARD_MEASURES
    from strategy.reference.national_strategies import NATIONAL_STRATEGIES

    NationalStrategy = apps.get_model("strategy", "NationalStrategy")
    Measure = apps.get_model("strategy", "Measure")
    Framework = apps.get_model("strategy", "Framework")
    Requirement = apps.get_model("strategy", "Requirement")

    for short_name, name, description, order in NATIONAL_STRATEGIES:
        NationalStrategy.objects.get_or_create(
            short_name=short_name,
            defaults={"name": name, "description": description, "order": order, "standard": True},
        )
    for code, name, definition, unit, direction, frequency, pillar, source in STANDARD_MEASURES:
        Measure.objects.get_or_create(
            code=code,
            defaults={
                "name": name, "definition": definition, "unit": unit, "direction": direction,
                "frequency": frequency, "pillar": pillar, "data_source": source, "standard": True,
            },
        )
    framework, _ = Framework.objects.get_or_create(name=FRAMEWORK_NAME, defaults={"source": FRAMEWORK_SOURCE})
    for order, (reference, theme, heading, text) in enumerate(REQUIREMENTS, start=1):
        Requirement.objects.get_or_create(
            framework=framework,
            reference=reference,
            defaults={"theme": theme, "heading": heading, "text": text, "order": order},
        )


class Migration(migrations.Migration):
    dependencies = [("strategy", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

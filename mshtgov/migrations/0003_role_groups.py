"""The six roles as groups. Their permissions are synced after every migrate (mshtgov.roles)."""

from django.db import migrations

ROLE_GROUPS = [
    "Senior leader",
    "PCC liaison",
    "Analyst",
    "Partnership coordinator",
    "Board secretary",
    "External partner",
]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLE_GROUPS:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("mshtgov", "0002_accesslog_append_only"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]

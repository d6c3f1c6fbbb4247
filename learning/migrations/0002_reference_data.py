"""Reference data: the role groups training is counted by, the three national MSHT learning products the
guidance names (all on College Learn), and the starting vocabulary of lesson themes."""

from django.db import migrations

ROLE_GROUPS = [
    ("frontline", "Frontline", 10),
    ("investigator", "Investigator", 20),
    ("pip2-investigator", "PIP2 investigator", 30),
    ("analyst", "Analyst", 40),
    ("specialist", "Specialist", 50),
    ("senior-leader", "Senior leader", 60),
    ("staff", "Staff", 70),
]

PRODUCTS = [
    (
        "msht-general-awareness",
        "Modern slavery general awareness presentation",
        "Awareness of modern slavery and human trafficking for everyone in the force.",
        ["frontline", "investigator", "pip2-investigator", "analyst", "specialist", "senior-leader", "staff"],
        36,
        90,
    ),
    (
        "msht-investigator-curriculum",
        "MSHT investigator national policing curriculum",
        "For investigators who lead or work on modern slavery and human trafficking investigations.",
        ["investigator", "pip2-investigator"],
        36,
        85,
    ),
    (
        "msht-frontline-elearning",
        "Frontline e-learning on modern slavery",
        "Spotting the signs, first response, safeguarding and the duty to notify, for frontline officers and staff.",
        ["frontline", "specialist"],
        24,
        90,
    ),
]

THEMES = [
    ("Victim identification", "Recognising the signs and the people who may be victims."),
    ("Safeguarding", "Immediate safety, referrals and safeguarding partners."),
    ("Victim engagement and support", "Keeping victims engaged: liaison officers, navigators, support services."),
    ("NRM and duty to notify", "Referrals to the National Referral Mechanism and duty to notify reports."),
    ("Section 45 defence", "Recognising when a suspect may be a victim with a statutory defence."),
    ("Investigative strategy", "Planning, supervision and review of investigations."),
    ("Evidence gathering", "Evidence-led prosecutions that do not rely on victim testimony alone."),
    ("Financial investigation", "Following the money: financial and asset recovery tactics."),
    ("Intelligence sharing", "Sharing intelligence inside the force and with partners (such as GAIN)."),
    ("Partnership working", "Working with local authorities, health, NGOs and other agencies."),
    ("Interpreters and language", "Access to independent interpreters and communication needs."),
    ("Digital evidence", "Phones, online advertising and digital forensics."),
    ("Disruption tactics", "Ancillary orders, preventative powers and other disruption."),
    ("Supervision and resourcing", "Allocation to PIP2 investigators, capacity and workload."),
    ("Training and awareness", "What staff knew and what they needed to know."),
    ("Child exploitation", "Children and young people, including county lines and ICTG referrals."),
    ("Labour exploitation", "Exploitation in workplaces and supply chains."),
    ("Sexual exploitation", "Exploitation in the sex industry and online."),
    ("CPS liaison and charging", "Early advice, charging decisions and case building with the CPS."),
    ("Court and victim care at trial", "Special measures and supporting victims through trial."),
]


def load(apps, schema_editor):
    RoleGroup = apps.get_model("learning", "RoleGroup")
    TrainingProduct = apps.get_model("learning", "TrainingProduct")
    LessonTheme = apps.get_model("learning", "LessonTheme")
    groups = {}
    for code, name, order in ROLE_GROUPS:
        groups[code], _ = RoleGroup.objects.get_or_create(code=code, defaults={"name": name, "order": order})
    for code, name, description, audience, refresher, target in PRODUCTS:
        product, created = TrainingProduct.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "description": description,
                "provider": "College of Policing (College Learn)",
                "national": True,
                "refresher_months": refresher,
                "target_percent": target,
            },
        )
        if created:
            product.audience.set([groups[c] for c in audience])
    for name, description in THEMES:
        LessonTheme.objects.get_or_create(name=name, defaults={"description": description})


class Migration(migrations.Migration):
    dependencies = [("learning", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

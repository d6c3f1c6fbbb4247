"""Vocabularies every app shares: the 4P pillars and the themes of the national guidance."""

from django.db import models


class Pillar(models.TextChoices):
    """The 4P approach of the serious and organised crime and modern slavery strategies."""

    PURSUE = "pursue", "Pursue"
    PREVENT = "prevent", "Prevent"
    PROTECT = "protect", "Protect"
    PREPARE = "prepare", "Prepare"


PILLAR_PURPOSE = {
    Pillar.PURSUE: "Prosecute and disrupt the people and groups responsible",
    Pillar.PREVENT: "Stop people becoming involved, and deter reoffending",
    Pillar.PROTECT: "Strengthen safeguards and protect vulnerable people from exploitation",
    Pillar.PREPARE: "Reduce the harm: better victim identification and support",
}


class GuidanceTheme(models.TextChoices):
    """Headings of the College of Policing APP on MSHT for senior leaders."""

    STRATEGY = "strategy", "Strategy"
    GOVERNANCE = "governance", "Governance"
    SAFEGUARDING = "safeguarding", "Safeguarding"
    INTELLIGENCE = "intelligence", "Intelligence and risk management"
    LEARNING = "learning", "Learning"
    PARTNERSHIPS = "partnerships", "Partnerships"

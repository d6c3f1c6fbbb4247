"""The self-assessment framework: each "should" of the College of Policing APP on modern slavery and
human trafficking for senior leaders, restated in our own words and citing the heading it sits under.

The opening section of the guidance has no heading of its own; it is cited as "Strategy (opening
section)". Changing a requirement here does not change assessments already made: ship a new framework.
"""

FRAMEWORK_NAME = "College of Policing APP on MSHT: the section for senior leaders"
FRAMEWORK_SOURCE = "College of Policing APP, modern slavery and human trafficking, section for senior leaders"

_OPENING = "Strategy (opening section)"

REQUIREMENTS = [
    # reference, theme, heading cited, requirement in our words
    (
        "STR-01",
        "strategy",
        _OPENING,
        "The force's MSHT response draws on the national guidelines for conducting effective investigations.",
    ),
    ("STR-02", "strategy", _OPENING, "The force's MSHT response reflects the Strategic Policing Requirement."),
    (
        "STR-03",
        "strategy",
        _OPENING,
        "The force's MSHT response reflects the Home Office serious and organised crime strategy.",
    ),
    (
        "STR-04",
        "strategy",
        _OPENING,
        "The force's MSHT response reflects the Slavery and Trafficking National Policing Standards.",
    ),
    (
        "STR-05",
        "strategy",
        _OPENING,
        "Other relevant national strategies, such as the Police Race Action Plan and the violence against women "
        "and girls strategy, have been considered in the response.",
    ),
    ("STR-06", "strategy", _OPENING, "MSHT is named as a priority in the force control strategy."),
    (
        "STR-07",
        "strategy",
        _OPENING,
        "Officers and staff across the force know the MSHT strategy, take part in it and back it.",
    ),
    ("STR-08", "strategy", _OPENING, "The police and crime commissioner has been made aware of the MSHT strategy."),
    (
        "STR-09",
        "strategy",
        _OPENING,
        "The police and crime commissioner's support in delivering the strategy has been asked for.",
    ),
    (
        "STR-10",
        "strategy",
        _OPENING,
        "There is a process that captures what was learned from every MSHT investigation.",
    ),
    (
        "STR-11",
        "strategy",
        _OPENING,
        "What is learned from investigations is used to keep improving the force's understanding of MSHT and "
        "how it responds.",
    ),
    (
        "GOV-01",
        "governance",
        "Governance",
        "Governance arrangements give accountable oversight of the force's whole response to MSHT.",
    ),
    (
        "GOV-02",
        "governance",
        "Governance",
        "Governance lets the force understand, rank and respond to connected exploitation threats, including "
        "county lines, child sexual abuse and exploitation, missing people and foreign national suspects.",
    ),
    (
        "GOV-03",
        "governance",
        "Governance",
        "Force strategies are built around the 4P approach: pursue, prevent, protect and prepare.",
    ),
    (
        "GOV-04",
        "governance",
        "Governance",
        "A performance framework shows whether responders and investigators are dealing with MSHT effectively.",
    ),
    (
        "GOV-05",
        "governance",
        "Governance",
        "Resourcing and deployment plans make sure MSHT investigations can deliver the right outcomes for "
        "victims and the public.",
    ),
    (
        "GOV-06",
        "governance",
        "Governance",
        "Investigative capability and capacity are built and investigations allocated in line with the PIP2 "
        "and investigation allocation guidance.",
    ),
    (
        "GOV-07",
        "governance",
        "Governance",
        "The force works with the Crown Prosecution Service so that MSHT cases are handled effectively.",
    ),
    (
        "GOV-08",
        "governance",
        "Governance",
        "Working with the CPS, the force makes sure suspects face the right charges.",
    ),
    ("GOV-09", "governance", "Governance", "Together with the PCC, the force understands what support victims need."),
    (
        "GOV-10",
        "governance",
        "Governance",
        "With the PCC, the force identifies and secures support beyond the national provision where needed, so "
        "victims feel safe and able to stay engaged with the investigation.",
    ),
    ("GOV-11", "governance", "Governance", "Support is available to victims before an NRM referral is made."),
    ("GOV-12", "governance", "Governance", "Support is available to victims after an NRM referral."),
    ("GOV-13", "governance", "Governance", "Alternative support exists for people who decline an NRM referral."),
    (
        "GOV-14",
        "governance",
        "Governance",
        "Support services are commissioned where needed and the force has working arrangements with them.",
    ),
    ("SAF-01", "safeguarding", "Safeguarding", "The force takes a victim-centred approach to MSHT."),
    (
        "SAF-02",
        "safeguarding",
        "Safeguarding",
        "The threat of MSHT is understood and built into safeguarding frameworks and partnership arrangements.",
    ),
    (
        "SAF-03",
        "safeguarding",
        "Safeguarding",
        "Multi-agency safeguarding hubs and local safeguarding boards are told of MSHT incidents so they can "
        "support victims and the investigation.",
    ),
    (
        "INT-01",
        "intelligence",
        "Intelligence and risk management",
        "Suitable risk assessment tools and assets are used at strategic, regional and tactical levels.",
    ),
    ("INT-02", "intelligence", "Intelligence and risk management", "Suspects in MSHT cases are investigated fully."),
    (
        "INT-03",
        "intelligence",
        "Intelligence and risk management",
        "MSHT investigations are resourced and prioritised according to the harm they pose.",
    ),
    (
        "INT-04",
        "intelligence",
        "Intelligence and risk management",
        "MSHT victims, suspects and operations are recorded on the Police National Database.",
    ),
    (
        "INT-05",
        "intelligence",
        "Intelligence and risk management",
        "Intelligence is developed to find patterns and trends that feed strategic intelligence reporting.",
    ),
    (
        "INT-06",
        "intelligence",
        "Intelligence and risk management",
        "Named analysts work on intelligence development, patterns, trends and threats for strategic reporting.",
    ),
    (
        "INT-07",
        "intelligence",
        "Intelligence and risk management",
        "Those analysts take part in force and regional MSHT groups and in partnership meetings.",
    ),
    (
        "INT-08",
        "intelligence",
        "Intelligence and risk management",
        "NCA disruption measures are supported and every outcome is recorded and represented accurately.",
    ),
    (
        "LRN-01",
        "learning",
        "Learning",
        "Staff have a range of MSHT learning that helps them identify and safeguard victims, disrupt suspects "
        "and investigate to a high standard.",
    ),
    ("LRN-02", "learning", "Learning", "The modern slavery general awareness presentation is used with staff."),
    ("LRN-03", "learning", "Learning", "Investigators follow the MSHT investigator national policing curriculum."),
    ("LRN-04", "learning", "Learning", "Frontline officers and staff complete the modern slavery e-learning."),
    ("LRN-05", "learning", "Learning", "Investigators are equipped to run complex MSHT investigations."),
    (
        "PAR-01",
        "partnerships",
        "Partnerships",
        "Strategic partnership arrangements for MSHT are in place at a strategic level, alongside "
        "problem-oriented policing.",
    ),
    (
        "PAR-02",
        "partnerships",
        "Partnerships",
        "Every partner knows the responsibilities and powers of each agency involved.",
    ),
    ("PAR-03", "partnerships", "Partnerships", "Partnerships have clear terms of reference."),
    (
        "PAR-04",
        "partnerships",
        "Partnerships",
        "Intelligence sharing mechanisms, such as access to GAIN, are in place.",
    ),
    ("PAR-05", "partnerships", "Partnerships", "Suitable data and information sharing agreements are in place."),
    (
        "PAR-06",
        "partnerships",
        "Partnerships",
        "Governance leads and multi-agency partnerships understand the national, regional and local threat "
        "picture, so they can respond to emerging threat, risk and harm.",
    ),
    (
        "PAR-07",
        "partnerships",
        "Partnerships",
        "Working relationships exist with partner agencies, NGOs and charities, in the UK and abroad.",
    ),
    (
        "PAR-08",
        "partnerships",
        "Partnerships",
        "A strategic partnership forum on modern slavery meets regularly with the major partners and local NGOs.",
    ),
    (
        "PAR-09",
        "partnerships",
        "Partnerships",
        "The partnership forum addresses matters such as local reception centre provision.",
    ),
    (
        "PAR-10",
        "partnerships",
        "Partnerships",
        "Children referred to independent child trafficking guardians are recorded and monitored.",
    ),
]

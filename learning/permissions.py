"""Who may do what in the learning app: the sections each user sees (the role grants are in registration.py).

Analysts log and edit lessons and import training; senior leaders validate lessons and see everything;
board secretaries see summaries (patterns, dashboard panels); PCC liaisons see summaries, coverage and
OFFICIAL lessons (never OFFICIAL-SENSITIVE lesson text); partnership coordinators and external partners
have no part of this app.
"""

from dataclasses import dataclass

from django.urls import reverse

from mshtgov.roles import Role, has_role, is_external_partner


def sees_lesson_summaries(user) -> bool:
    return not is_external_partner(user) and user.has_perm("learning.view_lesson_patterns")


def sees_coverage(user) -> bool:
    return not is_external_partner(user) and user.has_perm("learning.view_coverage")


def sees_learning(user) -> bool:
    return getattr(user, "is_authenticated", False) and (sees_lesson_summaries(user) or sees_coverage(user))


@dataclass(frozen=True)
class Section:
    title: str
    url: str
    description: str


def sections_for(user) -> list[Section]:
    if not sees_learning(user):
        return []
    wanted = [
        (
            "learning.view_lesson",
            "Lessons learned",
            "learning:lesson-list",
            "Search lessons from investigations, follow them through to learned, and export them.",
        ),
        (
            "learning.view_lesson_patterns",
            "Patterns in lessons",
            "learning:lesson-patterns",
            "Themes over time, themes that recur across investigations, and how long lessons take to learn.",
        ),
        (
            "learning.view_coverage",
            "Training coverage",
            "learning:coverage",
            "The share of the people who should be trained who are, in date, against each product's target.",
        ),
        (
            "learning.view_trainingproduct",
            "Training catalogue",
            "learning:product-list",
            "The national and local MSHT learning products, who they are for and when they need refreshing.",
        ),
        (
            "learning.view_importbatch",
            "Training imports",
            "learning:import-list",
            "Import training records from the learning platform, and undo an import.",
        ),
        (
            "learning.view_establishment",
            "Establishment",
            "learning:establishment-list",
            "Headcount by unit and role group: the people who should be trained.",
        ),
    ]
    return [Section(title, reverse(url), text) for perm, title, url, text in wanted if user.has_perm(perm)]


def is_leader(user) -> bool:
    return has_role(user, Role.SENIOR_LEADER)

"""Boards: who sits on them, and who may see them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from mshtgov.marking import MarkedModel
from mshtgov.models import TrackedModel
from mshtgov.roles import Role, has_role, is_external_partner

# Who runs every board (meetings, agendas, minutes, actions, packs) holds this permission; the roles
# that do are granted it in governance/registration.py. Other internal roles see the boards they sit on.
RUN_BOARDS = "governance.run_boards"
MEMBER_ROLES = (Role.ANALYST, Role.PARTNERSHIP_COORDINATOR, Role.PCC_LIAISON)


class BoardKind(models.TextChoices):
    STRATEGIC = "strategic", "Strategic board"
    TACTICAL = "tactical", "Tactical delivery group"
    PARTNERSHIP_FORUM = "partnership_forum", "Partnership forum"
    REGIONAL = "regional", "Regional group"


class Cadence(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    SIX_WEEKLY = "six_weekly", "Every six weeks"
    BIMONTHLY = "bimonthly", "Every two months"
    QUARTERLY = "quarterly", "Quarterly"
    AS_NEEDED = "as_needed", "As needed"


class BoardQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The one list filter for boards (and, through them, meetings, papers and packs).

        Senior leaders and secretaries see every board; analysts, coordinators and PCC liaisons the
        boards they sit on; an external partner only the forums its organisation's group was granted
        (by the partnerships app, through BoardGroupObjectPermission)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if is_external_partner(user):
            from guardian.shortcuts import get_objects_for_user

            return get_objects_for_user(
                user, "governance.view_board", klass=self, accept_global_perms=False, with_superuser=False
            )
        if user.has_perm(RUN_BOARDS):
            return self
        if has_role(user, *MEMBER_ROLES):
            seats = Board.members.through.objects.filter(user_id=user.pk).values("board_id")
            return self.filter(Q(pk__in=seats) | Q(chair_id=user.pk) | Q(secretary_id=user.pk))
        return self.none()


class Board(TrackedModel, MarkedModel):
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=32, choices=BoardKind.choices)
    purpose = models.TextField(blank=True)
    terms_of_reference = models.TextField(
        blank=True, help_text="For a partnership forum, its terms of reference are kept with the partnership."
    )
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="chaired_boards"
    )
    secretary = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="secretary_of_boards"
    )
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="boards")
    cadence = models.CharField(max_length=16, choices=Cadence.choices, default=Cadence.QUARTERLY)
    active = models.BooleanField(default=True)

    objects = BoardQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        permissions = [("run_boards", "Can run every board: meetings, agendas, minutes, actions and packs")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("governance:board-detail", args=[self.pk])


class BoardUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Board, on_delete=models.CASCADE)


class BoardGroupObjectPermission(GroupObjectPermissionBase):
    """Partner organisations reach a forum's board through their group's grant (partnerships app)."""

    content_object = models.ForeignKey(Board, on_delete=models.CASCADE)

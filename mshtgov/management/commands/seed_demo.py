"""Build a fictional force with demo data for every app. Safe to run twice: nothing is duplicated."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from mshtgov import demo
from mshtgov.roles import Role, ensure_role_groups, sync_role_permissions

DEMO_USERS = [
    # username, role (None: admin), first name, last name
    ("leader", Role.SENIOR_LEADER, "Dana", "Okafor"),
    ("pcc", Role.PCC_LIAISON, "Priya", "Chandra"),
    ("analyst", Role.ANALYST, "Sam", "Whitfield"),
    ("coordinator", Role.PARTNERSHIP_COORDINATOR, "Morgan", "Reyes"),
    ("secretary", Role.BOARD_SECRETARY, "Alex", "Byrne"),
    ("partner", Role.EXTERNAL_PARTNER, "Jordan", "Mensah"),
    ("admin", None, "Ash", "Kowalski"),
]


class Command(BaseCommand):
    help = "Create demo users (one per role) and realistic demo data for every app."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1, help="Multiply data volumes (for benchmarks).")
        parser.add_argument("--password", default=None, help="Password for every demo user (or DEMO_PASSWORD).")

    def handle(self, *args, scale, password, **options):
        import os

        if scale < 1 or scale > 200:
            raise CommandError("--scale must be between 1 and 200.")
        password = password or os.environ.get("DEMO_PASSWORD") or None
        if password is None and not settings.DEBUG:
            raise CommandError(
                "Refusing to create demo accounts with a random password while DEBUG is off: "
                "pass --password or set DEMO_PASSWORD."
            )
        generated = password is None
        if generated:
            password = secrets.token_urlsafe(12)

        sync_role_permissions()
        users = self._users(password, generated)
        ctx = demo.DemoContext(scale=scale, users=users, today=timezone.localdate(), log=self._say)
        started = timezone.now()
        for _order, name, seeder in demo.seeders():
            self._say(f"Seeding {name} (scale {scale})...")
            with transaction.atomic():
                seeder(ctx)
        with transaction.atomic():
            _backdate_actions(since=started)
        self._say(self.style.SUCCESS("Demo data ready."))
        if generated:
            self._say(f"Demo users were given this password: {password}")

    def _say(self, message):
        self.stdout.write(str(message))

    def _users(self, password, generated):
        User = get_user_model()
        groups = ensure_role_groups()
        users = {}
        for username, role, first, last in DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"first_name": first, "last_name": last, "email": f"{username}@force.invalid"},
            )
            if created or not generated:
                user.set_password(password)
            if role is None:
                user.is_staff = user.is_superuser = True
            user.save()
            if role is not None:
                # Only the role groups are ours to set: other groups (a partner organisation's) stay.
                other_roles = [g for r, g in groups.items() if r != role]
                user.groups.remove(*other_roles)
                user.groups.add(groups[role])
            users[username] = user
            self._say(f"User {username}: {role.label if role else 'administrator'}{' (new)' if created else ''}")
        return users


def _backdate_actions(*, since) -> None:
    """Actions the seeders just created were all "raised" today: the board pack's "since the last meeting"
    would count every one of them as newly opened (issue 10: 374 opened while 79 are open in all). Date
    each as raised six weeks before it falls due (never after today, never after its completion)."""
    from datetime import datetime, time, timedelta

    from governance.models import Action
    from mshtgov.summaries import bump

    today = timezone.localdate()
    changed = []
    for action in Action.objects.filter(created_at__gte=since).only("pk", "due_date", "completed_on", "created_at"):
        raised = min(d for d in (action.due_date - timedelta(days=42), action.completed_on, today) if d is not None)
        action.created_at = timezone.make_aware(datetime.combine(raised, time(9, 0)))
        changed.append(action)
    Action.objects.bulk_update(changed, ["created_at"], batch_size=500)
    bump(Action)

"""Issue a one-time two-step enrolment code from the command line: for the first admin (nobody can yet
issue one in the admin) and for operators. Prints the code once; only its hash is stored."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from mshtgov.mfa import enrolment


class Command(BaseCommand):
    help = "Issue a one-time two-step enrolment code for USERNAME (it replaces any earlier code)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user called {username}.") from None
        code, row = enrolment.issue(user, by=None)
        self.stdout.write(f"Enrolment code for {username}: {code} (expires {row.expires_at:%Y-%m-%d %H:%M} UTC)")

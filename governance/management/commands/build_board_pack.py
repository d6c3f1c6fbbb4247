"""Build a meeting's board pack in the foreground, through the same code as the background task."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from governance.models import Meeting, PackStatus
from governance.packs.sections import available_sections
from governance.services.packs import board_pack_build
from mshtgov.tracking import save_tracked


class Command(BaseCommand):
    help = "Build the board pack of MEETING_ID now and write the PDF to --output."

    def add_arguments(self, parser):
        parser.add_argument("meeting_id", type=int)
        parser.add_argument("--output", required=True, help="Where to write the PDF.")
        parser.add_argument(
            "--user",
            default=None,
            help="Username the pack is built for (its panels show what that user may see). "
            "Defaults to the board's secretary.",
        )
        parser.add_argument("--sections", default="", help="Comma-separated section keys (default: all).")

    def handle(self, *args, meeting_id, output, user, sections, **options):
        from governance.models import BoardPack

        meeting = Meeting.objects.select_related("board__secretary").filter(pk=meeting_id).first()
        if meeting is None:
            raise CommandError(f"There is no meeting {meeting_id}.")
        requester = self._user(user, meeting)
        keys = [k.strip() for k in sections.split(",") if k.strip()]
        known = {s.key for s in available_sections()}
        unknown = sorted(set(keys) - known)
        if unknown:
            raise CommandError(f"Unknown sections {unknown}; choose from {sorted(known)}.")
        if BoardPack.objects.in_flight().filter(meeting=meeting).exists():
            raise CommandError("A pack for this meeting is already queued or being built; wait for it to finish.")
        pack = BoardPack(meeting=meeting, requested_by=requester, sections=keys, marking=meeting.marking)
        save_tracked(pack, by=requester, reason="Board pack built from the command line", clean=False)
        pack = board_pack_build(pack_id=pack.pk)
        if pack.status != PackStatus.READY:
            raise CommandError(f"The pack failed: {pack.failure_reason}")
        with pack.file.open("rb") as source:
            Path(output).write_bytes(source.read())
        self.stdout.write(f"Wrote {output}: {pack.pages} pages, {pack.size} bytes, marked {pack.marking}.")

    def _user(self, username, meeting):
        if username:
            found = get_user_model().objects.filter(username=username).first()
            if found is None:
                raise CommandError(f"There is no user {username!r}.")
            return found
        if meeting.board.secretary is None:
            raise CommandError("The board has no secretary: pass --user.")
        return meeting.board.secretary

"""Meeting papers: PDF only, size-limited, stored outside the web root under server-generated names."""

import hashlib
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from governance.models import Meeting, Paper
from mshtgov import antivirus
from mshtgov.tracking import save_tracked

PDF_MAGIC = b"%PDF-"


def max_paper_bytes() -> int:
    return getattr(settings, "GOVERNANCE_PAPER_MAX_BYTES", 20 * 1024 * 1024)


def validate_pdf_upload(upload) -> None:
    """Refuse anything that is not a PDF by name and by content, empty, or over the size limit."""
    limit = max_paper_bytes()
    name = upload.name or ""
    if not name.lower().endswith(".pdf"):
        raise ValidationError("The paper must be a PDF file (its name must end in .pdf).", code="not_pdf_name")
    if upload.size == 0:
        raise ValidationError("The file is empty. Choose the PDF of the paper.", code="empty")
    if upload.size > limit:
        raise ValidationError(
            f"The file is {upload.size / 1_048_576:.1f} MB: papers must be {limit // 1_048_576} MB or smaller.",
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(len(PDF_MAGIC))
    upload.seek(0)
    if head != PDF_MAGIC:
        raise ValidationError(
            "The file is not a PDF (its content does not start as a PDF does). Save the paper as PDF and try again.",
            code="not_pdf_content",
        )


def safe_display_name(name: str) -> str:
    """The uploader's file name, kept for display and the download header only: no paths, quotes,
    control characters or line breaks."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = re.sub(r"[\x00-\x1f\x7f\"';]", "", base).strip(" .") or "paper.pdf"
    if not base.lower().endswith(".pdf"):
        base += ".pdf"
    return base[-120:]


@transaction.atomic
def paper_upload(*, meeting: Meeting, title: str, upload, by, agenda_item=None, marking=None) -> Paper:
    """Check the file, store it under a server-made name, then save the row. If the row cannot be
    saved, the stored file is removed so nothing is half-saved."""
    validate_pdf_upload(upload)
    try:
        # Scanned here, once, rather than in the form: the form's checks are cheap, a scan is not.
        antivirus.check_upload(upload)
    except ValidationError as error:
        raise ValidationError({"file": error.error_list}) from error
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    paper = Paper(
        meeting=meeting,
        agenda_item=agenda_item,
        title=title,
        original_name=safe_display_name(upload.name),
        size=upload.size,
        sha256=digest.hexdigest(),
        uploaded_by=by,
    )
    if marking:
        paper.marking = marking
    paper.file.save("paper.pdf", upload, save=False)
    try:
        save_tracked(paper, by=by, reason="Paper uploaded")
    except Exception:
        paper.file.storage.delete(paper.file.name)
        raise
    return paper

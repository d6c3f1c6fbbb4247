"""The training catalogue, completions imported from the learning platform, and the establishment.

Coverage is the share of the people who should hold a product (the establishment of the role groups it
is for) who hold it in date (completed within its refresher interval). See `learning.selectors.coverage`.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models

from mshtgov.models import TrackedModel

validate_staff_number = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9\-]{0,19}$",
    "Enter a staff number of up to 20 letters, digits or dashes.",
    code="invalid_staff_number",
)


class TrainingProduct(TrackedModel):
    code = models.SlugField(max_length=60, unique=True, help_text="As it appears in learning platform exports.")
    name = models.CharField(max_length=200, unique=True)
    provider = models.CharField(
        max_length=200, blank=True, help_text="For example College of Policing (College Learn)."
    )
    national = models.BooleanField("a national product", default=False)
    description = models.TextField(blank=True)
    audience = models.ManyToManyField(
        "learning.RoleGroup", related_name="products", help_text="The role groups who should hold this product."
    )
    # The audience as text, kept by `product_save` beside the M2M, so the product's history shows who it
    # was for (simple-history cannot track the M2M of a model inheriting its history).
    audience_names = models.CharField("for", max_length=500, blank=True, editable=False)
    refresher_months = models.PositiveSmallIntegerField(
        "refresher interval (months)",
        null=True,
        blank=True,
        validators=[MaxValueValidator(120)],
        help_text="Leave blank when the product never needs refreshing.",
    )
    target_percent = models.PositiveSmallIntegerField(
        "coverage target (%)", default=90, validators=[MaxValueValidator(100)]
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["-national", "name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(target_percent__lte=100), name="learning_product_target_pct"),
        ]

    def __str__(self):
        return self.name


class ImportStatus(models.TextChoices):
    STAGED = "staged", "Waiting for confirmation"
    APPLYING = "applying", "Being imported"
    APPLIED = "applied", "Imported"
    FAILED = "failed", "Import failed"
    UNDONE = "undone", "Undone"
    DISCARDED = "discarded", "Discarded"


class ImportBatch(TrackedModel):
    """One upload of a learning platform export: staged with its preview, then applied whole or not at all.

    The file itself is kept server-side under a generated name between preview and confirmation, so
    the confirmation re-reads what was previewed and trusts nothing the browser sends back.
    """

    original_name = models.CharField(max_length=200)
    stored_name = models.CharField(max_length=200, editable=False)
    sha256 = models.CharField(max_length=64, db_index=True)
    size_bytes = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=16, choices=ImportStatus.choices, default=ImportStatus.STAGED)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    applied_at = models.DateTimeField(null=True, blank=True)
    # Who confirmed the import: set on confirmation, so the background job writes history in their name.
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Applying runs in the background (learning.tasks): confirmed_at is when "Import" was pressed; enqueued_at
    # is set once the broker took the job, and stays empty while it is unreachable (the sweeper sends it
    # later); started_at is when a worker began; attempts caps redeliveries of a job that kills its worker.
    confirmed_at = models.DateTimeField(null=True, blank=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # Renewed by the running job (mshtgov.queueing.heartbeat): stale means its worker died.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    failure_reason = models.TextField(blank=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rows_total = models.PositiveIntegerField(default=0)
    to_add = models.PositiveIntegerField(default=0)
    to_update = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True, help_text="The first errors: row, column, message.")
    # A sample of the rows to add and to update, and the units the batch will create, for the preview.
    preview = models.JSONField(default=dict, blank=True)
    # For rows the batch changed: record id -> [role group id, unit id, batch id] before the change, so
    # undoing the batch puts them back.
    previous_values = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "training import"
        verbose_name_plural = "training imports"
        indexes = [models.Index(fields=["status", "created_at"], name="learning_batch_status")]

    def __str__(self):
        return f"Training import #{self.pk} ({self.original_name})"

    @property
    def can_apply(self) -> bool:
        return self.status == ImportStatus.STAGED and self.error_count == 0 and (self.to_add or self.to_update)

    @property
    def in_flight(self) -> bool:
        return self.status == ImportStatus.APPLYING

    @property
    def waiting_for_background_service(self) -> bool:
        return self.status == ImportStatus.APPLYING and self.enqueued_at is None

    @property
    def can_retry(self) -> bool:
        return self.status == ImportStatus.FAILED or self.waiting_for_background_service

    @property
    def can_discard(self) -> bool:
        return self.status in (ImportStatus.STAGED, ImportStatus.FAILED)


class TrainingRecord(TrackedModel):
    """A completion of a product by a member of staff, as the learning platform exported it."""

    staff_number = models.CharField(max_length=20, validators=[validate_staff_number])
    role_group = models.ForeignKey("learning.RoleGroup", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("learning.Unit", on_delete=models.PROTECT, related_name="+")
    product = models.ForeignKey(TrainingProduct, on_delete=models.PROTECT, related_name="records")
    completed_on = models.DateField()
    batch = models.ForeignKey(ImportBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="records")

    class Meta:
        ordering = ["-completed_on", "staff_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["staff_number", "product", "completed_on"], name="learning_trainingrecord_one_completion"
            ),
        ]
        indexes = [
            models.Index(fields=["product", "completed_on"], name="learning_record_product_date"),
            models.Index(fields=["batch"], name="learning_record_batch"),
            # Coverage: each person's latest completion per product (GROUP BY product, staff number, MAX of the
            # date) read in order from this index alone instead of hashing every record (issue 15, item 3).
            models.Index(fields=["product", "staff_number", "completed_on"], name="learning_record_product_staff"),
            # Coverage per cell and day (`learning.selectors.coverage._trained_on_days`): the people of each
            # (product, unit, role group) counted distinct in the order of this index alone, cell by cell.
            models.Index(
                fields=["product", "unit", "role_group", "staff_number", "completed_on"],
                name="learning_record_cell_staff",
            ),
        ]
        permissions = [("view_coverage", "See training coverage and refreshers due")]

    def __str__(self):
        return f"{self.staff_number} {self.product_id} {self.completed_on}"


class Establishment(TrackedModel):
    """How many people of a role group a unit has: the people who should be trained."""

    unit = models.ForeignKey("learning.Unit", on_delete=models.PROTECT, related_name="establishment")
    role_group = models.ForeignKey("learning.RoleGroup", on_delete=models.PROTECT, related_name="establishment")
    headcount = models.PositiveIntegerField(validators=[MaxValueValidator(100_000)])

    class Meta:
        ordering = ["unit__name", "role_group__order"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "role_group"], name="learning_establishment_one_per_group"),
        ]

    def __str__(self):
        return f"{self.unit} – {self.role_group}: {self.headcount}"

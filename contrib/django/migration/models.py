"""recon's audit trail: the story's four models with exactly its field names,
plus the fields and tables recon needs to prove a migration complete.

The operator's name (recon's --by or $RECON_OPERATOR) is kept as text in
MigrationBatch.operator and DataQualityIssue.resolved_by_name; created_by and
resolved_by point at the active user whose e-mail equals that name (ignoring
case) when there is one, and are null otherwise. recon never creates users
for operators: every row of accounts_user must be explained by the migration.
"""
from django.conf import settings
from django.db import models
from django.db.models import Q


class MigrationBatch(models.Model):
    """One import of one export file."""

    BATCH_TYPES = [
        ("clients", "Clients"),
        ("pets", "Pets"),
        ("medical", "Medical Records"),
        ("vaccines", "Vaccinations"),
        ("appointments", "Appointments"),
        ("invoices", "Invoices"),
        ("invoice_items", "Invoice Items"),  # recon's addition: invoice lines are their own file
        ("products", "Products"),
        ("documents", "Documents"),
    ]
    STATUSES = [
        ("pending", "Pending"),
        ("running", "Running"),
        ("completed", "Completed"),
        ("failed", "Failed"),
        ("rolled_back", "Rolled Back"),
    ]

    batch_type = models.CharField(max_length=20, choices=BATCH_TYPES)
    source_file = models.CharField(max_length=500)
    status = models.CharField(max_length=20, choices=STATUSES, default="pending")
    total_records = models.IntegerField(default=0)
    imported_count = models.IntegerField(default=0)
    skipped_count = models.IntegerField(default=0)
    error_count = models.IntegerField(default=0)
    duplicate_count = models.IntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    is_dry_run = models.BooleanField(default=False)
    notes = models.TextField(blank=True)  # why a batch failed
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="migration_batches")

    # recon's additions.
    source_system = models.CharField(max_length=50, default="okvet")
    source_sha256 = models.TextField(blank=True)  # of the file as imported
    source_profile = models.TextField(blank=True)  # export layout recognised (seed, okvet_ui, dump, ...)
    operator = models.TextField(blank=True)  # the operator's name as given (--by)
    options = models.JSONField(default=dict)  # import options (mapping file, skip-duplicates, ...)
    updated_count = models.IntegerField(default=0)  # re-imported rows whose values changed
    unchanged_count = models.IntegerField(default=0)  # re-imported rows already identical
    orphaned_count = models.IntegerField(default=0)  # rows whose parent is missing
    rolled_back_at = models.DateTimeField(null=True, blank=True)
    rollback_summary = models.JSONField(null=True, blank=True)  # rows removed and restored per table
    blank_rows = models.IntegerField(default=0)  # physical line accounting of the file
    continuation_lines = models.IntegerField(default=0)
    merged_lines = models.IntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "migration batches"
        indexes = [models.Index(fields=["batch_type", "status"], name="migration_batch_type_idx")]

    def __str__(self):
        return f"#{self.pk} {self.batch_type} {self.status}"


class MigrationRecord(models.Model):
    """One row of an export file and what the import did with it."""

    STATUSES = [
        ("pending", "Pending"),
        ("imported", "Imported"),
        ("skipped", "Skipped"),
        ("error", "Error"),
        ("duplicate", "Duplicate"),
        ("updated", "Updated"),  # recon: re-imported, values changed
        ("unchanged", "Unchanged"),  # recon: re-imported, already identical
    ]

    batch = models.ForeignKey(MigrationBatch, on_delete=models.CASCADE, related_name="records")
    status = models.CharField(max_length=20, choices=STATUSES, default="pending")
    source_id = models.CharField(max_length=100)
    source_data = models.JSONField(default=dict)  # the row as read, header -> raw text
    target_model = models.CharField(max_length=100, blank=True)
    target_id = models.IntegerField(null=True, blank=True)
    error_message = models.TextField(blank=True)  # validation errors joined with "; "
    validation_errors = models.JSONField(default=list)
    duplicate_of = models.IntegerField(null=True, blank=True)  # the surviving row a duplicate was merged into
    created_at = models.DateTimeField(auto_now_add=True)

    # recon's additions.
    source_type = models.CharField(max_length=50)  # client, pet, record, ...
    line_number = models.IntegerField()  # physical line of the row in its file
    reason = models.TextField(blank=True)  # orphaned, merged_into:<id>, soft_deleted, ...
    raw_line = models.TextField(blank=True)  # the line as written, for reject files
    previous_values = models.JSONField(null=True, blank=True)  # destination row before an update, for rollback

    class Meta:
        indexes = [
            models.Index(fields=["batch", "line_number"], name="migration_record_line_idx"),
            models.Index(fields=["source_type", "source_id"], name="migration_record_source_idx"),
            models.Index(fields=["target_model", "target_id"], name="migration_record_target_idx",
                         condition=Q(target_id__isnull=False)),
            models.Index(fields=["batch"], name="migration_record_problem_idx",
                         condition=Q(status="error") | Q(reason="orphaned")),
        ]

    def __str__(self):
        return f"{self.source_type} {self.source_id} ({self.status})"


class ExternalIdMapping(models.Model):
    """OkVet id -> Pet-Friendly row."""

    source_system = models.CharField(max_length=50, default="okvet")
    source_type = models.CharField(max_length=50)
    source_id = models.CharField(max_length=100)
    target_model = models.CharField(max_length=100)
    target_id = models.IntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    # recon's additions.
    batch = models.ForeignKey(MigrationBatch, on_delete=models.SET_NULL, null=True, blank=True, related_name="mappings")
    is_merged = models.BooleanField(default=False)  # a duplicate mapped to its surviving row

    class Meta:
        unique_together = [("source_system", "source_type", "source_id")]
        indexes = [
            models.Index(fields=["source_system", "source_type", "source_id"], name="migration_mapping_source_idx"),
            models.Index(fields=["target_model", "target_id"], name="migration_mapping_target_idx"),
        ]

    def __str__(self):
        return f"{self.source_type} {self.source_id} -> {self.target_model} {self.target_id}"


class DataQualityIssue(models.Model):
    SEVERITIES = [
        ("critical", "Critical - Must Fix"),
        ("warning", "Warning - Should Review"),
        ("info", "Info - For Reference"),
    ]

    batch = models.ForeignKey(MigrationBatch, on_delete=models.CASCADE, related_name="issues")
    record = models.ForeignKey(MigrationRecord, on_delete=models.CASCADE, null=True, blank=True)
    severity = models.CharField(max_length=20, choices=SEVERITIES)
    issue_type = models.CharField(max_length=100)
    field_name = models.CharField(max_length=100, blank=True)
    description = models.TextField()
    source_value = models.TextField(blank=True)
    resolved = models.BooleanField(default=False)
    resolution = models.TextField(blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="resolved_issues")
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    # recon's additions.
    source_type = models.CharField(max_length=50, blank=True)
    source_id = models.TextField(blank=True)  # as read, even when it is not a usable id
    resolved_by_name = models.TextField(blank=True)  # the operator's name as given (--by)

    class Meta:
        indexes = [
            models.Index(fields=["severity", "issue_type"], name="migration_issue_open_idx", condition=Q(resolved=False)),
            models.Index(fields=["source_type", "source_id"], name="migration_issue_source_idx",
                         condition=Q(resolved=False)),
        ]

    def __str__(self):
        return f"{self.severity} {self.issue_type} {self.source_id}"


class IssueBatch(models.Model):
    """A later batch and record that raised an issue already open (a re-run links, it does not duplicate)."""

    issue = models.ForeignKey(DataQualityIssue, on_delete=models.CASCADE, related_name="raised_again")
    batch = models.ForeignKey(MigrationBatch, on_delete=models.CASCADE, related_name="+")
    record = models.ForeignKey(MigrationRecord, on_delete=models.CASCADE, related_name="+")

    class Meta:
        unique_together = [("issue", "batch", "record")]


class VerificationRun(models.Model):
    """One `recon verify`: its result, kept so rehearsals can be compared."""

    run_at = models.DateTimeField()
    operator = models.TextField(blank=True)
    ok = models.BooleanField()
    signoff_ready = models.BooleanField()
    fingerprint = models.TextField()
    summary = models.JSONField()


class Correction(models.Model):
    """An operator's edit of a migrated field after the import, so verify tells it from tampering."""

    source_system = models.CharField(max_length=50, default="okvet")
    source_type = models.CharField(max_length=50)
    source_id = models.CharField(max_length=100)
    field_name = models.TextField()  # canonical source field, e.g. nombre
    target_model = models.TextField()
    target_id = models.BigIntegerField()
    column_name = models.TextField()
    old_value = models.TextField(blank=True)
    new_value = models.TextField(blank=True)
    input_value = models.TextField(blank=True)
    reason = models.TextField()
    corrected_by = models.TextField()
    corrected_at = models.DateTimeField()
    issue = models.ForeignKey(DataQualityIssue, on_delete=models.SET_NULL, null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["source_type", "source_id", "field_name", "id"], name="migration_correction_src_idx")]
        constraints = [
            models.CheckConstraint(check=~Q(reason__regex=r"^\s*$"), name="migration_correction_reason_given"),
            models.CheckConstraint(check=~Q(corrected_by__regex=r"^\s*$"), name="migration_correction_by_given"),
        ]


class LockHolder(models.Model):
    """Who holds recon's advisory lock, so a second process can say whom it waits for."""

    id = models.SmallIntegerField(primary_key=True, default=1)
    backend_pid = models.IntegerField()
    client_pid = models.IntegerField()
    host = models.TextField(blank=True)
    pid_ns = models.TextField(blank=True)
    command = models.TextField(blank=True)
    operator = models.TextField(blank=True)
    batch_id = models.BigIntegerField(null=True, blank=True)
    acquired_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [models.CheckConstraint(check=Q(id=1), name="migration_lockholder_single")]


class SignOff(models.Model):
    """A signed approval PDF recorded with `recon signoff record`."""

    run_id = models.BigIntegerField()  # the VerificationRun named in the PDF
    signer = models.TextField()
    issuer = models.TextField(blank=True)
    self_signed = models.BooleanField()
    signed_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)
    fingerprint = models.TextField()
    content_fingerprint = models.TextField()
    file_sha256 = models.CharField(max_length=64, unique=True)
    recorded_at = models.DateTimeField()
    recorded_by = models.TextField()

    class Meta:
        constraints = [models.CheckConstraint(check=~Q(recorded_by__regex=r"^\s*$"), name="migration_signoff_by_given")]


class Setting(models.Model):
    """A setting kept once per database with `recon db set KEY=VALUE`; `clinic` is the name every report shows."""

    key = models.CharField(max_length=50, primary_key=True)
    value = models.TextField()
    updated_at = models.DateTimeField()
    updated_by = models.TextField()

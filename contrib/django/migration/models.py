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
        ("clients", "Clientes"),
        ("pets", "Mascotas"),
        ("medical", "Historias clínicas"),
        ("vaccines", "Vacunas"),
        ("appointments", "Citas"),
        ("invoices", "Facturas"),
        ("invoice_items", "Ítems de factura"),  # recon's addition: invoice lines are their own file
        ("products", "Productos"),
        ("documents", "Documentos"),
    ]
    STATUSES = [
        ("pending", "Pendiente"),
        ("running", "En curso"),
        ("completed", "Completado"),
        ("failed", "Fallido"),
        ("rolled_back", "Revertido"),
    ]

    batch_type = models.CharField(max_length=20, choices=BATCH_TYPES, verbose_name="tipo")
    source_file = models.CharField(max_length=500, verbose_name="archivo de origen")
    status = models.CharField(max_length=20, choices=STATUSES, default="pending", verbose_name="estado")
    total_records = models.IntegerField(default=0, verbose_name="leídas")
    imported_count = models.IntegerField(default=0, verbose_name="importadas")
    skipped_count = models.IntegerField(default=0, verbose_name="omitidas")
    error_count = models.IntegerField(default=0, verbose_name="rechazadas")
    duplicate_count = models.IntegerField(default=0, verbose_name="fusionadas")
    started_at = models.DateTimeField(null=True, blank=True, verbose_name="inicio")
    completed_at = models.DateTimeField(null=True, blank=True, verbose_name="fin")
    is_dry_run = models.BooleanField(default=False, verbose_name="simulación")
    notes = models.TextField(blank=True, verbose_name="notas")  # why a batch failed
    created_at = models.DateTimeField(auto_now_add=True, verbose_name="creado")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="migration_batches", verbose_name="creado por")

    # recon's additions.
    source_system = models.CharField(max_length=50, default="okvet", verbose_name="sistema de origen")
    source_sha256 = models.TextField(blank=True, verbose_name="SHA-256 del archivo")  # of the file as imported
    source_profile = models.TextField(blank=True, verbose_name="perfil de exportación")  # export layout recognised (seed, okvet_ui, dump, ...)
    operator = models.TextField(blank=True, verbose_name="operador")  # the operator's name as given (--by)
    options = models.JSONField(default=dict, verbose_name="opciones")  # import options (mapping file, skip-duplicates, ...)
    updated_count = models.IntegerField(default=0, verbose_name="actualizadas")  # re-imported rows whose values changed
    unchanged_count = models.IntegerField(default=0, verbose_name="sin cambios")  # re-imported rows already identical
    orphaned_count = models.IntegerField(default=0, verbose_name="huérfanas")  # rows whose parent is missing
    rolled_back_at = models.DateTimeField(null=True, blank=True, verbose_name="revertido el")
    rollback_summary = models.JSONField(null=True, blank=True, verbose_name="resumen de la reversión")  # rows removed and restored per table
    blank_rows = models.IntegerField(default=0, verbose_name="líneas en blanco")  # physical line accounting of the file
    continuation_lines = models.IntegerField(default=0, verbose_name="líneas de continuación")
    merged_lines = models.IntegerField(default=0, verbose_name="líneas unidas")

    class Meta:
        verbose_name = "lote de migración"
        verbose_name_plural = "lotes de migración"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["batch_type", "status"], name="migration_batch_type_idx")]

    def __str__(self):
        return f"Lote {self.pk}: {self.get_batch_type_display()}, {self.get_status_display().lower()}"


class MigrationRecord(models.Model):
    """One row of an export file and what the import did with it."""

    STATUSES = [
        ("pending", "Pendiente"),
        ("imported", "Importado"),
        ("skipped", "Omitido"),
        ("error", "Rechazado"),
        ("duplicate", "Fusionado (duplicado)"),
        ("updated", "Actualizado"),  # recon: re-imported, values changed
        ("unchanged", "Sin cambios"),  # recon: re-imported, already identical
    ]

    # No index of its own: migration_record_line_idx (batch, line_number) serves every look-up by batch.
    batch = models.ForeignKey(MigrationBatch, on_delete=models.CASCADE, related_name="records", verbose_name="lote", db_index=False)
    status = models.CharField(max_length=20, choices=STATUSES, default="pending", verbose_name="estado")
    source_id = models.CharField(max_length=100, verbose_name="id en OkVet")
    source_data = models.JSONField(default=dict, verbose_name="fila de origen")  # the row as read, header -> raw text
    target_model = models.CharField(max_length=100, blank=True, verbose_name="modelo de destino")
    target_id = models.IntegerField(null=True, blank=True, verbose_name="id de destino")
    error_message = models.TextField(blank=True, verbose_name="mensaje de error")  # validation errors joined with "; "
    validation_errors = models.JSONField(default=list, verbose_name="errores de validación")
    duplicate_of = models.IntegerField(null=True, blank=True, verbose_name="duplicado de")  # the surviving row a duplicate was merged into
    created_at = models.DateTimeField(auto_now_add=True, verbose_name="creado")

    # recon's additions.
    source_type = models.CharField(max_length=50, verbose_name="tipo de origen")  # client, pet, record, ...
    line_number = models.IntegerField(verbose_name="línea")  # physical line of the row in its file
    reason = models.TextField(blank=True, verbose_name="motivo")  # orphaned, merged_into:<id>, soft_deleted, ...
    # The line as written: kept for rejected and orphaned rows (reject files) and for rows whose text
    # recon's source.RebuildLine cannot rebuild from source_data; blank otherwise (issue 30).
    raw_line = models.TextField(blank=True, verbose_name="línea original")
    previous_values = models.JSONField(null=True, blank=True, verbose_name="valores anteriores")  # destination row before an update, for rollback

    class Meta:
        verbose_name = "registro de migración"
        verbose_name_plural = "registros de migración"
        indexes = [
            models.Index(fields=["batch", "line_number"], name="migration_record_line_idx"),
            models.Index(fields=["source_type", "source_id"], name="migration_record_source_idx"),
            models.Index(fields=["target_model", "target_id"], name="migration_record_target_idx",
                         condition=Q(target_id__isnull=False)),
            models.Index(fields=["batch"], name="migration_record_problem_idx",
                         condition=Q(status="error") | Q(reason="orphaned")),
        ]

    def __str__(self):
        outcome = "huérfano" if self.status == "skipped" and self.reason == "orphaned" else self.get_status_display().lower()
        return f"{self.source_type} {self.source_id} ({outcome})"


class ExternalIdMapping(models.Model):
    """OkVet id -> Pet-Friendly row."""

    source_system = models.CharField(max_length=50, default="okvet", verbose_name="sistema de origen")
    source_type = models.CharField(max_length=50, verbose_name="tipo de origen")
    source_id = models.CharField(max_length=100, verbose_name="id en OkVet")
    target_model = models.CharField(max_length=100, verbose_name="modelo de destino")
    target_id = models.IntegerField(verbose_name="id de destino")
    created_at = models.DateTimeField(auto_now_add=True, verbose_name="creado")

    # recon's additions.
    batch = models.ForeignKey(MigrationBatch, on_delete=models.SET_NULL, null=True, blank=True, related_name="mappings", verbose_name="lote")
    is_merged = models.BooleanField(default=False, verbose_name="fusionado")  # a duplicate mapped to its surviving row

    class Meta:
        verbose_name = "correspondencia de ids"
        verbose_name_plural = "correspondencias de ids"
        unique_together = [("source_system", "source_type", "source_id")]
        indexes = [
            models.Index(fields=["target_model", "target_id"], name="migration_mapping_target_idx"),
        ]

    def __str__(self):
        return f"{self.source_type} {self.source_id} → {self.target_model} {self.target_id}"


class DataQualityIssue(models.Model):
    SEVERITIES = [
        ("critical", "Crítico – debe corregirse"),
        ("warning", "Advertencia – conviene revisar"),
        ("info", "Información – para consulta"),
    ]

    batch = models.ForeignKey(MigrationBatch, on_delete=models.CASCADE, related_name="issues", verbose_name="lote")
    record = models.ForeignKey(MigrationRecord, on_delete=models.CASCADE, null=True, blank=True, verbose_name="registro")
    severity = models.CharField(max_length=20, choices=SEVERITIES, verbose_name="gravedad")
    issue_type = models.CharField(max_length=100, verbose_name="tipo de problema")
    field_name = models.CharField(max_length=100, blank=True, verbose_name="campo")
    description = models.TextField(verbose_name="descripción")
    source_value = models.TextField(blank=True, verbose_name="valor de origen")
    resolved = models.BooleanField(default=False, verbose_name="resuelto")
    resolution = models.TextField(blank=True, verbose_name="resolución")
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="resolved_issues", verbose_name="resuelto por (usuario)")
    resolved_at = models.DateTimeField(null=True, blank=True, verbose_name="resuelto el")
    created_at = models.DateTimeField(auto_now_add=True, verbose_name="creado")

    # recon's additions.
    source_type = models.CharField(max_length=50, blank=True, verbose_name="tipo de origen")
    source_id = models.TextField(blank=True, verbose_name="id en OkVet")  # as read, even when it is not a usable id
    resolved_by_name = models.TextField(blank=True, verbose_name="resuelto por")  # the operator's name as given (--by)

    class Meta:
        verbose_name = "problema de calidad"
        verbose_name_plural = "problemas de calidad"
        indexes = [
            models.Index(fields=["severity", "issue_type"], name="migration_issue_open_idx", condition=Q(resolved=False)),
            models.Index(fields=["source_type", "source_id"], name="migration_issue_source_idx",
                         condition=Q(resolved=False)),
        ]

    def __str__(self):
        return f"{self.get_severity_display().split(' –')[0]}: {self.issue_type} {self.source_id}"


class IssueBatch(models.Model):
    """A later batch and record that raised an issue already open (a re-run links, it does not duplicate)."""

    issue = models.ForeignKey(DataQualityIssue, on_delete=models.CASCADE, related_name="raised_again", verbose_name="problema")
    batch = models.ForeignKey(MigrationBatch, on_delete=models.CASCADE, related_name="+", verbose_name="lote")
    record = models.ForeignKey(MigrationRecord, on_delete=models.CASCADE, related_name="+", verbose_name="registro")

    class Meta:
        verbose_name = "reaparición de un problema"
        verbose_name_plural = "reapariciones de problemas"
        unique_together = [("issue", "batch", "record")]


class VerificationRun(models.Model):
    """One `recon verify`: its result, kept so rehearsals can be compared."""

    run_at = models.DateTimeField(verbose_name="fecha")
    operator = models.TextField(blank=True, verbose_name="operador")
    ok = models.BooleanField(verbose_name="verificado")
    signoff_ready = models.BooleanField(verbose_name="lista para aprobar")
    fingerprint = models.TextField(verbose_name="huella")
    summary = models.JSONField(verbose_name="resumen")

    class Meta:
        verbose_name = "verificación"
        verbose_name_plural = "verificaciones"


class Correction(models.Model):
    """An operator's edit of a migrated field after the import, so verify tells it from tampering."""

    source_system = models.CharField(max_length=50, default="okvet", verbose_name="sistema de origen")
    source_type = models.CharField(max_length=50, verbose_name="tipo de origen")
    source_id = models.CharField(max_length=100, verbose_name="id en OkVet")
    field_name = models.TextField(verbose_name="campo")  # canonical source field, e.g. nombre
    target_model = models.TextField(verbose_name="modelo de destino")
    target_id = models.BigIntegerField(verbose_name="id de destino")
    column_name = models.TextField(verbose_name="columna")
    old_value = models.TextField(blank=True, verbose_name="valor anterior")
    new_value = models.TextField(blank=True, verbose_name="valor nuevo")
    input_value = models.TextField(blank=True, verbose_name="valor escrito")
    reason = models.TextField(verbose_name="motivo")
    corrected_by = models.TextField(verbose_name="corregido por")
    corrected_at = models.DateTimeField(verbose_name="corregido el")
    issue = models.ForeignKey(DataQualityIssue, on_delete=models.SET_NULL, null=True, blank=True, verbose_name="problema")

    class Meta:
        verbose_name = "corrección"
        verbose_name_plural = "correcciones"
        indexes = [models.Index(fields=["source_type", "source_id", "field_name", "id"], name="migration_correction_src_idx")]
        constraints = [
            models.CheckConstraint(check=~Q(reason__regex=r"^\s*$"), name="migration_correction_reason_given"),
            models.CheckConstraint(check=~Q(corrected_by__regex=r"^\s*$"), name="migration_correction_by_given"),
        ]


class LockHolder(models.Model):
    """Who holds recon's advisory lock, so a second process can say whom it waits for."""

    id = models.SmallIntegerField(primary_key=True, default=1)
    backend_pid = models.IntegerField(verbose_name="PID del servidor")
    client_pid = models.IntegerField(verbose_name="PID del cliente")
    host = models.TextField(blank=True, verbose_name="equipo")
    pid_ns = models.TextField(blank=True, verbose_name="espacio de PID")
    command = models.TextField(blank=True, verbose_name="comando")
    operator = models.TextField(blank=True, verbose_name="operador")
    batch_id = models.BigIntegerField(null=True, blank=True, verbose_name="lote")
    acquired_at = models.DateTimeField(verbose_name="tomado el")
    updated_at = models.DateTimeField(verbose_name="actualizado el")

    class Meta:
        verbose_name = "bloqueo de recon"
        verbose_name_plural = "bloqueos de recon"
        constraints = [models.CheckConstraint(check=Q(id=1), name="migration_lockholder_single")]


class SignOff(models.Model):
    """A signed approval PDF recorded with `recon signoff record`."""

    run_id = models.BigIntegerField(verbose_name="verificación")  # the VerificationRun named in the PDF
    signer = models.TextField(verbose_name="firmante")
    issuer = models.TextField(blank=True, verbose_name="emisor del certificado")
    self_signed = models.BooleanField(verbose_name="autofirmado")
    signed_at = models.DateTimeField(null=True, blank=True, verbose_name="firmado el")
    reason = models.TextField(blank=True, verbose_name="motivo")
    fingerprint = models.TextField(verbose_name="huella")
    content_fingerprint = models.TextField(verbose_name="huella del contenido")
    file_sha256 = models.CharField(max_length=64, unique=True, verbose_name="SHA-256 del PDF")
    recorded_at = models.DateTimeField(verbose_name="registrado el")
    recorded_by = models.TextField(verbose_name="registrado por")

    class Meta:
        verbose_name = "aprobación firmada"
        verbose_name_plural = "aprobaciones firmadas"
        constraints = [models.CheckConstraint(check=~Q(recorded_by__regex=r"^\s*$"), name="migration_signoff_by_given")]


class Setting(models.Model):
    """A setting kept once per database with `recon db set KEY=VALUE`; `clinic` is the name every report shows."""

    key = models.CharField(max_length=50, primary_key=True, verbose_name="clave")
    value = models.TextField(verbose_name="valor")
    updated_at = models.DateTimeField(verbose_name="actualizado el")
    updated_by = models.TextField(verbose_name="actualizado por")

    class Meta:
        verbose_name = "ajuste"
        verbose_name_plural = "ajustes"

from django.contrib import admin

from migration import models


@admin.register(models.MigrationBatch)
class MigrationBatchAdmin(admin.ModelAdmin):
    list_display = ("id", "batch_type", "status", "source_file", "total_records", "imported_count", "error_count",
                    "duplicate_count", "skipped_count", "is_dry_run", "started_at", "completed_at", "operator")
    list_filter = ("batch_type", "status", "is_dry_run")
    search_fields = ("source_file", "operator")


@admin.register(models.MigrationRecord)
class MigrationRecordAdmin(admin.ModelAdmin):
    list_display = ("id", "batch", "source_type", "source_id", "line_number", "status", "reason", "target_model",
                    "target_id")
    list_filter = ("batch__batch_type", "status", "source_type")
    search_fields = ("source_id",)
    raw_id_fields = ("batch",)


@admin.register(models.ExternalIdMapping)
class ExternalIdMappingAdmin(admin.ModelAdmin):
    list_display = ("source_type", "source_id", "target_model", "target_id", "is_merged", "batch")
    list_filter = ("source_type", "is_merged")
    search_fields = ("source_id",)
    raw_id_fields = ("batch",)


@admin.register(models.DataQualityIssue)
class DataQualityIssueAdmin(admin.ModelAdmin):
    list_display = ("id", "batch", "severity", "issue_type", "source_type", "source_id", "field_name", "resolved")
    list_filter = ("severity", "resolved", "issue_type", "batch__batch_type")
    search_fields = ("source_id", "description")
    raw_id_fields = ("batch", "record")


@admin.register(models.VerificationRun)
class VerificationRunAdmin(admin.ModelAdmin):
    list_display = ("id", "run_at", "operator", "ok", "signoff_ready", "fingerprint")
    list_filter = ("ok", "signoff_ready")


@admin.register(models.Correction)
class CorrectionAdmin(admin.ModelAdmin):
    list_display = ("id", "source_type", "source_id", "field_name", "old_value", "new_value", "corrected_by",
                    "corrected_at")
    search_fields = ("source_id",)


@admin.register(models.SignOff)
class SignOffAdmin(admin.ModelAdmin):
    list_display = ("id", "run_id", "signer", "signed_at", "recorded_by", "recorded_at")

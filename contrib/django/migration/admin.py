"""The migration's audit trail in Pet-Friendly's admin, in Spanish.

Everything recon wrote is evidence: batches, records, mappings, verification
runs, corrections and sign-offs are shown read-only (no add, change or
delete, whoever is logged in). The one thing staff do here is resolve a
quality issue: only its resolution fields are editable, and the resolver and
the time are set from the logged-in user, never typed.
"""
from django import forms
from django.contrib import admin
from django.utils import timezone

from migration import models

# The outcome columns of a batch, in the order `recon batches` prints them;
# together they add up to the rows read.
OUTCOME_COUNTS = ("imported_count", "updated_count", "unchanged_count", "duplicate_count", "error_count",
                  "orphaned_count", "skipped_count")


class ReadOnlyAdmin(admin.ModelAdmin):
    """An audit table: viewable, never added to, edited or deleted from."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.MigrationBatch)
class MigrationBatchAdmin(ReadOnlyAdmin):
    # What the clinic checks comes first: the rows read, that the outcomes add
    # up to them, then each outcome (the file is in the search and the detail).
    list_display = ("id", "batch_type", "state", "total_records", "adds_up", *OUTCOME_COUNTS, "started", "operator")
    list_filter = ("batch_type", "status", "is_dry_run")
    search_fields = ("source_file", "operator")

    @admin.display(description="estado", ordering="status")
    def state(self, obj):
        # A dry run says so where the status is, as `recon batches` does.
        return obj.get_status_display() + (" (simulación)" if obj.is_dry_run else "")

    @admin.display(description="inicio", ordering="started_at")
    def started(self, obj):
        # Short, in the clinic's time zone, with the zone written.
        if obj.started_at is None:
            return "-"
        return timezone.localtime(obj.started_at).strftime("%Y-%m-%d %H:%M %Z").replace(" ", "\u00a0")

    @admin.display(description="¿cuadra?", boolean=True)
    def adds_up(self, obj):
        return sum(getattr(obj, f) for f in OUTCOME_COUNTS) == obj.total_records


class OutcomeFilter(admin.SimpleListFilter):
    """A record's outcome as recon reports it: an orphan is not "omitido"."""

    title = "resultado"
    parameter_name = "resultado"

    def lookups(self, request, model_admin):
        return [(code, label) for code, label in models.MigrationRecord.STATUSES if code != "pending"] + \
            [("orphaned", "Huérfano")]

    def queryset(self, request, queryset):
        if self.value() == "orphaned":
            return queryset.filter(status="skipped", reason="orphaned")
        if self.value() == "skipped":
            return queryset.filter(status="skipped").exclude(reason="orphaned")
        if self.value():
            return queryset.filter(status=self.value())
        return queryset


def record_outcome(record):
    """The outcome in words; recon keeps an orphan as status skipped, reason orphaned."""
    if record.status == "skipped" and record.reason == "orphaned":
        return "Huérfano"
    return record.get_status_display()


@admin.register(models.MigrationRecord)
class MigrationRecordAdmin(ReadOnlyAdmin):
    list_display = ("id", "batch", "source_type", "source_id", "line_number", "outcome", "reason", "target_model",
                    "target_id")
    list_filter = ("batch__batch_type", OutcomeFilter, "source_type")
    search_fields = ("source_id",)

    @admin.display(description="resultado", ordering="status")
    def outcome(self, obj):
        return record_outcome(obj)


@admin.register(models.ExternalIdMapping)
class ExternalIdMappingAdmin(ReadOnlyAdmin):
    list_display = ("source_type", "source_id", "target_model", "target_id", "is_merged", "batch")
    list_filter = ("source_type", "is_merged")
    search_fields = ("source_id",)


class IssueResolutionForm(forms.ModelForm):
    class Meta:
        model = models.DataQualityIssue
        fields = ("resolved", "resolution")

    def clean(self):
        data = super().clean()
        if data.get("resolved") and self.instance.severity == "critical" and not (data.get("resolution") or "").strip():
            self.add_error("resolution", "Un problema crítico se marca resuelto solo diciendo cómo: escriba la resolución.")
        return data


@admin.register(models.DataQualityIssue)
class DataQualityIssueAdmin(admin.ModelAdmin):
    form = IssueResolutionForm
    list_display = ("id", "batch", "severity", "issue_type", "source_type", "source_id", "field_name", "resolved",
                    "resolved_by_name", "resolved_at")
    list_filter = ("severity", "resolved", "issue_type", "batch__batch_type")
    search_fields = ("source_id", "description")
    fields = ("batch", "record", "severity", "issue_type", "source_type", "source_id", "field_name", "description",
              "source_value", "created_at", "resolved", "resolution", "resolved_by_name", "resolved_by", "resolved_at")
    readonly_fields = tuple(f for f in fields if f not in IssueResolutionForm.Meta.fields)

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # Whoever marks the issue resolved, or rewrites how, is its resolver,
        # now; reopening it clears the trace.
        if obj.resolved and {"resolved", "resolution"} & set(form.changed_data):
            obj.resolved_by = request.user
            obj.resolved_by_name = request.user.email
            obj.resolved_at = timezone.now()
        elif not obj.resolved:
            obj.resolved_by, obj.resolved_by_name, obj.resolved_at = None, "", None
        super().save_model(request, obj, form, change)


@admin.register(models.VerificationRun)
class VerificationRunAdmin(ReadOnlyAdmin):
    list_display = ("id", "run_at", "operator", "ok", "signoff_ready", "fingerprint")
    list_filter = ("ok", "signoff_ready")


@admin.register(models.Correction)
class CorrectionAdmin(ReadOnlyAdmin):
    list_display = ("id", "source_type", "source_id", "field_name", "old_value", "new_value", "corrected_by",
                    "corrected_at")
    search_fields = ("source_id",)


@admin.register(models.SignOff)
class SignOffAdmin(ReadOnlyAdmin):
    list_display = ("id", "run_id", "signer", "signed_at", "recorded_by", "recorded_at")

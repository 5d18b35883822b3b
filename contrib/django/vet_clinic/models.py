from django.conf import settings
from django.db import models
from django.utils import timezone


class OwnerProfile(models.Model):
    """A client of the clinic (OkVet's clientes); the login is its User."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="owner_profile")
    external_id = models.CharField(max_length=100, blank=True, db_index=True)  # OkVet id
    full_name = models.TextField(blank=True)
    phone = models.TextField(blank=True)
    mobile = models.TextField(blank=True)
    document_type = models.TextField(blank=True)
    document_number = models.TextField(blank=True)
    address = models.TextField(blank=True)
    city = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    data_consent = models.BooleanField(default=False)  # habeas data authorisation
    data_consent_at = models.DateTimeField(null=True, blank=True)
    # recon's stand-in owner for pets whose owner is missing from the export.
    is_placeholder = models.BooleanField(default=False)
    # When the owner registered at the clinic (OkVet fecha_registro); null
    # when the export does not say.
    created_at = models.DateTimeField(default=timezone.now, null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["document_type", "document_number"], name="vet_clinic_owner_doc_idx")]

    def __str__(self):
        return self.full_name or self.external_id

from django.db import models
from django.utils import timezone

from pets.models import Pet
from vet_clinic.models import OwnerProfile


class Document(models.Model):
    pet = models.ForeignKey(Pet, on_delete=models.CASCADE, related_name="documents")
    owner = models.ForeignKey(OwnerProfile, on_delete=models.CASCADE, null=True, blank=True, related_name="documents")
    external_id = models.CharField(max_length=100, blank=True, db_index=True)  # OkVet id
    file = models.TextField()  # path inside the media store
    original_path = models.TextField(blank=True)  # path as written in the export
    document_type = models.TextField(blank=True)
    description = models.TextField(blank=True)
    document_date = models.DateField(null=True, blank=True)
    size_bytes = models.BigIntegerField(default=0)
    sha256 = models.TextField(blank=True, db_index=True)
    uploaded_at = models.DateTimeField(default=timezone.now)

from django.db import models

from pets.models import Pet
from vet_clinic.models import OwnerProfile


class Appointment(models.Model):
    STATUS_CHOICES = [(s, s) for s in ("scheduled", "confirmed", "completed", "cancelled", "no_show")]

    pet = models.ForeignKey(Pet, on_delete=models.CASCADE, related_name="appointments")
    owner = models.ForeignKey(OwnerProfile, on_delete=models.CASCADE, null=True, blank=True, related_name="appointments")
    external_id = models.CharField(max_length=100, blank=True, db_index=True)  # OkVet id
    starts_at = models.DateTimeField()
    duration_minutes = models.IntegerField(null=True, blank=True)
    reason = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=STATUS_CHOICES, default="scheduled")
    vet_external_id = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

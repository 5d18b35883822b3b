from django.db import models

from pets.models import Pet


class MedicalRecord(models.Model):
    pet = models.ForeignKey(Pet, on_delete=models.CASCADE, related_name="medical_records")
    external_id = models.CharField(max_length=100, blank=True, db_index=True)  # OkVet id
    date = models.DateTimeField()
    record_type = models.TextField(blank=True)
    description = models.TextField(blank=True)
    diagnosis = models.TextField(blank=True)
    treatment = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    vet_external_id = models.TextField(blank=True)  # OkVet id_veterinario
    created_at = models.DateTimeField(auto_now_add=True)


class VaccinationRecord(models.Model):
    pet = models.ForeignKey(Pet, on_delete=models.CASCADE, related_name="vaccinations")
    external_id = models.CharField(max_length=100, blank=True, db_index=True)  # OkVet id
    vaccine_name = models.TextField()
    date_given = models.DateField()
    next_due_date = models.DateField(null=True, blank=True)
    lot_number = models.TextField(blank=True)
    manufacturer = models.TextField(blank=True)
    administered_by = models.TextField(blank=True)  # OkVet id_veterinario
    created_at = models.DateTimeField(auto_now_add=True)

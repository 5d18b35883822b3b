from django.db import models

from vet_clinic.models import OwnerProfile


class Pet(models.Model):
    SPECIES_CHOICES = [(s, s) for s in ("dog", "cat", "bird", "rabbit", "rodent", "reptile", "horse", "fish",
                                        "ferret", "pig", "cattle", "other")]
    SEX_CHOICES = [("male", "Male"), ("female", "Female"), ("unknown", "Unknown")]

    owner = models.ForeignKey(OwnerProfile, on_delete=models.CASCADE, related_name="pets")
    external_id = models.CharField(max_length=100, blank=True, db_index=True)  # OkVet id
    name = models.TextField()
    species = models.CharField(max_length=20, choices=SPECIES_CHOICES, default="other")
    breed = models.TextField(blank=True)
    sex = models.CharField(max_length=10, choices=SEX_CHOICES, default="unknown")
    birth_date = models.DateField(null=True, blank=True)
    weight = models.DecimalField(max_digits=8, decimal_places=3, null=True, blank=True)  # kilograms
    color = models.TextField(blank=True)
    microchip_number = models.TextField(blank=True)
    is_sterilized = models.BooleanField(default=False)
    is_deceased = models.BooleanField(default=False)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return self.name

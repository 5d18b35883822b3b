"""Read back through the ORM and the admin what recon wrote, as JSON.

Used by recon's end-to-end test of the Django path: the counts per model are
compared with `recon verify`, a pet's medical records are followed through
the relation, open issues are counted as staff would filter them, and the
admin change lists are fetched as a staff user. The staff user exists only
inside a transaction that is rolled back, so the database is left as found.
"""
import json

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Count
from django.test import Client

APPS = ("accounts", "vet_clinic", "pets", "medical", "appointments", "billing", "inventory", "documents", "migration")
ADMIN_PAGES = ("migrationbatch", "migrationrecord", "externalidmapping", "dataqualityissue", "verificationrun")


class Command(BaseCommand):
    help = "Print counts per model, a pet's records through the relation, open issues and admin status codes as JSON."

    def handle(self, *args, **options):
        from medical.models import MedicalRecord
        from migration.models import DataQualityIssue, MigrationBatch
        from pets.models import Pet

        out = {"counts": {}}
        for label in APPS:
            for model in apps.get_app_config(label).get_models():
                out["counts"][model._meta.db_table] = model.objects.count()

        pet = Pet.objects.annotate(n=Count("medical_records")).order_by("-n", "id").first()
        if pet is not None:
            out["pet"] = {
                "id": pet.id,
                "external_id": pet.external_id,
                "owner_external_id": pet.owner.external_id,
                "records_through_relation": pet.medical_records.count(),
                "record_external_ids": sorted(pet.medical_records.values_list("external_id", flat=True)),
            }
            out["pet"]["records_direct"] = MedicalRecord.objects.filter(pet_id=pet.id).count()

        out["unresolved_issues"] = DataQualityIssue.objects.filter(resolved=False).count()
        out["batches"] = {b.batch_type: b.status for b in MigrationBatch.objects.order_by("id")}

        User = apps.get_model("accounts", "User")
        with transaction.atomic():
            staff = User.objects.create_user(email="readback-staff@recon.invalid", password=None, is_staff=True,
                                             role=User.ROLE_STAFF)
            client = Client()
            client.force_login(staff)
            out["admin"] = {}
            for page in ADMIN_PAGES:
                resp = client.get(f"/admin/migration/{page}/")
                out["admin"][page] = resp.status_code
            resp = client.get("/admin/migration/dataqualityissue/", {"resolved__exact": "0", "severity__exact": "critical"})
            out["admin"]["dataqualityissue_filtered"] = resp.status_code
            resp = client.get("/admin/migration/migrationrecord/", {"q": out.get("pet", {}).get("external_id", "")})
            out["admin"]["migrationrecord_search"] = resp.status_code
            anonymous = Client().get("/admin/migration/migrationbatch/")
            out["admin"]["anonymous"] = anonymous.status_code
            transaction.set_rollback(True)

        self.stdout.write(json.dumps(out, sort_keys=True))

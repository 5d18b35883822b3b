"""The admin as clinic staff use it: in Spanish, styled with DEBUG off, the audit
trail read-only, issues resolved with a traced resolver (run by recon's Go
tests: `manage.py test migration`)."""
from datetime import datetime, timezone as tz

from django.contrib.auth import get_user_model
from django.test import TestCase
from django.utils import timezone

from migration import models


class AdminTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        User = get_user_model()
        cls.staff = User.objects.create_user(email="ana@clinica.co", password="x", is_staff=True, role="staff")
        cls.batch = models.MigrationBatch.objects.create(
            batch_type="pets", source_file="/export/mascotas.csv", status="completed", total_records=10,
            imported_count=4, updated_count=1, unchanged_count=1, duplicate_count=1, error_count=1, orphaned_count=1,
            skipped_count=1, operator="ana@clinica.co")
        cls.orphan = models.MigrationRecord.objects.create(batch=cls.batch, status="skipped", reason="orphaned",
                                                          source_id="P9", source_type="pet", line_number=3)
        cls.deleted = models.MigrationRecord.objects.create(batch=cls.batch, status="skipped", reason="soft_deleted",
                                                           source_id="P8", source_type="pet", line_number=4)
        cls.critical = models.DataQualityIssue.objects.create(
            batch=cls.batch, record=cls.orphan, severity="critical", issue_type="orphaned_record",
            description="cliente C3 ausente", source_type="pet", source_id="P9")
        cls.warning = models.DataQualityIssue.objects.create(
            batch=cls.batch, severity="warning", issue_type="invalid_email", field_name="email",
            description="correo inválido", source_type="client", source_id="C1")
        now = datetime(2026, 12, 1, 15, 0, tzinfo=tz.utc)
        cls.audit = {
            "migrationbatch": cls.batch,
            "migrationrecord": cls.orphan,
            "externalidmapping": models.ExternalIdMapping.objects.create(
                source_type="pet", source_id="P1", target_model="pets.Pet", target_id=1, batch=cls.batch),
            "verificationrun": models.VerificationRun.objects.create(
                run_at=now, ok=True, signoff_ready=False, fingerprint="f", summary={}),
            "correction": models.Correction.objects.create(
                source_type="pet", source_id="P1", field_name="nombre", target_model="pets.Pet", target_id=1,
                column_name="name", old_value="Benito", new_value="Benita", reason="error de digitación",
                corrected_by="ana@clinica.co", corrected_at=now),
            "signoff": models.SignOff.objects.create(
                run_id=1, signer="Dr. Pablo", self_signed=True, fingerprint="f", content_fingerprint="c",
                file_sha256="0" * 64, recorded_at=now, recorded_by="ana@clinica.co"),
        }

    def setUp(self):
        self.client.force_login(self.staff)

    def test_batch_list_shows_every_outcome_in_spanish(self):
        resp = self.client.get("/admin/migration/migrationbatch/")
        self.assertEqual(resp.status_code, 200)
        for text in ("Lotes de migración", "Leídas", "Inicio", "Importadas", "Actualizadas", "Sin cambios",
                     "Fusionadas", "Rechazadas", "Huérfanas", "Omitidas", "¿cuadra?", "Mascotas",
                     "Completado"):
            self.assertContains(resp, text)
        self.assertNotContains(resp, "Total records")
        # 4 + 1 + 1 + 1 + 1 + 1 + 1 = 10: the row adds up.
        self.assertContains(resp, 'src="/static/admin/img/icon-yes.svg" alt="True"')

    def test_orphan_is_not_skipped(self):
        resp = self.client.get("/admin/migration/migrationrecord/")
        self.assertContains(resp, "Huérfano")
        orphans = self.client.get("/admin/migration/migrationrecord/", {"resultado": "orphaned"}).context["cl"]
        self.assertEqual([r.source_id for r in orphans.result_list], ["P9"])
        skipped = self.client.get("/admin/migration/migrationrecord/", {"resultado": "skipped"}).context["cl"]
        self.assertEqual([r.source_id for r in skipped.result_list], ["P8"])

    def test_audit_trail_is_read_only(self):
        index = self.client.get("/admin/")
        self.assertContains(index, "Migración desde OkVet (recon)")
        for name, obj in self.audit.items():
            with self.subTest(model=name):
                base = f"/admin/migration/{name}/"
                self.assertNotContains(index, base + "add/")
                self.assertEqual(self.client.get(base + "add/").status_code, 403)
                self.assertEqual(self.client.get(f"{base}{obj.pk}/change/").status_code, 200)
                self.assertEqual(self.client.post(f"{base}{obj.pk}/change/", {"operator": "x"}).status_code, 403)
                self.assertEqual(self.client.post(f"{base}{obj.pk}/delete/", {"post": "yes"}).status_code, 403)
                self.assertTrue(type(obj).objects.filter(pk=obj.pk).exists())
        self.batch.refresh_from_db()
        self.assertEqual(self.batch.operator, "ana@clinica.co")
        issue = "/admin/migration/dataqualityissue/"
        self.assertEqual(self.client.get(issue + "add/").status_code, 403)
        self.assertEqual(self.client.post(f"{issue}{self.warning.pk}/delete/", {"post": "yes"}).status_code, 403)

    def test_resolving_sets_resolver_and_time(self):
        before = timezone.now()
        resp = self.client.post(f"/admin/migration/dataqualityissue/{self.warning.pk}/change/", {
            "resolved": "on", "resolution": "Correo confirmado por teléfono",
            # Fields that are not the resolution's are ignored.
            "severity": "info", "description": "otra", "resolved_by_name": "alguien", "_save": "Guardar"})
        self.assertEqual(resp.status_code, 302)
        self.warning.refresh_from_db()
        self.assertTrue(self.warning.resolved)
        self.assertEqual(self.warning.resolved_by, self.staff)
        self.assertEqual(self.warning.resolved_by_name, "ana@clinica.co")
        self.assertTrue(before <= self.warning.resolved_at <= timezone.now())
        self.assertEqual((self.warning.severity, self.warning.description), ("warning", "correo inválido"))

        # Reopened, it keeps no resolver.
        self.client.post(f"/admin/migration/dataqualityissue/{self.warning.pk}/change/",
                         {"resolution": "Correo confirmado por teléfono", "_save": "Guardar"})
        self.warning.refresh_from_db()
        self.assertEqual((self.warning.resolved, self.warning.resolved_by, self.warning.resolved_by_name,
                          self.warning.resolved_at), (False, None, "", None))

    def test_critical_needs_a_resolution(self):
        url = f"/admin/migration/dataqualityissue/{self.critical.pk}/change/"
        resp = self.client.get(url)
        self.assertContains(resp, "Crítico – debe corregirse")
        resp = self.client.post(url, {"resolved": "on", "resolution": "  ", "_save": "Guardar"})
        self.assertEqual(resp.status_code, 200)
        self.assertContains(resp, "escriba la resolución")
        self.critical.refresh_from_db()
        self.assertFalse(self.critical.resolved)
        resp = self.client.post(url, {"resolved": "on", "resolution": "Cliente C3 creado a mano", "_save": "Guardar"})
        self.assertEqual(resp.status_code, 302)
        self.critical.refresh_from_db()
        self.assertEqual((self.critical.resolved, self.critical.resolved_by_name), (True, "ana@clinica.co"))
        self.assertIsNotNone(self.critical.resolved_at)

    def test_static_files_with_debug_off(self):
        from django.conf import settings
        self.assertFalse(settings.DEBUG)
        for path in ("/static/admin/css/base.css", "/static/admin/img/icon-yes.svg", "/static/admin/js/core.js"):
            with self.subTest(path=path):
                resp = self.client.get(path)
                self.assertEqual(resp.status_code, 200)
        self.assertEqual(self.client.get("/static/admin/css/none.css").status_code, 404)

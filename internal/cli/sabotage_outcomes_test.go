package cli

// Sabotage cases of issue 26, kept apart from the catalogue in
// sabotage_test.go: forged outcomes (rejection, orphan, skip, merge), an
// escalated login, a traceless resolution, a lost correction, a stray row
// after an approval, an approval of a run not ready; and what a clinic
// does every day and must pass (a superuser from createsuperuser, staff
// from create_user(is_staff=True), issues resolved properly, owners
// logging in). Each case imports the tiny hand-written export of the
// verify goldens (testdata/reconcile/export) into a database of its own:
// the smallest export that holds a rejection (C3), a merge (C4 into C1)
// and orphans (P4, H4).

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/petfriendly/recon/internal/pgtest"
	"github.com/petfriendly/recon/reconcile"
)

// outEnv is one case's database, home and export.
type outEnv struct {
	t      *testing.T
	db     *pgtest.DB
	home   string
	export string
	runs   int
}

func newOutEnv(t *testing.T) *outEnv {
	t.Helper()
	e := &outEnv{t: t, db: pgtest.MustOpenDB(t), home: t.TempDir(), export: copyExport(t)}
	e.must(0, "import", "all", "--dir", e.export)
	return e
}

func (e *outEnv) cli(args ...string) (int, string) {
	code, out, errs := run(e.t, append([]string{"--database-url", e.db.URL, "--home", e.home, "--no-progress"}, args...)...)
	return code, out + errs
}

func (e *outEnv) must(code int, args ...string) string {
	e.t.Helper()
	got, out := e.cli(args...)
	if got != code {
		e.t.Fatalf("recon %s: exit %d, want %d\n%s", strings.Join(args, " "), got, code, out)
	}
	return out
}

func (e *outEnv) exec(sql string, args ...any) {
	e.t.Helper()
	if _, err := e.db.Pool.Exec(context.Background(), sql, args...); err != nil {
		e.t.Fatalf("%s: %v", sql, err)
	}
}

// verify runs recon verify and returns its exit code and result.
func (e *outEnv) verify() (int, reconcile.Result, string) {
	e.t.Helper()
	e.runs++
	path := filepath.Join(e.home, "v"+string(rune('0'+e.runs))+".json")
	code, out := e.cli("verify", "--seed", "1", "--json", path)
	var r reconcile.Result
	b, err := os.ReadFile(path)
	if err != nil {
		e.t.Fatalf("verify wrote no JSON (exit %d): %v\n%s", code, err, out)
	}
	if err := json.Unmarshal(b, &r); err != nil {
		e.t.Fatal(err)
	}
	return code, r, out
}

// finding returns the first finding with the code and source id.
func finding(r reconcile.Result, code, sourceID string) (reconcile.Finding, bool) {
	for _, f := range r.Findings {
		if f.Code == code && (sourceID == "" || f.SourceID == sourceID) {
			return f, true
		}
	}
	return reconcile.Finding{}, false
}

// Forgeries of the audit trail run as SQL after the import: each deletes
// a valid row and rewrites its record as a fate the export does not give.
const (
	deletePetP3 = `DELETE FROM pets_pet WHERE id = (SELECT target_id FROM migration_externalidmapping WHERE source_type = 'pet' AND source_id = 'P3');
		DELETE FROM migration_externalidmapping WHERE source_type = 'pet' AND source_id = 'P3';`
	issueOfP3 = `INSERT INTO migration_dataqualityissue (batch_id, record_id, source_type, source_id, severity, issue_type, field_name,
			description, source_value, resolved, resolution, resolved_by_name, created_at)
		SELECT batch_id, id, 'pet', 'P3', 'critical', $1, $2, 'forged', '', false, '', '', created_at
		FROM migration_migrationrecord WHERE source_type = 'pet' AND source_id = 'P3';`
)

func TestSabotageForgedOutcomes(t *testing.T) {
	cases := []struct {
		name     string
		tamper   func(e *outEnv)
		id       string
		recorded string
		why      string
	}{
		{"forged rejection", func(e *outEnv) {
			e.exec(deletePetP3)
			e.exec(`UPDATE migration_migrationrecord SET status = 'error', reason = 'empty_name', target_id = NULL WHERE source_type = 'pet' AND source_id = 'P3'`)
			e.exec(issueOfP3, "empty_name", "nombre")
		}, "P3", "error:empty_name", reconcile.WhyNoProblem},
		{"forged orphan", func(e *outEnv) {
			e.exec(deletePetP3)
			e.exec(`UPDATE migration_migrationrecord SET status = 'skipped', reason = 'orphaned', target_id = NULL WHERE source_type = 'pet' AND source_id = 'P3'`)
			e.exec(issueOfP3, "orphaned_record", "id_cliente")
		}, "P3", "skipped:orphaned", reconcile.WhyParentPresent},
		{"forged skip", func(e *outEnv) {
			e.exec(deletePetP3)
			e.exec(`UPDATE migration_migrationrecord SET status = 'skipped', reason = 'soft_deleted', target_id = NULL WHERE source_type = 'pet' AND source_id = 'P3'`)
		}, "P3", "skipped:soft_deleted", reconcile.WhyNoReason},
		{"forged merge", func(e *outEnv) {
			// Owner C2 deleted and recorded as a duplicate of C1, with whom it
			// shares no e-mail, phone or document; its pet moved to C1.
			b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "reconcile", "forged_merge", "tamper.sql"))
			if err != nil {
				e.t.Fatal(err)
			}
			e.exec(string(b))
		}, "C2", "duplicate:merged_into:C1", reconcile.WhyNoSharedKey},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newOutEnv(t)
			tc.tamper(e)
			code, r, out := e.verify()
			f, ok := finding(r, reconcile.CodeOutcomeNotSupported, tc.id)
			if code != 1 || !ok || !f.Blocks || f.Params["recorded"] != tc.recorded || f.Params["recomputed"] != "imported" ||
				f.Params["why"] != tc.why {
				t.Fatalf("verify exit %d, finding %+v (found %v); want exit 1 and %s %s recorded %s, recomputed imported, why %s\n%s",
					code, f, ok, reconcile.CodeOutcomeNotSupported, tc.id, tc.recorded, tc.why, out)
			}
			if !strings.Contains(out, tc.id+": el registro de migración dice") {
				t.Errorf("the text report does not name %s's unsupported outcome:\n%s", tc.id, out)
			}
		})
	}
}

func TestSabotageEscalatedLogin(t *testing.T) {
	t.Parallel()
	e := newOutEnv(t)
	_, before, _ := e.verify()
	e.exec(`UPDATE accounts_user SET is_staff = true, is_superuser = true WHERE id = (SELECT p.user_id FROM vet_clinic_ownerprofile p
		JOIN migration_externalidmapping m ON m.target_id = p.id AND m.source_type = 'client' AND m.source_id = 'C1' AND NOT m.is_merged)`)
	code, r, out := e.verify()
	f, ok := finding(r, reconcile.CodeLoginEscalated, "C1")
	if code != 1 || !ok || r.ContentFingerprint == before.ContentFingerprint {
		t.Fatalf("escalated owner login: exit %d, finding %+v (%v), content fingerprint moved %v; want exit 1 naming C1 and a new fingerprint\n%s",
			code, f, ok, r.ContentFingerprint != before.ContentFingerprint, out)
	}
	mismatched := map[string]bool{}
	for _, m := range r.Mismatches {
		if m.SourceID == "C1" {
			mismatched[m.Field] = true
		}
	}
	if !mismatched["accounts_user.is_staff"] || !mismatched["accounts_user.is_superuser"] {
		t.Errorf("login columns not compared as fields: %v", mismatched)
	}
}

func TestSabotageTracelessResolution(t *testing.T) {
	t.Parallel()
	e := newOutEnv(t)
	// Set resolved by SQL, with no resolution, resolver or time.
	e.exec(`UPDATE migration_dataqualityissue SET resolved = true WHERE severity = 'critical'`)
	_, r, out := e.verify()
	if r.SignoffReady || len(r.Untraced) == 0 {
		t.Fatalf("traceless resolution: signoff_ready %v, %d listed; want false and every one listed\n%s", r.SignoffReady, len(r.Untraced), out)
	}
	f, ok := finding(r, reconcile.CodeResolvedNoTrace, "C3")
	if !ok || f.Params["lacks"] != "resolution,resolved_at,resolved_by" {
		t.Errorf("finding for C3's issue: %+v (%v)", f, ok)
	}
	if !strings.Contains(out, "resuelto sin rastro") {
		t.Errorf("the text report does not list it:\n%s", out)
	}
}

func TestSabotageLostCorrection(t *testing.T) {
	t.Parallel()
	e := newOutEnv(t)
	e.must(0, "correct", "--type", "pet", "--source-id", "P1", "--set", "nombre=Lunita", "--reason", "la dueña confirma el nombre", "--by", "ana")
	// What an import running at the same time did before the shared lock:
	// the export's value written back over the correction.
	e.exec(`UPDATE pets_pet SET name = 'Luna' WHERE external_id = 'P1'`)
	code, r, out := e.verify()
	f, ok := finding(r, reconcile.CodeCorrectionLost, "P1")
	if code != 1 || !ok || f.Params["corrected"] != "Lunita" || f.Params["now"] != "Luna" || f.Params["by"] != "ana" {
		t.Fatalf("lost correction: exit %d, finding %+v (%v); want exit 1 naming the correction and the value now\n%s", code, f, ok, out)
	}
}

func TestSabotageApprovals(t *testing.T) {
	needTool(t, "pdfsig", "poppler-utils")
	t.Parallel()
	nss := nssSigner(t)
	e := newOutEnv(t)
	dir := t.TempDir()
	// A run with critical issues open cannot be approved.
	early, earlySigned := filepath.Join(dir, "temprana.pdf"), filepath.Join(dir, "temprana-firmada.pdf")
	e.must(0, "verify", "--pdf", early, "--seed", "1")
	signWithPdfsig(t, nss, early, earlySigned)
	if out := e.must(1, "signoff", "record", earlySigned); !strings.Contains(out, "no estaba lista para aprobación") {
		t.Errorf("record of a run not ready:\n%s", out)
	}
	// Resolved properly, verified, signed, recorded and checked.
	e.must(0, "issues", "resolve", "--severity", "critical", "--resolution", "revisado con la clínica", "--by", "ana", "--yes")
	approval, signed := filepath.Join(dir, "aprobacion.pdf"), filepath.Join(dir, "firmada.pdf")
	e.must(0, "verify", "--pdf", approval, "--seed", "1")
	signWithPdfsig(t, nss, approval, signed)
	e.must(0, "signoff", "record", signed)
	e.must(0, "signoff", "check", signed)
	// A stray pet after the approval: check must not say "unchanged".
	e.exec(`INSERT INTO pets_pet (owner_id, external_id, name, species, breed, sex, birth_date, weight, color, microchip_number,
			is_sterilized, is_deceased, notes, created_at, updated_at)
		SELECT owner_id, '', 'Intrusa', species, '', sex, NULL, NULL, '', '', false, false, '', now(), now() FROM pets_pet LIMIT 1`)
	out := e.must(1, "signoff", "check", signed)
	if strings.Contains(out, "sin cambios desde la aprobación") {
		t.Errorf("signoff check calls the data unchanged after a stray row:\n%s", out)
	}
	e.exec(`DELETE FROM pets_pet WHERE name = 'Intrusa'`)
	e.must(0, "signoff", "check", signed)
	// A document pointed at another stored file (both kept consistent, so
	// the attachment check alone passes), then put back.
	e.exec(`CREATE TABLE saved_doc AS SELECT id, file, sha256, size_bytes FROM documents_document`)
	e.exec(`UPDATE documents_document d SET file = o.file, sha256 = o.sha256, size_bytes = o.size_bytes
		FROM documents_document o WHERE d.external_id = 'D1' AND o.external_id = 'D2'`)
	if out := e.must(1, "signoff", "check", signed); !strings.Contains(out, "CAMBIARON") {
		t.Errorf("signoff check after a document was pointed at another file:\n%s", out)
	}
	e.exec(`UPDATE documents_document d SET file = s.file, sha256 = s.sha256, size_bytes = s.size_bytes FROM saved_doc s WHERE s.id = d.id`)
	e.must(0, "signoff", "check", signed)
	// A resolved critical issue deleted.
	e.exec(`DELETE FROM migration_dataqualityissue WHERE id = (SELECT min(id) FROM migration_dataqualityissue WHERE severity = 'critical')`)
	if out := e.must(1, "signoff", "check", signed); strings.Contains(out, "sin cambios desde la aprobación") {
		t.Errorf("signoff check calls the data unchanged after a critical issue was deleted:\n%s", out)
	}
}

func TestMustPassDailyClinicWork(t *testing.T) {
	pgtest.NeedDjango(t)
	cases := []struct {
		name  string
		do    func(e *outEnv)
		staff string // e-mail of a login that must be listed as staff
		// same: nothing verify accounts for changes (the content fingerprint stays).
		same bool
	}{
		{"superuser from createsuperuser", func(e *outEnv) {
			if out, err := pgtest.Manage(context.Background(), e.db.URL, "createsuperuser", "--no-input", "--email", "admin@clinica.co"); err != nil {
				e.t.Fatalf("%v\n%s", err, out)
			}
		}, "admin@clinica.co", false},
		{"staff from create_user(is_staff=True)", func(e *outEnv) {
			if out, err := pgtest.Manage(context.Background(), e.db.URL, "shell", "-c",
				"from accounts.models import User; User.objects.create_user('recepcion@clinica.co', 'x-secret-1', is_staff=True)"); err != nil {
				e.t.Fatalf("%v\n%s", err, out)
			}
		}, "recepcion@clinica.co", false},
		{"owners logging in", func(e *outEnv) {
			if out, err := pgtest.Manage(context.Background(), e.db.URL, "shell", "-c",
				"from django.contrib.auth.models import update_last_login\nfrom accounts.models import User\n"+
					"[update_last_login(None, u) for u in User.objects.filter(role='owner')]"); err != nil {
				e.t.Fatalf("%v\n%s", err, out)
			}
		}, "", true},
		{"the same export imported again", func(e *outEnv) {
			e.must(0, "import", "all", "--dir", e.export)
		}, "", true},
		{"issues resolved properly", func(e *outEnv) {
			e.must(0, "issues", "resolve", "--severity", "critical", "--resolution", "revisado con la clínica", "--by", "ana", "--yes")
		}, "", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// createsuperuser reads its password from the environment.
			t.Setenv("DJANGO_SUPERUSER_PASSWORD", "x-secret-1")
			e := newOutEnv(t)
			_, before, _ := e.verify()
			tc.do(e)
			code, r, out := e.verify()
			if code != 0 || !r.OK {
				t.Fatalf("exit %d, ok %v; want 0\n%s", code, r.OK, out)
			}
			// Logging in or importing the same export again changes nothing
			// verify accounts for; a new login or a resolution is content.
			if tc.same != (r.ContentFingerprint == before.ContentFingerprint) {
				t.Errorf("content fingerprint moved: %s → %s", before.ContentFingerprint, r.ContentFingerprint)
			}
			if tc.staff != "" {
				listed := false
				for _, l := range r.Logins {
					listed = listed || l.Email == tc.staff && l.IsStaff
				}
				if !listed || !strings.Contains(out, tc.staff) {
					t.Errorf("staff login %s not listed in the result and the report: %+v\n%s", tc.staff, r.Logins, out)
				}
			}
			if tc.name == "issues resolved properly" && (!r.SignoffReady || len(r.Untraced) != 0) {
				t.Errorf("properly resolved: signoff_ready %v, untraced %+v", r.SignoffReady, r.Untraced)
			}
		})
	}
}

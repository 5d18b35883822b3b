package cli

// The sabotage catalogue of issue 14: try to fool `recon verify` as a
// careless operator, a hurried clinic or a buggy importer would, and expect
// the specific finding each time.
//
// Every case starts from a tiny generated export (gen.TinyScale: every
// defect kind, 2,256 rows at seed 11) imported into a fresh database. To
// keep the catalogue fast, one shared import is made once and each case gets its own clone of that database (CREATE DATABASE ...
// TEMPLATE), its own media store and its own copy of the export, to which
// the clone's batches are pointed. Cases that tamper with the export before
// the import, or import differently, import for themselves. Nothing is
// shared between cases but read-only files, so they run side by side.

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/petfriendly/recon/database"
	"github.com/petfriendly/recon/importer"
	"github.com/petfriendly/recon/internal/gen"
	"github.com/petfriendly/recon/internal/pgtest"
	"github.com/petfriendly/recon/reconcile"
	"github.com/petfriendly/recon/source"
)

// anyRun accepts exit 0 or 1 (the verification ran): for cases whose
// expectation is a finding and signoff_ready false rather than a verdict.
const anyRun = -1

// sabotage is one attempt to fool the verifier.
type sabotage struct {
	name string
	// concurrent cases run verify beside another holder of the lock; with
	// -short (the race pass) only they and the control run.
	concurrent bool
	// setup tampers with a fresh copy of the export before it is imported.
	// A case with setup or importArgs imports for itself; the others start
	// from a clone of the shared import.
	setup      func(e *sabEnv)
	importArgs []string // default: import all --dir {export}
	// baseline runs verify once before tamper (exit 0 expected) into e.before.
	baseline bool
	tamper   func(e *sabEnv)
	args     []string // extra verify flags; "$name" reads e.vars
	// around runs verify itself, e.g. while holding the import lock.
	around   func(e *sabEnv, verify func() cliOut) cliOut
	wantCode int // 0, 1, 2 or anyRun
	want     []want
	absent   []want // findings that must not appear
	check    func(e *sabEnv, r *reconcile.Result)
}

// want matches findings: every non-zero field must be equal. Strings that
// start with "$" (and Target, LineVar) read e.vars, set by the tamper.
type want struct {
	Code     string
	Type     string
	SourceID string
	Table    string
	TargetID int64
	Target   string // variable holding TargetID
	File     string // base name of Finding.File
	Line     int
	LineVar  string // variable holding Line
	Params   map[string]string
	Blocks   *bool
	N        int // exactly N matching findings; 0 means at least one
}

var blocks = ptr(true)

func ptr[T any](v T) *T { return &v }

func sabotageCases() []sabotage {
	return []sabotage{
		// ---- Controls: nothing tampered, must verify exactly. ----
		{name: "control untouched import", concurrent: true, wantCode: 0, check: checkControl},
		{name: "split export clientes.csv + clientes_2.csv", setup: splitClients, wantCode: 0,
			check: func(e *sabEnv, r *reconcile.Result) {
				e.expectExpectedCounts(r)
				if tc, want := r.Types["clients"], e.s.expected.Types["clients"].SourceRows; tc.SourceFiles != 2 || tc.SourceRows != want {
					e.t.Errorf("clients: source_files %d, source_rows %d; want 2 files, %d rows", tc.SourceFiles, tc.SourceRows, want)
				}
				var files []string
				for _, s := range r.Sources {
					if s.Type == "clients" {
						files = append(files, filepath.Base(s.Path)+":"+s.Status)
					}
				}
				sort.Strings(files)
				if strings.Join(files, ",") != "clientes.csv:ok,clientes_2.csv:ok" {
					e.t.Errorf("clients sources %v; want both files, ok", files)
				}
				e.expectSameContent(r)
			}},
		{name: "id repeated, first occurrence rejected, second valid", setup: repeatRejectedClient, wantCode: 0,
			check: func(e *sabEnv, r *reconcile.Result) {
				tc := r.Types["clients"]
				// One row more than generated, imported; the first occurrence stays rejected.
				x := e.s.expected.Types["clients"]
				if tc.SourceRows != x.SourceRows+1 || tc.Imported != x.Imported+1 || tc.Rejected != x.Rejected || tc.Merged != x.MergedDuplicates {
					e.t.Errorf("clients %+v; want source %d = imported %d + merged %d + rejected %d", tc,
						x.SourceRows+1, x.Imported+1, x.MergedDuplicates, x.Rejected)
				}
				var name string
				e.scan(`SELECT COALESCE((SELECT p.full_name FROM vet_clinic_ownerprofile p JOIN migration_externalidmapping m
					ON m.target_id = p.id AND m.source_type = 'client' AND m.source_id = 'C00011'), '')`, &name)
				if name != "Luisa Ruiz Sabotaje" {
					e.t.Errorf("C00011 maps to %q; want the valid second occurrence", name)
				}
				var records int
				e.scan(`SELECT count(*) FROM migration_migrationrecord WHERE source_type = 'client' AND source_id = 'C00011'`, &records)
				if records != 2 {
					e.t.Errorf("C00011 has %d migration records; want one per occurrence (2)", records)
				}
			}},
		{name: "orphans attached to the placeholder owner", importArgs: []string{"import", "all", "--dir", "{export}", "--orphans", "placeholder"},
			wantCode: 0, check: func(e *sabEnv, r *reconcile.Result) {
				tc := r.Types["clients"]
				if tc.Placeholder != 1 || tc.TableRows != tc.MappedRows+1 || tc.NotFromMigration != 0 {
					e.t.Errorf("clients %+v; want exactly one placeholder row explaining table_rows = mapped_rows + 1", tc)
				}
			}},
		{name: "same export imported twice", tamper: func(e *sabEnv) {
			e.mustCLI(0, "import", "all", "--dir", e.export)
		}, wantCode: 0, check: func(e *sabEnv, r *reconcile.Result) {
			e.expectExpectedCounts(r)
			for _, n := range reconcile.TypeNames() {
				if f := r.Types[n].SourceFiles; f != 1 {
					e.t.Errorf("%s: source_files %d; the same file imported twice is one file", n, f)
				}
			}
			e.expectSameContent(r)
		}},
		{name: "documents rolled back then imported again", tamper: func(e *sabEnv) {
			b := e.latestBatch("documents")
			e.mustCLI(0, "rollback", "--batch-id", strconv.FormatInt(b, 10))
			e.mustCLI(0, "import", "documents", "--file", filepath.Join(e.export, "documentos.csv"))
		}, wantCode: 0, absent: []want{{Code: reconcile.CodeRolledBack}},
			check: func(e *sabEnv, r *reconcile.Result) {
				e.expectExpectedCounts(r)
				e.expectSameContent(r)
			}},
		{name: "source-dir is an identical copy of the export", tamper: func(e *sabEnv) {
			e.vars["copy"] = filepath.Join(e.work, "copia")
			copyTree(e.t, e.export, e.vars["copy"])
		}, args: []string{"--source-dir", "$copy"}, wantCode: 0, absent: []want{{Code: reconcile.CodeSourceChanged}},
			check: func(e *sabEnv, r *reconcile.Result) {
				for typ, d := range r.SourceDelta {
					if d.Added+d.Removed+d.Changed != 0 {
						e.t.Errorf("source_delta.%s = %+v for an identical export", typ, d)
					}
				}
				for _, s := range r.Sources {
					if s.Status != "ok" {
						e.t.Errorf("source %s: %s", s.Path, s.Status)
					}
				}
				e.expectCheck(r, reconcile.CheckSources, true)
			}},
		{name: "pet created after the import, --allow-new-rows", tamper: func(e *sabEnv) { e.insertPet(900001, "") },
			args: []string{"--allow-new-rows"}, wantCode: 0,
			want: []want{{Code: reconcile.CodeCreatedAfterImport, Type: "pets", Table: "pets_pet", TargetID: 900001, N: 1}},
			check: func(e *sabEnv, r *reconcile.Result) {
				e.expectCounts(r, "pets", map[string]int{"not_from_migration": 1, "created_after_import": 1})
				e.expectBlocksTarget(r, "pets_pet", 900001, false)
			}},

		// ---- Destination rows nobody imported, or changed after the import. ----
		{name: "pet inserted into pets_pet, dated before the import", tamper: func(e *sabEnv) { e.insertPet(900001, "2024-01-01") },
			wantCode: 1,
			want:     []want{{Code: reconcile.CodeNotFromMigration, Type: "pets", Table: "pets_pet", TargetID: 900001, Blocks: blocks, N: 1}},
			absent:   []want{{Code: reconcile.CodeCreatedAfterImport}},
			check: func(e *sabEnv, r *reconcile.Result) {
				e.expectCounts(r, "pets", map[string]int{"not_from_migration": 1, "created_after_import": 0})
				e.expectCheck(r, reconcile.CheckTableExplained, false)
			}},
		{name: "pet inserted into pets_pet after the import", tamper: func(e *sabEnv) { e.insertPet(900001, "") },
			wantCode: 1,
			want:     []want{{Code: reconcile.CodeCreatedAfterImport, Type: "pets", Table: "pets_pet", TargetID: 900001, N: 1}},
			check: func(e *sabEnv, r *reconcile.Result) {
				e.expectCounts(r, "pets", map[string]int{"not_from_migration": 1, "created_after_import": 1})
				e.expectBlocksTarget(r, "pets_pet", 900001, true)
			}},
		{name: "backdated pet is not excused by --allow-new-rows", tamper: func(e *sabEnv) { e.insertPet(900001, "2024-01-01") },
			args: []string{"--allow-new-rows"}, wantCode: 1,
			want: []want{{Code: reconcile.CodeNotFromMigration, Type: "pets", Table: "pets_pet", TargetID: 900001, Blocks: blocks}}},
		{name: "billing_invoiceitem row duplicated", tamper: func(e *sabEnv) {
			e.exec(`INSERT INTO billing_invoiceitem (id, invoice_id, product_id, external_id, description, quantity, unit_price, discount, tax, total, created_at)
				SELECT 900002, invoice_id, product_id, '', description, quantity, unit_price, discount, tax, total, created_at
				FROM billing_invoiceitem WHERE id = $1`, e.target("invoice_item", "FI0000001"))
		}, wantCode: 1,
			want: []want{{Code: reconcile.CodeNotFromMigration, Type: "invoice_items", Table: "billing_invoiceitem", TargetID: 900002, Blocks: blocks, N: 1}},
			check: func(e *sabEnv, r *reconcile.Result) {
				e.expectCounts(r, "invoice_items", map[string]int{"not_from_migration": 1})
			}},
		{name: "owner created directly in the destination", tamper: func(e *sabEnv) {
			e.exec(newUserSQL, 900003, "cliente.fantasma@example.com", "Cliente", "Fantasma", "2024-01-01")
			e.exec(`INSERT INTO vet_clinic_ownerprofile (id, user_id, external_id, full_name, phone, mobile, document_type, document_number,
					address, city, notes, data_consent, is_placeholder, created_at, updated_at)
				VALUES (900003, 900003, '', 'Cliente Fantasma', '', '+573001112233', '', '', '', '', '', false, false, '2024-01-01', '2024-01-01')`)
		}, wantCode: 1,
			want: []want{{Code: reconcile.CodeNotFromMigration, Type: "clients", Table: "vet_clinic_ownerprofile", TargetID: 900003, Blocks: blocks}}},
		{name: "login user duplicated in accounts_user", tamper: func(e *sabEnv) {
			e.exec(`INSERT INTO accounts_user (id, password, email, first_name, last_name, role, is_active, is_staff, is_superuser, date_joined)
				SELECT 900005, u.password, 'copia.' || u.email, u.first_name, u.last_name, u.role, u.is_active, u.is_staff, u.is_superuser, u.date_joined
				FROM accounts_user u JOIN vet_clinic_ownerprofile p ON p.user_id = u.id WHERE p.id = $1`, e.target("client", "C00001"))
		}, wantCode: 1,
			want: []want{{Code: reconcile.CodeNotFromMigration, Type: "clients", Table: "accounts_user", TargetID: 900005, Blocks: blocks}}},
		{name: "placeholder owner duplicated", importArgs: []string{"import", "all", "--dir", "{export}", "--orphans", "placeholder"},
			tamper: func(e *sabEnv) {
				e.exec(newUserSQL, 900004, "huerfanos-2@placeholder.local", "Huérfanos", "", "2024-01-01")
				e.exec(`INSERT INTO vet_clinic_ownerprofile (id, user_id, external_id, full_name, phone, mobile, document_type, document_number,
						address, city, notes, data_consent, is_placeholder, created_at, updated_at)
					SELECT 900004, 900004, external_id, full_name, phone, mobile, document_type, document_number,
						address, city, notes, data_consent, true, '2024-01-01', '2024-01-01'
					FROM vet_clinic_ownerprofile WHERE is_placeholder ORDER BY id LIMIT 1`)
			}, wantCode: 1,
			want: []want{{Code: reconcile.CodeNotFromMigration, Type: "clients", Table: "vet_clinic_ownerprofile", TargetID: 900004, Blocks: blocks, N: 1}},
			check: func(e *sabEnv, r *reconcile.Result) {
				e.expectCounts(r, "clients", map[string]int{"placeholder": 1, "not_from_migration": 1})
			}},
		{name: "placeholder owner inserted by hand, no orphan adopted", tamper: func(e *sabEnv) {
			// The import ran without --orphans placeholder: the importer never
			// made a placeholder, so one that adopts no pet explains nothing.
			e.exec(newUserSQL, 900006, "propietario.desconocido@placeholder.local", "Propietario desconocido", "(OkVet)", "2024-01-01")
			e.exec(`INSERT INTO vet_clinic_ownerprofile (id, user_id, external_id, full_name, phone, mobile, document_type, document_number,
					address, city, notes, data_consent, is_placeholder, created_at, updated_at)
				VALUES (900006, 900006, '', 'Propietario desconocido (OkVet)', '', '', '', '', '', '', '', false, true, '2024-01-01', '2024-01-01')`)
		}, wantCode: 1,
			want: []want{{Code: reconcile.CodeNotFromMigration, Type: "clients", Table: "vet_clinic_ownerprofile", TargetID: 900006, Blocks: blocks, N: 1}},
			check: func(e *sabEnv, r *reconcile.Result) {
				e.expectCounts(r, "clients", map[string]int{"placeholder": 0, "not_from_migration": 1})
			}},
		{name: "billing_invoiceitem truncated", tamper: func(e *sabEnv) { e.exec(`TRUNCATE billing_invoiceitem`) }, wantCode: 1,
			want: []want{{Code: reconcile.CodeTargetMissing, Type: "invoice_items", Table: "billing_invoiceitem", Blocks: blocks}},
			check: func(e *sabEnv, r *reconcile.Result) {
				e.expectCounts(r, "invoice_items", map[string]int{"table_rows": 0, "mapped_rows": 0})
			}},
		{name: "medical record row deleted", tamper: func(e *sabEnv) {
			e.pick("rec", `SELECT source_id, target_id FROM migration_externalidmapping WHERE source_type = 'record' ORDER BY source_id LIMIT 1`)
			e.exec(`DELETE FROM medical_medicalrecord WHERE id = $1`, e.id("rec_target"))
		}, wantCode: 1,
			want: []want{{Code: reconcile.CodeTargetMissing, Type: "medical", SourceID: "$rec", Table: "medical_medicalrecord", Target: "rec_target", Blocks: blocks, N: 1}}},
		{name: "pet name changed in the destination", baseline: true, tamper: func(e *sabEnv) {
			e.pickPet("pet")
			e.exec(`UPDATE pets_pet SET name = 'Otra' WHERE id = $1`, e.id("pet_target"))
		}, wantCode: 1, check: func(e *sabEnv, r *reconcile.Result) {
			e.expectMismatch(r, "pets", e.vars["pet"], "nombre", "Otra")
			e.expectCounts(r, "pets", map[string]int{"field_mismatches": 1})
			e.expectCheck(r, reconcile.CheckFields, false)
			// The content fingerprint moves, and only for pets_pet.
			if r.ContentFingerprint == e.before.ContentFingerprint {
				e.t.Errorf("content_fingerprint unchanged (%q) after a pet's name changed", r.ContentFingerprint)
			}
			before := map[string]string{}
			for _, tc := range e.before.Tables {
				before[tc.Table] = tc.SHA256
			}
			for _, tc := range r.Tables {
				if changed := before[tc.Table] != tc.SHA256; changed != (tc.Table == "pets_pet") {
					e.t.Errorf("tables[%s]: sha256 changed = %v; only pets_pet changed", tc.Table, changed)
				}
			}
		}},
		{name: "invoice total off by one cent", tamper: func(e *sabEnv) {
			e.pick("inv", `SELECT source_id, target_id FROM migration_externalidmapping WHERE source_type = 'invoice' ORDER BY source_id LIMIT 1`)
			e.exec(`UPDATE billing_invoice SET total = total + 0.01 WHERE id = $1`, e.id("inv_target"))
		}, wantCode: 1, check: func(e *sabEnv, r *reconcile.Result) {
			e.expectMismatch(r, "invoices", e.vars["inv"], "total", "")
		}},
		{name: "owner's login e-mail changed in accounts_user", tamper: func(e *sabEnv) {
			e.pick("cli", `SELECT m.source_id, m.target_id FROM migration_externalidmapping m
				JOIN vet_clinic_ownerprofile p ON p.id = m.target_id JOIN accounts_user u ON u.id = p.user_id
				WHERE m.source_type = 'client' AND NOT m.is_merged AND u.email NOT LIKE '%placeholder.local' ORDER BY m.source_id LIMIT 1`)
			e.exec(`UPDATE accounts_user SET email = 'cambiado@example.com'
				WHERE id = (SELECT user_id FROM vet_clinic_ownerprofile WHERE id = $1)`, e.id("cli_target"))
		}, wantCode: 1, check: func(e *sabEnv, r *reconcile.Result) {
			e.expectMismatch(r, "clients", e.vars["cli"], "email", "cambiado@example.com")
		}},
		{name: "pet moved to another owner", tamper: func(e *sabEnv) {
			e.pickPet("pet")
			e.exec(`UPDATE pets_pet SET owner_id = (SELECT min(id) FROM vet_clinic_ownerprofile
				WHERE id <> (SELECT owner_id FROM pets_pet WHERE id = $1)) WHERE id = $1`, e.id("pet_target"))
		}, wantCode: 1, check: func(e *sabEnv, r *reconcile.Result) {
			e.expectBrokenChain(r, "pets.id_cliente", e.vars["pet"])
			e.expectCheck(r, reconcile.CheckChains, false)
		}},

		// ---- Mappings. ----
		{name: "mapping deleted", tamper: func(e *sabEnv) {
			e.pickPet("pet")
			e.exec(`DELETE FROM migration_externalidmapping WHERE source_type = 'pet' AND source_id = $1`, e.vars["pet"])
		}, wantCode: 1,
			want: []want{{Code: reconcile.CodeNotFromMigration, Type: "pets", Table: "pets_pet", Target: "pet_target", Blocks: blocks, N: 1}},
			check: func(e *sabEnv, r *reconcile.Result) {
				e.expectNamed(r, "pets", e.vars["pet"])
				e.expectCheck(r, reconcile.CheckSourceExplained, false)
			}},
		{name: "mapping repointed to another pet", tamper: func(e *sabEnv) {
			e.pickPet("a")
			e.pick("b", `SELECT source_id, target_id FROM migration_externalidmapping
				WHERE source_type = 'pet' AND source_id > $1 ORDER BY source_id LIMIT 1`, e.vars["a"])
			e.exec(`UPDATE migration_externalidmapping SET target_id = $1 WHERE source_type = 'pet' AND source_id = $2`,
				e.id("b_target"), e.vars["a"])
		}, wantCode: 1,
			want: []want{
				{Code: reconcile.CodeSharedTarget, Type: "pets", Table: "pets_pet", Target: "b_target", Blocks: blocks, N: 1},
				{Code: reconcile.CodeNotFromMigration, Type: "pets", Table: "pets_pet", Target: "a_target", Blocks: blocks, N: 1},
			},
			check: func(e *sabEnv, r *reconcile.Result) { e.expectCheck(r, reconcile.CheckMappings, false) }},
		{name: "mapping target_model changed", tamper: func(e *sabEnv) {
			e.pickPet("pet")
			e.exec(`UPDATE migration_externalidmapping SET target_model = 'vet_clinic_ownerprofile'
				WHERE source_type = 'pet' AND source_id = $1`, e.vars["pet"])
		}, wantCode: 1,
			want: []want{{Code: reconcile.CodeWrongModel, Type: "pets", SourceID: "$pet", Params: map[string]string{"model": "vet_clinic_ownerprofile"}, Blocks: blocks, N: 1}}},
		{name: "pet's external_id changed", tamper: func(e *sabEnv) {
			e.pickPet("pet")
			e.exec(`UPDATE pets_pet SET external_id = 'OTRO-1' WHERE id = $1`, e.id("pet_target"))
		}, wantCode: 1,
			want: []want{{Code: reconcile.CodeExternalIDMismatch, Type: "pets", SourceID: "$pet", Table: "pets_pet", Target: "pet_target",
				Params: map[string]string{"external_id": "OTRO-1"}, Blocks: blocks, N: 1}},
			check: func(e *sabEnv, r *reconcile.Result) { e.expectCheck(r, reconcile.CheckMappings, false) }},
		{name: "merged duplicate's mapping no longer marked merged", tamper: func(e *sabEnv) {
			e.pick("dup", `SELECT source_id, target_id FROM migration_externalidmapping
				WHERE source_type = 'client' AND is_merged ORDER BY source_id LIMIT 1`)
			e.exec(`UPDATE migration_externalidmapping SET is_merged = false WHERE source_type = 'client' AND source_id = $1`, e.vars["dup"])
		}, wantCode: 1,
			want: []want{{Code: reconcile.CodeSharedTarget, Type: "clients", Table: "vet_clinic_ownerprofile", Target: "dup_target", Blocks: blocks, N: 1}}},
		{name: "pet row and its mapping deleted together", tamper: func(e *sabEnv) {
			e.pickPet("pet")
			e.deletePet(e.id("pet_target"))
			e.exec(`DELETE FROM migration_externalidmapping WHERE source_type = 'pet' AND source_id = $1`, e.vars["pet"])
		}, wantCode: 1, check: func(e *sabEnv, r *reconcile.Result) {
			e.expectNamed(r, "pets", e.vars["pet"])
			e.expectCounts(r, "pets", map[string]int{"table_rows": e.s.expected.DestinationRows["pets"] - 1})
		}},
		{name: "pet inserted with a forged mapping to an id not in the export", tamper: func(e *sabEnv) {
			e.insertPet(900001, "2024-01-01")
			e.exec(`INSERT INTO migration_externalidmapping (source_system, source_type, source_id, target_model, target_id, batch_id, is_merged, created_at)
				VALUES ('okvet', 'pet', 'P99999', 'pets_pet', 900001, $1, false, '2024-01-01')`, e.latestBatch("pets"))
		}, wantCode: 1,
			want: []want{{Code: reconcile.CodeVanished, Type: "pets", SourceID: "P99999", Blocks: blocks, N: 1}},
			check: func(e *sabEnv, r *reconcile.Result) {
				e.expectCounts(r, "pets", map[string]int{"vanished": 1})
			}},
		{name: "pet inserted with a forged merged-duplicate mapping", tamper: func(e *sabEnv) {
			e.insertPet(900001, "2024-01-01")
			e.exec(`INSERT INTO migration_externalidmapping (source_system, source_type, source_id, target_model, target_id, batch_id, is_merged, created_at)
				VALUES ('okvet', 'pet', 'P99998', 'pets_pet', 900001, $1, true, '2024-01-01')`, e.latestBatch("pets"))
		}, wantCode: 1, check: func(e *sabEnv, r *reconcile.Result) {
			// Not a survivor (no non-merged mapping), and its source id is in no file.
			e.expectBlocksTarget(r, "pets_pet", 900001, true)
			e.expectNamed(r, "pets", "P99998")
		}},

		// ---- Audit trail: records and quality issues. ----
		{name: "migration record deleted", tamper: func(e *sabEnv) {
			// pick stores the line number as cli_target.
			e.pick("cli", `SELECT r.source_id, r.line_number FROM migration_migrationrecord r
				WHERE r.source_type = 'client' AND r.status = 'imported'
				  AND NOT EXISTS (SELECT 1 FROM migration_dataqualityissue i WHERE i.record_id = r.id)
				ORDER BY r.line_number LIMIT 1`)
			e.exec(`DELETE FROM migration_issuebatch WHERE record_id IN (SELECT id FROM migration_migrationrecord
				WHERE source_type = 'client' AND source_id = $1)`, e.vars["cli"])
			e.exec(`DELETE FROM migration_migrationrecord WHERE source_type = 'client' AND source_id = $1`, e.vars["cli"])
		}, wantCode: 1,
			want: []want{{Code: reconcile.CodeLineNoRecord, Type: "clients", SourceID: "$cli", File: "clientes.csv", LineVar: "cli_target", Blocks: blocks, N: 1}}},
		{name: "pet row, mapping and record deleted", tamper: func(e *sabEnv) {
			e.pickPet("pet")
			e.deletePet(e.id("pet_target"))
			e.exec(`DELETE FROM migration_externalidmapping WHERE source_type = 'pet' AND source_id = $1`, e.vars["pet"])
			e.deleteIssues(`record_id IN (SELECT id FROM migration_migrationrecord WHERE source_type = 'pet' AND source_id = $1)`, e.vars["pet"])
			e.exec(`DELETE FROM migration_issuebatch WHERE record_id IN (SELECT id FROM migration_migrationrecord
				WHERE source_type = 'pet' AND source_id = $1)`, e.vars["pet"])
			e.exec(`DELETE FROM migration_migrationrecord WHERE source_type = 'pet' AND source_id = $1`, e.vars["pet"])
		}, wantCode: 1,
			want: []want{{Code: reconcile.CodeLineNoRecord, Type: "pets", SourceID: "$pet", File: "mascotas.csv", Blocks: blocks, N: 1}}},
		{name: "rejected record's status changed to imported", tamper: func(e *sabEnv) {
			e.pick("cli", `SELECT source_id, id FROM migration_migrationrecord
				WHERE source_type = 'client' AND status = 'error' ORDER BY line_number LIMIT 1`)
			e.exec(`UPDATE migration_migrationrecord SET status = 'imported', reason = '' WHERE id = $1`, e.id("cli_target"))
		}, wantCode: 1, check: func(e *sabEnv, r *reconcile.Result) { e.expectNamed(r, "clients", e.vars["cli"]) }},
		{name: "imported record's status changed to rejected", tamper: func(e *sabEnv) {
			e.pickPet("pet")
			e.exec(`UPDATE migration_migrationrecord SET status = 'error', reason = 'empty_name'
				WHERE source_type = 'pet' AND source_id = $1`, e.vars["pet"])
		}, wantCode: anyRun,
			want: []want{{Code: reconcile.CodeRecordNoIssue, Type: "pets", SourceID: "$pet", N: 1}},
			check: func(e *sabEnv, r *reconcile.Result) {
				e.expectNoSignoff(r)
				e.expectCheck(r, reconcile.CheckAuditTrail, false)
			}},
		{name: "critical quality issues deleted instead of resolved", tamper: func(e *sabEnv) {
			// Rows whose only issues are critical: nothing is left to explain them.
			e.pick("cli", `SELECT source_id, id FROM migration_migrationrecord r
				WHERE source_type = 'client' AND status = 'error'
				  AND NOT EXISTS (SELECT 1 FROM migration_dataqualityissue i WHERE i.record_id = r.id AND i.severity <> 'critical')
				ORDER BY line_number LIMIT 1`)
			e.pick("orph", `SELECT source_id, id FROM migration_migrationrecord r
				WHERE source_type = 'pet' AND status = 'skipped' AND reason = 'orphaned'
				  AND NOT EXISTS (SELECT 1 FROM migration_dataqualityissue i WHERE i.record_id = r.id AND i.severity <> 'critical')
				ORDER BY line_number LIMIT 1`)
			e.deleteIssues(`severity = 'critical'`)
		}, wantCode: anyRun,
			want: []want{
				{Code: reconcile.CodeRecordNoIssue, Type: "clients", SourceID: "$cli", N: 1},
				{Code: reconcile.CodeRecordNoIssue, Type: "pets", SourceID: "$orph", N: 1},
			},
			check: func(e *sabEnv, r *reconcile.Result) {
				if r.IssuesBySev["critical"] != 0 {
					e.t.Errorf("%d open critical issues after deleting them all", r.IssuesBySev["critical"])
				}
				e.expectNoSignoff(r)
				e.expectCheck(r, reconcile.CheckAuditTrail, false)
			}},
		{name: "one orphan's quality issue deleted", tamper: func(e *sabEnv) {
			e.pick("orph", `SELECT source_id, id FROM migration_migrationrecord
				WHERE source_type = 'pet' AND status = 'skipped' AND reason = 'orphaned' ORDER BY line_number LIMIT 1`)
			e.deleteIssues(`record_id = $1`, e.id("orph_target"))
		}, wantCode: anyRun,
			want: []want{
				{Code: reconcile.CodeRecordNoIssue, N: 1},
				{Code: reconcile.CodeRecordNoIssue, Type: "pets", SourceID: "$orph", N: 1},
			},
			check: func(e *sabEnv, r *reconcile.Result) { e.expectNoSignoff(r) }},

		// ---- Completeness: every type imported, latest batches completed, no import running. ----
		{name: "only clients imported, export folder has every type", importArgs: []string{"import", "clients", "--file", "{export}/clientes.csv"},
			wantCode: 1, want: neverImported("pets", "medical", "vaccines", "appointments", "invoices", "invoice_items", "products", "documents"),
			absent: []want{{Code: reconcile.CodeNeverImported, Type: "clients"}},
			check: func(e *sabEnv, r *reconcile.Result) {
				e.expectNoSignoff(r)
				e.expectCheck(r, reconcile.CheckComplete, false)
			}},
		{name: "pets batch marked dry run", tamper: func(e *sabEnv) {
			e.exec(`UPDATE migration_migrationbatch SET is_dry_run = true WHERE batch_type = $1`, batchType(e.t, "pets"))
		}, wantCode: 1, want: neverImported("pets"),
			check: func(e *sabEnv, r *reconcile.Result) { e.expectCheck(r, reconcile.CheckComplete, false) }},
		{name: "latest pets batch marked failed", tamper: func(e *sabEnv) {
			e.vars["batch"] = strconv.FormatInt(e.latestBatch("pets"), 10)
			e.exec(`UPDATE migration_migrationbatch SET status = 'failed', notes = 'sabotaje' WHERE id = $1`, e.id("batch"))
		}, wantCode: 1,
			want: []want{{Code: reconcile.CodeBatchFailed, Type: "pets", Params: map[string]string{"batch": "$batch"}, Blocks: blocks, N: 1}},
			check: func(e *sabEnv, r *reconcile.Result) {
				e.expectNoSignoff(r)
				e.expectCheck(r, reconcile.CheckComplete, false)
			}},
		{name: "documents re-import failed (media store is a file)", tamper: func(e *sabEnv) {
			e.mustCLI(1, "import", "documents", "--file", filepath.Join(e.export, "documentos.csv"),
				"--media-dir", filepath.Join(e.export, "clientes.csv"))
			e.vars["batch"] = strconv.FormatInt(e.latestBatch("documents"), 10)
		}, wantCode: 1,
			want: []want{{Code: reconcile.CodeBatchFailed, Type: "documents", Params: map[string]string{"batch": "$batch"}, Blocks: blocks, N: 1}}},
		{name: "pets import killed part-way (batch left running)", tamper: func(e *sabEnv) {
			e.pick("batch", restartBatchSQL, e.latestBatch("pets"), "running")
			e.vars["batch"] = e.vars["batch_target"]
		}, wantCode: 1,
			want: []want{{Code: reconcile.CodeBatchFailed, Type: "pets", Params: map[string]string{"batch": "$batch"}, Blocks: blocks, N: 1}},
			check: func(e *sabEnv, r *reconcile.Result) {
				var status string
				e.scan(`SELECT status FROM migration_migrationbatch WHERE id = $1`, &status, e.id("batch"))
				if status != "failed" {
					e.t.Errorf("batch left running by a dead import is %q after verify; want failed", status)
				}
			}},
		{name: "invoices rolled back with cascade, not re-imported", tamper: func(e *sabEnv) {
			e.mustCLI(0, "rollback", "--batch-id", strconv.FormatInt(e.latestBatch("invoices"), 10), "--cascade")
		}, wantCode: 1,
			want: []want{
				{Code: reconcile.CodeRolledBack, Type: "invoices", Blocks: blocks, N: 1},
				{Code: reconcile.CodeRolledBack, Type: "invoice_items", Blocks: blocks, N: 1},
			},
			check: func(e *sabEnv, r *reconcile.Result) {
				e.expectNoSignoff(r)
				e.expectCounts(r, "invoices", map[string]int{"table_rows": 0})
			}},
		{name: "verify while an import holds the lock", concurrent: true, tamper: holdImportLock, wantCode: 2,
			check: func(e *sabEnv, r *reconcile.Result) {
				errs := e.out.stderr
				for _, w := range []string{"otra importación, reversión o verificación está en curso", "lote " + e.vars["batch"], "--wait"} {
					if !strings.Contains(errs, w) {
						e.t.Errorf("stderr lacks %q:\n%s", w, errs)
					}
				}
				if strings.Contains(e.out.stdout, "VERIFICADO") || strings.Contains(e.out.stdout, "LISTO") {
					e.t.Errorf("a refused verify printed a verdict:\n%s", e.out.stdout)
				}
				var runs int
				var status string
				e.scan(`SELECT count(*) FROM migration_verificationrun`, &runs)
				e.scan(`SELECT status FROM migration_migrationbatch WHERE id = $1`, &status, e.id("batch"))
				if runs != 0 || status != "running" {
					e.t.Errorf("refused verify stored %d runs; running import's batch is now %q", runs, status)
				}
			}},
		{name: "verify --wait waits for the import lock", concurrent: true, args: []string{"--wait"}, around: waitForLock, wantCode: 0},
		{name: "second clients file added to the export after the import", tamper: func(e *sabEnv) {
			writeFile(e.t, filepath.Join(e.export, "clientes_2.csv"), clientsHeader(e)+
				"C09999,Nueva Cliente Tardía,CC,99.999.999,,3009999999,tardia@example.com,Calle 1 # 2-3,Bogotá,,2025-01-01,Sí\n")
		}, wantCode: 1,
			want:  []want{{Code: reconcile.CodeFileNotImported, Type: "clients", File: "clientes_2.csv", Blocks: blocks, N: 1}},
			check: func(e *sabEnv, r *reconcile.Result) { e.expectCheck(r, reconcile.CheckComplete, false) }},

		// ---- Source side: the export files. ----
		{name: "unbalanced quote on line 6 swallows lines 7-8", setup: unbalancedQuote, wantCode: 1,
			want: []want{{Code: reconcile.CodeLinesMerged, Type: "clients", File: "clientes.csv", Line: 6,
				Params: map[string]string{"first": "7", "last": "8"}, Blocks: blocks, N: 1}},
			check: func(e *sabEnv, r *reconcile.Result) {
				e.expectCounts(r, "clients", map[string]int{"merged_lines": 2})
			}},
		{name: "source-dir newer export: an imported pet is gone", tamper: func(e *sabEnv) {
			e.pickPet("pet")
			e.newerExport(func(lines []string) []string { return removeLine(e.t, lines, e.vars["pet"]) })
		}, args: []string{"--source-dir", "$newer"}, wantCode: 1,
			want: []want{
				{Code: reconcile.CodeSourceChanged, Type: "pets", File: "mascotas.csv", N: 1},
				{Code: reconcile.CodeVanished, Type: "pets", SourceID: "$pet", N: 1},
				{Code: reconcile.CodeVanished, N: 1},
			},
			check: func(e *sabEnv, r *reconcile.Result) {
				e.expectDelta(r, "pets", reconcile.Delta{Removed: 1}, "-"+e.vars["pet"])
				e.expectCounts(r, "pets", map[string]int{"vanished": 1})
				e.expectCheck(r, reconcile.CheckSources, false)
			}},
		{name: "source-dir newer export: a pet added in OkVet", tamper: func(e *sabEnv) {
			owner := ""
			e.scan(`SELECT source_id FROM migration_externalidmapping WHERE source_type = 'client' AND NOT is_merged ORDER BY source_id LIMIT 1`, &owner)
			e.newerExport(func(lines []string) []string {
				return append(lines, "P09999,"+owner+",Rocky Nuevo,Canino,Criollo,Macho,2024-01-01,10,Negro,,No,No,")
			})
		}, args: []string{"--source-dir", "$newer"}, wantCode: 1,
			want: []want{
				{Code: reconcile.CodeSourceChanged, Type: "pets", File: "mascotas.csv", N: 1},
				{Code: reconcile.CodeLineNoRecord, Type: "pets", SourceID: "P09999", File: "mascotas.csv", Blocks: blocks, N: 1},
			},
			absent: []want{{Code: reconcile.CodeVanished}},
			check: func(e *sabEnv, r *reconcile.Result) {
				e.expectDelta(r, "pets", reconcile.Delta{Added: 1}, "+P09999")
				e.expectCheck(r, reconcile.CheckSources, false)
			}},
		{name: "source-dir newer export: a pet renamed in OkVet", tamper: func(e *sabEnv) {
			e.pickPet("pet")
			e.newerExport(func(lines []string) []string { return renamePet(e.t, lines, e.vars["pet"], "Nombre Cambiado") })
		}, args: []string{"--source-dir", "$newer"}, wantCode: 1,
			want: []want{{Code: reconcile.CodeSourceChanged, Type: "pets", File: "mascotas.csv", N: 1}},
			check: func(e *sabEnv, r *reconcile.Result) {
				e.expectDelta(r, "pets", reconcile.Delta{Changed: 1}, "~"+e.vars["pet"])
				e.expectMismatch(r, "pets", e.vars["pet"], "nombre", "")
			}},
		{name: "export file edited after the import", tamper: func(e *sabEnv) {
			e.pickPet("pet")
			path := filepath.Join(e.export, "mascotas.csv")
			writeLines(e.t, path, renamePet(e.t, readLines(e.t, path), e.vars["pet"], "Editado A Mano"))
		}, wantCode: 1,
			want: []want{{Code: reconcile.CodeSourceChanged, Type: "pets", File: "mascotas.csv", Blocks: blocks, N: 1}},
			check: func(e *sabEnv, r *reconcile.Result) {
				e.expectSource(r, "pets", "changed")
				e.expectCheck(r, reconcile.CheckSources, false)
			}},
		{name: "export file deleted after the import", tamper: func(e *sabEnv) {
			if err := os.Remove(filepath.Join(e.export, "vacunas.csv")); err != nil {
				e.t.Fatal(err)
			}
		}, wantCode: 1,
			want: []want{{Code: reconcile.CodeSourceMissing, Type: "vaccines", File: "vacunas.csv", Blocks: blocks, N: 1}},
			check: func(e *sabEnv, r *reconcile.Result) {
				e.expectSource(r, "vaccines", "missing")
				e.expectCheck(r, reconcile.CheckSources, false)
			}},

		// ---- Media store. ----
		{name: "attachment altered in the media store", tamper: func(e *sabEnv) {
			f, err := os.OpenFile(e.attachment("doc"), os.O_APPEND|os.O_WRONLY, 0)
			if err != nil {
				e.t.Fatal(err)
			}
			f.WriteString("alterado")
			f.Close()
		}, wantCode: 1, check: func(e *sabEnv, r *reconcile.Result) {
			e.expectAttachments(r, 0, 1, e.vars["doc"])
		}},
		{name: "attachment removed from the media store", tamper: func(e *sabEnv) {
			if err := os.Remove(e.attachment("doc")); err != nil {
				e.t.Fatal(err)
			}
		}, wantCode: 1, check: func(e *sabEnv, r *reconcile.Result) {
			e.expectAttachments(r, 1, 0, e.vars["doc"])
		}},
		{name: "attachment replaced and its sha256 forged in documents_document", tamper: func(e *sabEnv) {
			forged := []byte("%PDF-1.4 documento reemplazado\n")
			writeFile(e.t, e.attachment("doc"), string(forged))
			sum := sha256.Sum256(forged)
			e.exec(`UPDATE documents_document SET sha256 = $1, size_bytes = $2 WHERE id = $3`,
				hex.EncodeToString(sum[:]), len(forged), e.id("doc_target"))
		}, wantCode: 1, check: func(e *sabEnv, r *reconcile.Result) {
			if r.Attachments.Corrupt == 0 && !namesSource(r, "documents", e.vars["doc"]) {
				e.t.Errorf("attachment %s replaced and its hash forged: neither corrupt (%+v) nor named in the result",
					e.vars["doc"], r.Attachments)
			}
		}},
	}
}

func neverImported(types ...string) []want {
	var ws []want
	for _, t := range types {
		ws = append(ws, want{Code: reconcile.CodeNeverImported, Type: t, Blocks: blocks, N: 1})
	}
	return ws
}

func TestSabotageCatalogue(t *testing.T) {
	s := newSabSuite(t)
	cases := sabotageCases()
	seen := map[string]bool{}
	for _, c := range cases {
		if seen[c.name] {
			t.Fatalf("two cases named %q", c.name)
		}
		seen[c.name] = true
		if testing.Short() && !c.concurrent {
			continue // a sequential scenario: the cover and Django passes run it
		}
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			s.run(t, c)
		})
	}
}

// ---- Harness. ----

// sabSuite holds the generated export and the shared import every clone
// case starts from.
type sabSuite struct {
	pristine   string // generated export, never modified
	expected   gen.Expected
	admin      *pgxpool.Pool // issues CREATE/DROP DATABASE
	base       *pgtest.DB    // the shared import; no connection stays open on it
	baseExport string        // export folder the shared import recorded
	baseHome   string
	clones     atomic.Int64
	ref        *reconcile.Result // verify of an untouched clone, or nil
}

func newSabSuite(t *testing.T) *sabSuite {
	dir := t.TempDir()
	s := &sabSuite{pristine: filepath.Join(dir, "pristine"), baseExport: filepath.Join(dir, "export"), baseHome: filepath.Join(dir, "home")}
	exp, err := gen.Generate(context.Background(), gen.Options{Out: s.pristine, Scale: gen.TinyScale, Seed: 11, Variant: "utf8"})
	if err != nil {
		t.Fatal(err)
	}
	s.expected = exp
	s.admin = pgtest.MustOpenDB(t).Pool
	s.base = pgtest.MustOpenDB(t)
	copyTree(t, s.pristine, s.baseExport)
	code, out, errs := run(t, "--database-url", s.base.URL, "--home", s.baseHome, "--no-progress", "--quiet",
		"import", "all", "--dir", s.baseExport)
	if code != 0 {
		t.Fatalf("shared import: exit %d\n%s%s", code, out, errs)
	}
	s.base.Pool.Close() // a template database must have no connections
	// The untouched import's verification, for content comparisons.
	ref := s.env(t, sabotage{}).verify()
	if ref.code != 0 || ref.res == nil {
		t.Errorf("verify of the untouched import: exit %d\n%s", ref.code, ref.stderr)
	}
	s.ref = ref.res
	return s
}

// clone makes a database holding the shared import, dropped after the test.
func (s *sabSuite) clone(t *testing.T) (string, *pgxpool.Pool) {
	ctx := context.Background()
	name := fmt.Sprintf("%s_c%d", s.base.Name, s.clones.Add(1))
	// FILE_COPY (PostgreSQL 15+) copies the files instead of logging every
	// page; older servers do that anyway.
	if _, err := s.admin.Exec(ctx, "CREATE DATABASE "+name+" TEMPLATE "+s.base.Name+" STRATEGY FILE_COPY"); err != nil {
		if _, err := s.admin.Exec(ctx, "CREATE DATABASE "+name+" TEMPLATE "+s.base.Name); err != nil {
			t.Fatalf("clone the shared import: %v", err)
		}
	}
	url := database.WithDatabase(s.base.URL, name)
	pool, err := database.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		pool.Close()
		if _, err := s.admin.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("drop %s: %v", name, err)
		}
	})
	return url, pool
}

// ownExport gives a clone case a copy of the export the shared import read,
// and points the clone's batches at it, so the case may edit it freely.
// Attachments are copied too, not hard-linked: the importer warns about a
// hard-linked attachment (hard_link), which a re-import would then add.
func (s *sabSuite) ownExport(t *testing.T, pool *pgxpool.Pool, dir string) {
	t.Helper()
	entries, err := os.ReadDir(s.pristine)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, en := range entries {
		from, to := filepath.Join(s.pristine, en.Name()), filepath.Join(dir, en.Name())
		if en.IsDir() {
			copyTree(t, from, to)
			continue
		}
		b, err := os.ReadFile(from)
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, to, string(b))
	}
	tag, err := pool.Exec(context.Background(), `UPDATE migration_migrationbatch
		SET source_file = $2 || substr(source_file, length($1) + 1) WHERE starts_with(source_file, $1 || '/')`, s.baseExport, dir)
	if err != nil || tag.RowsAffected() == 0 {
		t.Fatalf("point the clone's batches at %s: %d batches, %v", dir, tag.RowsAffected(), err)
	}
}

// sabEnv is one case's database, home, export and variables.
type sabEnv struct {
	t      *testing.T
	s      *sabSuite
	url    string
	pool   *pgxpool.Pool
	work   string
	home   string
	export string
	vars   map[string]string
	before *reconcile.Result // verify before tamper (sabotage.baseline)
	out    cliOut            // the verify under test
	runs   int
}

type cliOut struct {
	code           int
	stdout, stderr string
	jsonPath       string
	res            *reconcile.Result
	raw            map[string]json.RawMessage
}

// env prepares a case up to the import.
func (s *sabSuite) env(t *testing.T, c sabotage) *sabEnv {
	e := &sabEnv{t: t, s: s, work: t.TempDir(), vars: map[string]string{}}
	e.home = filepath.Join(e.work, "home")
	if c.setup == nil && c.importArgs == nil {
		e.url, e.pool = s.clone(t)
		e.export = filepath.Join(e.work, "export")
		s.ownExport(t, e.pool, e.export)
		linkTree(t, filepath.Join(s.baseHome, "media"), filepath.Join(e.home, "media"))
		return e
	}
	db := pgtest.MustOpenDB(t)
	e.url, e.pool = db.URL, db.Pool
	e.export = filepath.Join(e.work, "export")
	copyTree(t, s.pristine, e.export)
	if c.setup != nil {
		c.setup(e)
	}
	args := c.importArgs
	if args == nil {
		args = []string{"import", "all", "--dir", "{export}"}
	}
	var resolved []string
	for _, a := range args {
		resolved = append(resolved, strings.ReplaceAll(a, "{export}", e.export))
	}
	e.mustCLI(0, resolved...)
	return e
}

func (s *sabSuite) run(t *testing.T, c sabotage) {
	e := s.env(t, c)
	if c.baseline {
		out := e.verify()
		if out.code != 0 || out.res == nil {
			t.Fatalf("verify before the sabotage: exit %d\n%s", out.code, out.stderr)
		}
		e.before = out.res
	}
	if c.tamper != nil {
		c.tamper(e)
	}
	var args []string
	for _, a := range c.args {
		args = append(args, e.resolve(a))
	}
	verify := func() cliOut { return e.verifyRaw(args...) }
	var out cliOut
	if c.around != nil {
		out = c.around(e, verify)
	} else {
		out = verify()
	}
	e.parse(&out)
	e.out = out
	r := out.res

	switch {
	case c.wantCode == anyRun && out.code != 0 && out.code != 1,
		c.wantCode != anyRun && out.code != c.wantCode:
		t.Errorf("verify exit %d, want %s\nstderr: %s\n%s", out.code, codeName(c.wantCode), out.stderr, summarize(r))
	}
	if out.code == 2 {
		if r != nil {
			t.Errorf("verify exit 2 but wrote a JSON result")
		}
		if c.check != nil && c.wantCode == 2 {
			c.check(e, nil)
		}
		return
	}
	if r == nil {
		t.Fatalf("verify exit %d wrote no JSON\nstderr: %s", out.code, out.stderr)
	}
	e.checkInvariants(out, contains(args, "--allow-new-rows"))
	for _, w := range c.want {
		n := e.matches(r, w)
		if w.N == 0 && n == 0 || w.N != 0 && n != w.N {
			t.Errorf("want %s: %d matching findings\n%s", e.describe(w), n, summarize(r))
		}
	}
	for _, w := range c.absent {
		if n := e.matches(r, w); n != 0 {
			t.Errorf("unexpected %s: %d findings\n%s", e.describe(w), n, summarize(r))
		}
	}
	if c.check != nil {
		c.check(e, r)
	}
}

// verifyRaw runs verify with a JSON output file; safe from any goroutine.
func (e *sabEnv) verifyRaw(extra ...string) cliOut {
	e.runs++
	path := filepath.Join(e.work, fmt.Sprintf("verify-%d.json", e.runs))
	args := append([]string{"verify", "--json", path, "--seed", "1"}, extra...)
	out := e.cli(args...)
	out.jsonPath = path
	return out
}

// verify runs verify and parses its JSON.
func (e *sabEnv) verify(extra ...string) cliOut {
	out := e.verifyRaw(extra...)
	e.parse(&out)
	return out
}

func (e *sabEnv) parse(out *cliOut) {
	b, err := os.ReadFile(out.jsonPath)
	if err != nil {
		return // no JSON written
	}
	var res reconcile.Result
	if err := json.Unmarshal(b, &res); err != nil {
		e.t.Fatalf("verify JSON: %v", err)
	}
	if err := json.Unmarshal(b, &out.raw); err != nil {
		e.t.Fatalf("verify JSON: %v", err)
	}
	out.res = &res
}

// cli runs recon on the case's database and home; safe from any goroutine.
func (e *sabEnv) cli(args ...string) cliOut {
	full := append([]string{"--database-url", e.url, "--home", e.home, "--no-progress"}, args...)
	code, stdout, stderr := run(e.t, full...)
	return cliOut{code: code, stdout: stdout, stderr: stderr}
}

func (e *sabEnv) mustCLI(code int, args ...string) {
	e.t.Helper()
	if out := e.cli(args...); out.code != code {
		e.t.Fatalf("recon %s: exit %d, want %d\n%s%s", strings.Join(args, " "), out.code, code, out.stdout, out.stderr)
	}
}

// checkInvariants holds for every verification, sabotaged or not.
func (e *sabEnv) checkInvariants(out cliOut, allowNewRows bool) {
	t, r := e.t, out.res
	if r.OK != (out.code == 0) {
		t.Errorf("ok = %v with exit %d", r.OK, out.code)
	}
	if r.SignoffReady && !r.OK {
		t.Errorf("signoff_ready without ok")
	}
	if r.AllowNewRows != allowNewRows {
		t.Errorf("allow_new_rows = %v, want %v", r.AllowNewRows, allowNewRows)
	}
	known := map[string]bool{}
	for _, c := range []string{reconcile.CodeNeverImported, reconcile.CodeFileNotImported, reconcile.CodeBatchFailed,
		reconcile.CodeBatchRunning, reconcile.CodeRolledBack, reconcile.CodeSourceChanged, reconcile.CodeSourceMissing,
		reconcile.CodeLineNoRecord, reconcile.CodeLinesMerged, reconcile.CodeVanished, reconcile.CodeNotFromMigration,
		reconcile.CodeCreatedAfterImport, reconcile.CodeTargetMissing, reconcile.CodeSharedTarget, reconcile.CodeWrongModel,
		reconcile.CodeExternalIDMismatch, reconcile.CodeRecordNoIssue, reconcile.CodeIssueNoRecord,
		// issue 26 (see sabotage_outcomes_test.go)
		reconcile.CodeOutcomeNotSupported, reconcile.CodeLoginEscalated, reconcile.CodeResolvedNoTrace, reconcile.CodeCorrectionLost} {
		known[c] = true
	}
	for _, f := range r.Findings {
		if !known[f.Code] {
			t.Errorf("finding with unknown code %q", f.Code)
		}
		if f.Blocks && r.OK {
			t.Errorf("ok although finding %s %s %s blocks", f.Code, f.Type, f.SourceID)
		}
	}
	for _, name := range reconcile.TypeNames() {
		tc, ok := r.Types[name]
		if !ok {
			t.Errorf("types lacks %s", name)
			continue
		}
		typ, _ := source.TypeByName(name)
		if n := e.count(typ.Table); tc.TableRows != n {
			t.Errorf("%s: table_rows %d, but %s holds %d rows", name, tc.TableRows, typ.Table, n)
		}
		if tc.TableRows != tc.MappedRows+tc.Placeholder+tc.NotFromMigration {
			t.Errorf("%s: table_rows %d != mapped_rows %d + placeholder %d + not_from_migration %d",
				name, tc.TableRows, tc.MappedRows, tc.Placeholder, tc.NotFromMigration)
		}
		if tc.CreatedAfterImport > tc.NotFromMigration {
			t.Errorf("%s: created_after_import %d > not_from_migration %d", name, tc.CreatedAfterImport, tc.NotFromMigration)
		}
		// The rejection breakdown counts rows: its parts add up.
		by := 0
		for _, n := range tc.RejectedBy {
			by += n
		}
		if by != tc.Rejected {
			t.Errorf("%s: rejected_by %v adds up to %d, rejected %d", name, tc.RejectedBy, by, tc.Rejected)
		}
	}
	order := []string{reconcile.CheckComplete, reconcile.CheckSources, reconcile.CheckSourceExplained, reconcile.CheckTableExplained,
		reconcile.CheckMappings, reconcile.CheckAuditTrail, reconcile.CheckFields, reconcile.CheckChains, reconcile.CheckSample,
		reconcile.CheckAttachments, reconcile.CheckCritical}
	var got []string
	allOK := true
	for _, c := range r.Checklist {
		got = append(got, c.Code)
		allOK = allOK && c.OK
	}
	if strings.Join(got, ",") != strings.Join(order, ",") {
		t.Errorf("checklist %v, want %v", got, order)
	}
	if r.SignoffReady && !allOK {
		t.Errorf("signoff_ready with a failed checklist item: %+v", r.Checklist)
	}
	if !r.OK && allOK && len(r.Checklist) > 0 {
		t.Errorf("not ok, yet every checklist item holds: %+v", r.Checklist)
	}
}

// matches counts the findings w matches.
func (e *sabEnv) matches(r *reconcile.Result, w want) int {
	n := 0
	for _, f := range r.Findings {
		if e.match(f, w) {
			n++
		}
	}
	return n
}

func (e *sabEnv) match(f reconcile.Finding, w want) bool {
	if w.Code != "" && f.Code != w.Code || w.Type != "" && f.Type != w.Type ||
		w.SourceID != "" && f.SourceID != e.resolve(w.SourceID) || w.Table != "" && f.Table != w.Table ||
		w.File != "" && filepath.Base(f.File) != w.File || w.Blocks != nil && f.Blocks != *w.Blocks {
		return false
	}
	if id := e.targetOf(w); id != 0 && f.TargetID != id {
		return false
	}
	if line := e.lineOf(w); line != 0 && f.Line != line {
		return false
	}
	for k, v := range w.Params {
		if f.Params[k] != e.resolve(v) {
			return false
		}
	}
	return true
}

func (e *sabEnv) targetOf(w want) int64 {
	if w.Target != "" {
		return e.id(w.Target)
	}
	return w.TargetID
}

func (e *sabEnv) lineOf(w want) int {
	if w.LineVar != "" {
		return int(e.id(w.LineVar))
	}
	return w.Line
}

func (e *sabEnv) describe(w want) string {
	parts := []string{w.Code}
	add := func(k, v string) {
		if v != "" && v != "0" {
			parts = append(parts, k+"="+v)
		}
	}
	add("type", w.Type)
	add("source_id", e.resolve(w.SourceID))
	add("table", w.Table)
	add("target_id", strconv.FormatInt(e.targetOf(w), 10))
	add("file", w.File)
	add("line", strconv.Itoa(e.lineOf(w)))
	for k, v := range w.Params {
		add("params."+k, e.resolve(v))
	}
	if w.Blocks != nil {
		add("blocks", strconv.FormatBool(*w.Blocks))
	}
	if w.N != 0 {
		add("exactly", strconv.Itoa(w.N))
	}
	return strings.Join(parts, " ")
}

// summarize lists a result's findings by code, for failure messages.
func summarize(r *reconcile.Result) string {
	if r == nil {
		return "(no result)"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "ok=%v signoff_ready=%v findings=%d unexplained=%d mismatches=%d\n", r.OK, r.SignoffReady, len(r.Findings),
		len(r.Unexplained), len(r.Mismatches))
	per := map[string]int{}
	for i, f := range r.Findings {
		per[f.Code+" "+f.Type]++
		if i < 8 {
			fmt.Fprintf(&b, "  %+v\n", f)
		}
	}
	for i, u := range r.Unexplained {
		if i == 3 {
			break
		}
		fmt.Fprintf(&b, "  unexplained %+v\n", u)
	}
	keys := make([]string, 0, len(per))
	for k := range per {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "  %s: %d\n", k, per[k])
	}
	return b.String()
}

func codeName(c int) string {
	if c == anyRun {
		return "0 or 1"
	}
	return strconv.Itoa(c)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// namesSource tells whether anything in the result points at a source row.
func namesSource(r *reconcile.Result, typ, id string) bool {
	for _, f := range r.Findings {
		if f.Type == typ && f.SourceID == id {
			return true
		}
	}
	for _, u := range r.Unexplained {
		if u.Type == typ && u.SourceID == id {
			return true
		}
	}
	for _, m := range r.Mismatches {
		if m.Type == typ && m.SourceID == id {
			return true
		}
	}
	return false
}

// ---- Expectations used by several cases. ----

func checkControl(e *sabEnv, r *reconcile.Result) {
	t := e.t
	e.expectExpectedCounts(r)
	for _, name := range reconcile.TypeNames() {
		tc := r.Types[name]
		if tc.SourceFiles != 1 || tc.MergedLines != 0 || tc.Placeholder != 0 || tc.NotFromMigration != 0 || tc.CreatedAfterImport != 0 ||
			tc.Vanished != 0 || tc.Unexplained != 0 || tc.FieldMismatches != 0 || tc.MappedRows != tc.Imported {
			t.Errorf("%s: %+v; want one file, mapped_rows = imported and nothing unexplained", name, tc)
		}
	}
	for _, f := range r.Findings {
		if f.Blocks {
			t.Errorf("blocking finding on an untouched import: %+v", f)
		}
	}
	if r.SignoffReady != (r.IssuesBySev["critical"] == 0) {
		t.Errorf("signoff_ready %v with %d open critical issues", r.SignoffReady, r.IssuesBySev["critical"])
	}
	for _, c := range r.Checklist {
		if c.OK != (c.Code != reconcile.CheckCritical || r.IssuesBySev["critical"] == 0) {
			t.Errorf("checklist %s = %v (open critical issues: %d)", c.Code, c.OK, r.IssuesBySev["critical"])
		}
	}
	if len(r.Sources) != 9 {
		t.Errorf("%d sources, want 9", len(r.Sources))
	}
	for _, s := range r.Sources {
		if s.Status != "ok" {
			t.Errorf("source %s: %s", s.Path, s.Status)
		}
	}
	if len(r.SourceDelta) != 0 {
		t.Errorf("source_delta %+v without --source-dir", r.SourceDelta)
	}
	if a := r.Attachments; a.Checked != e.s.expected.DestinationRows["documents"] || a.Missing+a.Corrupt != 0 {
		t.Errorf("attachments %+v", a)
	}
	hex64 := regexp.MustCompile(`^[0-9a-f]{64}$`)
	if !hex64.MatchString(r.ContentFingerprint) {
		t.Errorf("content_fingerprint %q", r.ContentFingerprint)
	}
	tables := map[string]bool{}
	for _, tc := range r.Tables {
		tables[tc.Table] = hex64.MatchString(tc.SHA256)
	}
	for _, name := range reconcile.TypeNames() {
		typ, _ := source.TypeByName(name)
		if !tables[typ.Table] {
			t.Errorf("tables lacks a content hash of %s", typ.Table)
		}
	}
	for _, k := range []string{"findings", "source_delta", "content_fingerprint", "tables", "allow_new_rows", "checklist"} {
		if _, ok := e.out.raw[k]; !ok {
			t.Errorf("verify JSON lacks %q", k)
		}
	}
	var types map[string]map[string]json.RawMessage
	json.Unmarshal(e.out.raw["types"], &types)
	for _, k := range []string{"table_rows", "not_from_migration", "vanished", "mapped_rows", "placeholder", "created_after_import",
		"source_files", "merged_lines", "destination_rows"} {
		if _, ok := types["pets"][k]; !ok {
			t.Errorf("types.pets lacks %q", k)
		}
	}
	// Run again, in English: neither fingerprint depends on the run or the language.
	again := e.verify("--lang", "en")
	if again.res == nil || again.code != 0 {
		t.Fatalf("second verify: exit %d\n%s", again.code, again.stderr)
	}
	if again.res.Fingerprint != r.Fingerprint || again.res.ContentFingerprint != r.ContentFingerprint {
		t.Errorf("fingerprints differ between runs/languages: %s/%s vs %s/%s", r.Fingerprint, r.ContentFingerprint,
			again.res.Fingerprint, again.res.ContentFingerprint)
	}
}

// expectExpectedCounts compares every type's outcome with expected.json.
func (e *sabEnv) expectExpectedCounts(r *reconcile.Result) {
	for name, want := range e.s.expected.Types {
		tc := r.Types[name]
		got := gen.TypeCounts{SourceRows: tc.SourceRows, Imported: tc.Imported, MergedDuplicates: tc.Merged,
			Rejected: tc.Rejected, Orphaned: tc.Orphaned, Skipped: tc.Skipped}
		if got != want {
			e.t.Errorf("%s: %+v, expected.json says %+v", name, got, want)
		}
		if got.SourceRows != got.Sum() {
			e.t.Errorf("%s: source_rows %d != imported+merged+rejected+orphaned+skipped %d", name, got.SourceRows, got.Sum())
		}
		if tc.DestinationRows != e.s.expected.DestinationRows[name] || tc.TableRows != tc.DestinationRows {
			e.t.Errorf("%s: destination_rows %d, table_rows %d; expected.json says %d", name, tc.DestinationRows, tc.TableRows,
				e.s.expected.DestinationRows[name])
		}
	}
}

// expectSameContent compares the content fingerprint with an untouched import's.
func (e *sabEnv) expectSameContent(r *reconcile.Result) {
	ref := e.s.ref
	if ref == nil {
		e.t.Errorf("no verification of the untouched import to compare the content fingerprint with")
	} else if r.ContentFingerprint != ref.ContentFingerprint {
		var differ []string
		for i, tc := range r.Tables {
			if i < len(ref.Tables) && ref.Tables[i] != tc {
				differ = append(differ, fmt.Sprintf("%s (%d rows, untouched %d)", tc.Table, tc.Rows, ref.Tables[i].Rows))
			}
		}
		e.t.Errorf("content_fingerprint %q differs from the untouched import's %q for the same rows; tables that differ: %v",
			r.ContentFingerprint, ref.ContentFingerprint, differ)
	}
}

func (e *sabEnv) expectCounts(r *reconcile.Result, typ string, want map[string]int) {
	b, _ := json.Marshal(r.Types[typ])
	var got map[string]int
	json.Unmarshal(b, &got)
	for k, v := range want {
		if got[k] != v {
			e.t.Errorf("types.%s.%s = %d, want %d", typ, k, got[k], v)
		}
	}
}

func (e *sabEnv) expectCheck(r *reconcile.Result, code string, ok bool) {
	for _, c := range r.Checklist {
		if c.Code == code {
			if c.OK != ok {
				e.t.Errorf("checklist %s = %v, want %v", code, c.OK, ok)
			}
			return
		}
	}
	e.t.Errorf("checklist lacks %s", code)
}

func (e *sabEnv) expectNoSignoff(r *reconcile.Result) {
	if r.SignoffReady {
		e.t.Errorf("signoff_ready true")
	}
}

func (e *sabEnv) expectMismatch(r *reconcile.Result, typ, id, field, dest string) {
	for _, m := range r.Mismatches {
		if m.Type == typ && m.SourceID == id && m.Field == field && (dest == "" || m.Destination == dest) {
			return
		}
	}
	e.t.Errorf("no mismatch %s %s %s → %q\n%+v", typ, id, field, dest, r.Mismatches)
}

// expectNamed wants something in the result to point at a source row.
func (e *sabEnv) expectNamed(r *reconcile.Result, typ, id string) {
	if !namesSource(r, typ, id) {
		e.t.Errorf("nothing in the result names %s %s\n%s", typ, id, summarize(r))
	}
}

// expectBlocksTarget wants a finding about a destination row, blocking or
// not (either design, one finding or a not_from_migration beside a
// created_after_import, passes).
func (e *sabEnv) expectBlocksTarget(r *reconcile.Result, table string, id int64, blocking bool) {
	found, blocked := false, false
	for _, f := range r.Findings {
		if f.Table == table && f.TargetID == id {
			found = true
			blocked = blocked || f.Blocks
		}
	}
	if !found || blocked != blocking {
		e.t.Errorf("%s row %d: found %v, blocking %v; want a finding, blocking %v\n%s", table, id, found, blocked, blocking, summarize(r))
	}
}

func (e *sabEnv) expectBrokenChain(r *reconcile.Result, prefix, id string) {
	for _, c := range r.Chains {
		if strings.HasPrefix(c.Check, prefix) {
			if c.OK || c.Violations != 1 || !strings.Contains(strings.Join(c.Examples, "\n"), id) {
				e.t.Errorf("chain %s: %+v; want one violation naming %s", c.Check, c, id)
			}
			return
		}
	}
	e.t.Errorf("no chain check %s…", prefix)
}

func (e *sabEnv) expectDelta(r *reconcile.Result, typ string, want reconcile.Delta, example string) {
	d := r.SourceDelta[typ]
	if d.Added != want.Added || d.Removed != want.Removed || d.Changed != want.Changed || !contains(d.Examples, example) {
		e.t.Errorf("source_delta.%s = %+v; want added %d, removed %d, changed %d with example %q", typ, d,
			want.Added, want.Removed, want.Changed, example)
	}
	for other, d := range r.SourceDelta {
		if other != typ && d.Added+d.Removed+d.Changed != 0 {
			e.t.Errorf("source_delta.%s = %+v, but only %s changed", other, d, typ)
		}
	}
}

func (e *sabEnv) expectSource(r *reconcile.Result, typ, status string) {
	for _, s := range r.Sources {
		if s.Type == typ {
			if s.Status != status {
				e.t.Errorf("source %s: %s, want %s", s.Path, s.Status, status)
			}
			return
		}
	}
	e.t.Errorf("no source of %s", typ)
}

func (e *sabEnv) expectAttachments(r *reconcile.Result, missing, corrupt int, id string) {
	a := r.Attachments
	if a.Missing != missing || a.Corrupt != corrupt || !strings.Contains(strings.Join(a.Examples, "\n"), id) {
		e.t.Errorf("attachments %+v; want %d missing, %d altered, naming %s", a, missing, corrupt, id)
	}
	e.expectCheck(r, reconcile.CheckAttachments, false)
}

// ---- Database helpers. ----

func (e *sabEnv) exec(sql string, args ...any) {
	e.t.Helper()
	if _, err := e.pool.Exec(context.Background(), sql, args...); err != nil {
		e.t.Fatalf("%s: %v", sql, err)
	}
}

func (e *sabEnv) scan(sql string, dst any, args ...any) {
	e.t.Helper()
	if err := e.pool.QueryRow(context.Background(), sql, args...).Scan(dst); err != nil {
		e.t.Fatalf("%s: %v", sql, err)
	}
}

func (e *sabEnv) count(table string) int {
	var n int
	e.scan("SELECT count(*) FROM "+table, &n)
	return n
}

// pick runs a query returning (text, bigint) and stores them as vars
// name and name_target.
func (e *sabEnv) pick(name, sql string, args ...any) {
	e.t.Helper()
	var id string
	var target int64
	if err := e.pool.QueryRow(context.Background(), sql, args...).Scan(&id, &target); err != nil {
		e.t.Fatalf("pick %s: %s: %v", name, sql, err)
	}
	e.vars[name], e.vars[name+"_target"] = id, strconv.FormatInt(target, 10)
}

// pickPet picks an imported pet with no quality issue, no document and
// the fewest records hanging from it (at scale 1 every pet has some), whose
// line starts with a plain name, so tampering with it stays local. The
// line is raw_line, or, where that is blank, source_data written as CSV:
// an id, an owner id and a name CSV would not quote.
func (e *sabEnv) pickPet(name string) {
	e.t.Helper()
	e.pick(name, `SELECT m.source_id, m.target_id FROM migration_externalidmapping m
		JOIN migration_migrationrecord r ON r.source_type = 'pet' AND r.source_id = m.source_id AND r.status = 'imported'
		WHERE m.source_type = 'pet' AND (r.raw_line ~ '^P[0-9]+,C[0-9]+,[^",]+,' OR r.raw_line = ''
			AND r.source_data->>'id' ~ '^P[0-9]+$' AND r.source_data->>'id_cliente' ~ '^C[0-9]+$'
			AND r.source_data->>'nombre' ~ '^[^",[:space:]][^",\r\n]*$')
		  AND NOT EXISTS (SELECT 1 FROM migration_dataqualityissue i WHERE i.record_id = r.id)
		  AND NOT EXISTS (SELECT 1 FROM documents_document x WHERE x.pet_id = m.target_id)
		ORDER BY (SELECT count(*) FROM medical_medicalrecord x WHERE x.pet_id = m.target_id)
			+ (SELECT count(*) FROM medical_vaccinationrecord x WHERE x.pet_id = m.target_id)
			+ (SELECT count(*) FROM appointments_appointment x WHERE x.pet_id = m.target_id), m.source_id
		LIMIT 1`)
}

func (e *sabEnv) target(sourceType, id string) int64 {
	e.t.Helper()
	var target int64
	e.scan(`SELECT target_id FROM migration_externalidmapping WHERE source_type = $1 AND source_id = $2`, &target, sourceType, id)
	return target
}

func (e *sabEnv) latestBatch(typ string) int64 {
	e.t.Helper()
	t, _ := source.TypeByName(typ)
	var id int64
	e.scan(`SELECT max(id) FROM migration_migrationbatch WHERE batch_type = $1`, &id, t.BatchType)
	return id
}

func (e *sabEnv) id(name string) int64 {
	e.t.Helper()
	n, err := strconv.ParseInt(e.vars[name], 10, 64)
	if err != nil {
		e.t.Fatalf("variable %s = %q: %v", name, e.vars[name], err)
	}
	return n
}

func (e *sabEnv) resolve(s string) string {
	if strings.HasPrefix(s, "$") {
		v, ok := e.vars[s[1:]]
		if !ok {
			e.t.Fatalf("variable %s not set", s)
		}
		return v
	}
	return s
}

// insertPet adds a pet no import wrote, under a migrated owner; createdAt
// empty means now().
func (e *sabEnv) insertPet(id int64, createdAt string) {
	owner := e.target("client", "C00001")
	var at any
	if createdAt != "" {
		at = createdAt
	}
	e.exec(`INSERT INTO pets_pet (id, owner_id, external_id, name, species, breed, sex, color, microchip_number, is_sterilized,
			is_deceased, notes, created_at, updated_at)
		VALUES ($1, $2, '', 'Firulais', 'dog', '', 'unknown', '', '', false, false, '', COALESCE($3::timestamptz, now()), COALESCE($3::timestamptz, now()))`,
		id, owner, at)
}

// deletePet deletes a pet and, first, the rows that hang from it, as
// Django's on_delete=CASCADE does (the database cascades nothing).
func (e *sabEnv) deletePet(id int64) {
	e.t.Helper()
	for _, table := range []string{"medical_medicalrecord", "medical_vaccinationrecord", "appointments_appointment", "documents_document"} {
		e.exec(`DELETE FROM `+table+` WHERE pet_id = $1`, id)
	}
	e.exec(`DELETE FROM pets_pet WHERE id = $1`, id)
}

// deleteIssues deletes the quality issues the condition selects and, first,
// what refers to them: re-run links go, corrections forget the issue (as
// Django's on_delete does).
func (e *sabEnv) deleteIssues(where string, args ...any) {
	e.t.Helper()
	ids := `(SELECT id FROM migration_dataqualityissue WHERE ` + where + `)`
	e.exec(`UPDATE migration_correction SET issue_id = NULL WHERE issue_id IN `+ids, args...)
	e.exec(`DELETE FROM migration_issuebatch WHERE issue_id IN `+ids, args...)
	e.exec(`DELETE FROM migration_dataqualityissue WHERE `+where, args...)
}

// attachment picks an imported document and returns its media file.
func (e *sabEnv) attachment(name string) string {
	e.pick(name, `SELECT source_id, target_id FROM migration_externalidmapping WHERE source_type = 'document' ORDER BY source_id LIMIT 1`)
	var file string
	e.scan(`SELECT file FROM documents_document WHERE id = $1`, &file, e.id(name+"_target"))
	path := filepath.Join(e.home, "media", filepath.FromSlash(file))
	// The media store is hard-linked to the shared import's: give this
	// case a file of its own before it is changed.
	b, err := os.ReadFile(path)
	if err != nil {
		e.t.Fatal(err)
	}
	if err := os.Remove(path); err != nil {
		e.t.Fatal(err)
	}
	writeFile(e.t, path, string(b))
	return path
}

// holdImportLock makes the case look like an import in progress: a running
// pets batch and the import lock held, named after it.
func holdImportLock(e *sabEnv) {
	ctx := context.Background()
	lock, err := importer.AcquireLock(ctx, e.pool, importer.LockOptions{Command: "import", Operator: "otra"})
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { lock.Release(ctx) })
	// Taking the lock marks running batches failed: insert it afterwards.
	e.pick("batch", newBatchSQL, batchType(e.t, "pets"), "running", "otra")
	e.vars["batch"] = e.vars["batch_target"]
	if err := lock.SetBatch(ctx, e.id("batch")); err != nil {
		e.t.Fatal(err)
	}
}

// waitForLock starts verify --wait while the import lock is held, and lets
// go once verify waits for it (or after a while, should verify wait without
// a blocked lock request); verify must not finish before.
func waitForLock(e *sabEnv, verify func() cliOut) cliOut {
	ctx := context.Background()
	lock, err := importer.AcquireLock(ctx, e.pool, importer.LockOptions{Command: "import", Operator: "otra"})
	if err != nil {
		e.t.Fatal(err)
	}
	done := make(chan cliOut, 1)
	go func() { done <- verify() }()
	deadline := time.After(5 * time.Second)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
wait:
	for {
		select {
		case out := <-done:
			lock.Release(ctx)
			e.t.Errorf("verify --wait finished (exit %d) while an import held the lock\n%s", out.code, out.stderr)
			return out
		case <-deadline:
			break wait
		case <-tick.C:
			var waiting int
			e.scan(`SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted
				AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`, &waiting)
			if waiting > 0 {
				break wait
			}
		}
	}
	lock.Release(ctx)
	return <-done
}

// ---- Export file helpers. ----

func splitClients(e *sabEnv) {
	path := filepath.Join(e.export, "clientes.csv")
	lines := readLines(e.t, path)
	if want := e.s.expected.Types["clients"].SourceRows + 1; len(lines) != want {
		e.t.Fatalf("clientes.csv has %d lines; the split assumes a header and %d one-line rows", len(lines), want-1)
	}
	half := len(lines) / 2
	writeLines(e.t, path, lines[:half])
	writeLines(e.t, filepath.Join(e.export, "clientes_2.csv"), append([]string{lines[0]}, lines[half:]...))
}

// repeatRejectedClient appends a valid row with the id of C00011, whose
// first occurrence is rejected for its blank name.
func repeatRejectedClient(e *sabEnv) {
	path := filepath.Join(e.export, "clientes.csv")
	lines := readLines(e.t, path)
	if !strings.HasPrefix(lines[11], `C00011," ",`) {
		e.t.Fatalf("line 12 of clientes.csv is %q; the case assumes C00011 with a blank name", lines[11])
	}
	writeLines(e.t, path, append(lines,
		"C00011,Luisa Ruiz Sabotaje,CC,99.999.011,,3009990011,luisa.sabotaje@example.com,Calle 1 # 2-3,Bogotá,,2018-01-06,Sí"))
}

// unbalancedQuote opens a quote in the notes of line 6 (C00005) that only
// the notes of line 8 (C00007) close: lines 7-8 become part of C00005.
func unbalancedQuote(e *sabEnv) {
	path := filepath.Join(e.export, "clientes.csv")
	lines := readLines(e.t, path)
	l6 := strings.Replace(lines[5], "Cali,,2017-11-08", `Cali,"Cliente nuevo,2017-11-08`, 1)
	l8 := strings.Replace(lines[7], "Chía,,2026-04-03", `Chía,Pide factura",2026-04-03`, 1)
	if l6 == lines[5] || l8 == lines[7] || !strings.HasPrefix(l6, "C00005,") || !strings.HasPrefix(l8, "C00007,") {
		e.t.Fatalf("clientes.csv lines 6-8 are not the expected C00005-C00007:\n%s\n%s", lines[5], lines[7])
	}
	lines[5], lines[7] = l6, l8
	writeLines(e.t, path, lines)
}

func clientsHeader(e *sabEnv) string {
	return readLines(e.t, filepath.Join(e.export, "clientes.csv"))[0] + "\n"
}

// newerExport copies the export to e.vars["newer"] with mascotas.csv edited.
func (e *sabEnv) newerExport(edit func([]string) []string) {
	newer := filepath.Join(e.work, "newer")
	copyTree(e.t, e.export, newer)
	path := filepath.Join(newer, "mascotas.csv")
	writeLines(e.t, path, edit(readLines(e.t, path)))
	e.vars["newer"] = newer
}

func removeLine(t *testing.T, lines []string, id string) []string {
	for i, l := range lines {
		if strings.HasPrefix(l, id+",") {
			return append(append([]string{}, lines[:i]...), lines[i+1:]...)
		}
	}
	t.Fatalf("no line for %s", id)
	return nil
}

func renamePet(t *testing.T, lines []string, id, name string) []string {
	re := regexp.MustCompile(`^(` + regexp.QuoteMeta(id) + `,C[0-9]+,)[^",]+,`)
	for i, l := range lines {
		if re.MatchString(l) {
			out := append([]string{}, lines...)
			out[i] = re.ReplaceAllString(l, "${1}"+name+",")
			return out
		}
	}
	t.Fatalf("no plain line for %s", id)
	return nil
}

func readLines(t *testing.T, path string) []string {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

func writeLines(t *testing.T, path string, lines []string) {
	writeFile(t, path, strings.Join(lines, "\n")+"\n")
}

func writeFile(t *testing.T, path, content string) {
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// linkTree hard-links every file of from into to (copying when linking
// fails). A case that alters a linked file must replace it, not write into
// it: see attachment.
func linkTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.Walk(from, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if info.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		if os.Link(p, filepath.Join(to, rel)) == nil {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func copyTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.Walk(from, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if info.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// The matcher itself must be able to fail: a want that matches everything
// would make every case above vacuous.
func TestSabotageHarnessMatches(t *testing.T) {
	e := &sabEnv{t: t, vars: map[string]string{"pet": "P00042", "pet_target": "17", "line": "6"}}
	r := &reconcile.Result{Findings: []reconcile.Finding{
		{Code: reconcile.CodeNotFromMigration, Type: "pets", Table: "pets_pet", TargetID: 17, Blocks: true},
		{Code: reconcile.CodeVanished, Type: "pets", SourceID: "P00042", Blocks: true},
		{Code: reconcile.CodeLinesMerged, Type: "clients", File: "/x/clientes.csv", Line: 6, Params: map[string]string{"first": "7", "last": "8"}},
	}}
	for _, tc := range []struct {
		w    want
		want int
	}{
		{want{Code: reconcile.CodeNotFromMigration, Type: "pets", Target: "pet_target", Blocks: blocks}, 1},
		{want{Code: reconcile.CodeNotFromMigration, TargetID: 18}, 0},
		{want{Code: reconcile.CodeNotFromMigration, Blocks: ptr(false)}, 0},
		{want{Code: reconcile.CodeVanished, SourceID: "$pet"}, 1},
		{want{Code: reconcile.CodeVanished, SourceID: "P00043"}, 0},
		{want{Code: reconcile.CodeLinesMerged, File: "clientes.csv", LineVar: "line", Params: map[string]string{"first": "7"}}, 1},
		{want{Code: reconcile.CodeLinesMerged, Params: map[string]string{"first": "6"}}, 0},
		{want{Code: reconcile.CodeLinesMerged, Line: 7}, 0},
		{want{Type: "pets"}, 2},
		{want{Code: reconcile.CodeCreatedAfterImport}, 0},
	} {
		if got := e.matches(r, tc.w); got != tc.want {
			t.Errorf("%s: %d matches, want %d", e.describe(tc.w), got, tc.want)
		}
	}
	if !namesSource(r, "pets", "P00042") || namesSource(r, "clients", "P00042") {
		t.Errorf("namesSource")
	}
}

package audit_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/petfriendly/recon/audit"
	"github.com/petfriendly/recon/importer"
	"github.com/petfriendly/recon/internal/i18n"
	"github.com/petfriendly/recon/internal/pgtest"
	"github.com/petfriendly/recon/reconcile"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

var testNow = time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)

type fixture struct {
	pool  *pgxpool.Pool
	media string
	dir   string // the imported export
}

// imported loads the tiny hand-written export of the verify goldens.
func imported(t *testing.T) fixture {
	t.Helper()
	db := pgtest.MustOpenDB(t)
	from := filepath.Join("..", "testdata", "reconcile", "export")
	dir := filepath.Join(t.TempDir(), "export")
	err := filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dir, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	media := t.TempDir()
	im, err := importer.New(db.Pool, importer.Options{MediaDir: media, Now: func() time.Time { return testNow }, Operator: "ana"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := im.ImportDir(context.Background(), dir); err != nil {
		t.Fatal(err)
	}
	return fixture{pool: db.Pool, media: media, dir: dir}
}

func code(err error) string {
	var re *audit.Error
	if errors.As(err, &re) {
		return re.Code
	}
	if err != nil {
		return "other: " + err.Error()
	}
	return ""
}

func TestBatchesAndIssues(t *testing.T) {
	f := imported(t)
	ctx := context.Background()
	batches, err := audit.Batches(ctx, f.pool)
	if err != nil {
		t.Fatal(err)
	}
	if len(batches) != 5 {
		t.Fatalf("%d batches, want 5 (one per file)", len(batches))
	}
	if b := batches[0]; b.Type != "clients" || b.Status != "completed" || b.Total != 4 || b.Imported != 2 || b.Merged != 1 ||
		b.Rejected != 1 || b.Operator != "ana" || b.FinishedAt == nil || !strings.HasSuffix(b.File, "clientes.csv") {
		t.Errorf("clients batch = %+v", b)
	}

	all, total, err := audit.ListIssues(ctx, f.pool, audit.IssueFilter{})
	if err != nil || total != len(all) || total == 0 {
		t.Fatalf("list: %d of %d, %v", len(all), total, err)
	}
	page, total2, err := audit.ListIssues(ctx, f.pool, audit.IssueFilter{Limit: 2, Offset: 1})
	if err != nil || len(page) != 2 || total2 != total || page[0].ID != all[1].ID {
		t.Fatalf("page = %v, total %d, %v", page, total2, err)
	}
	crit, _, err := audit.ListIssues(ctx, f.pool, audit.IssueFilter{Severity: "critical", Type: "record"})
	if err != nil || len(crit) != 1 || crit[0].IssueType != "orphaned_record" || crit[0].SourceID != "H4" || crit[0].Type != "medical" {
		t.Fatalf("critical records = %+v, %v", crit, err)
	}
	if _, _, err := audit.ListIssues(ctx, f.pool, audit.IssueFilter{Severity: "grave"}); code(err) != audit.CodeBadFilter {
		t.Errorf("bad severity: %v", err)
	}
	if _, _, err := audit.ListIssues(ctx, f.pool, audit.IssueFilter{Type: "gatos"}); code(err) != audit.CodeUnknownType {
		t.Errorf("bad type: %v", err)
	}

	res := audit.Resolution{Text: "revisado con la clínica", By: "Dr. Pablo", At: testNow}
	is, err := audit.ResolveIssue(ctx, f.pool, crit[0].ID, res)
	if err != nil || !is.Resolved || is.ResolvedBy != "Dr. Pablo" || is.ResolvedAt == nil || !is.ResolvedAt.Equal(testNow) {
		t.Fatalf("resolve = %+v, %v", is, err)
	}
	_, err = audit.ResolveIssue(ctx, f.pool, crit[0].ID, res)
	if code(err) != audit.CodeAlreadyResolved || !strings.Contains(err.(*audit.Error).Text(i18n.ES), "ya estaba resuelto") {
		t.Errorf("second resolve: %v", err)
	}
	if _, err := audit.ResolveIssue(ctx, f.pool, 999999, res); code(err) != audit.CodeNotFound {
		t.Errorf("unknown issue: %v", err)
	}
	if _, err := audit.ResolveIssue(ctx, f.pool, all[0].ID, audit.Resolution{Text: "  ", By: "x", At: testNow}); code(err) != audit.CodeEmptyResolution {
		t.Errorf("empty resolution: %v", err)
	}

	info, _, _ := audit.ListIssues(ctx, f.pool, audit.IssueFilter{Severity: "info", Unresolved: true})
	ids := []int64{crit[0].ID} // already resolved: left as it was
	for _, is := range info {
		ids = append(ids, is.ID)
	}
	n, err := audit.ResolveIssues(ctx, f.pool, ids, audit.Resolution{Text: "informativo", By: "ana", At: testNow})
	if err != nil || int(n) != len(info) {
		t.Fatalf("bulk resolve = %d, %v; want %d", n, err, len(info))
	}
	open, _, _ := audit.ListIssues(ctx, f.pool, audit.IssueFilter{Unresolved: true})
	if len(open) != len(all)-len(info)-1 {
		t.Errorf("%d open after resolving %d, of %d", len(open), len(info)+1, len(all))
	}
	again, _, _ := audit.ListIssues(ctx, f.pool, audit.IssueFilter{Type: "record", Severity: "critical"})
	if again[0].Resolution != "revisado con la clínica" {
		t.Errorf("bulk resolve overwrote an earlier resolution: %+v", again[0])
	}
	types, err := audit.OpenIssueTypes(ctx, f.pool)
	if err != nil || len(types) == 0 {
		t.Fatalf("open types = %v, %v", types, err)
	}
	for _, tc := range types {
		if tc.IssueType == "placeholder_email" {
			t.Errorf("resolved type still listed as open: %+v", tc)
		}
	}
}

// req is a correction request by Dr. Pablo at testNow.
func req(typ, id string, changes ...audit.Change) audit.CorrectRequest {
	return audit.CorrectRequest{Type: typ, SourceID: id, Changes: changes, Reason: "la dueña lo confirmó", By: "Dr. Pablo", At: testNow}
}

func set(field, value string) audit.Change { return audit.Change{Field: field, Value: value} }

// Resolving names the operator as given and, when the name is the e-mail of
// one active user (ignoring case), that user; otherwise no user.
func TestResolverUser(t *testing.T) {
	f := imported(t)
	ctx := context.Background()
	for _, u := range []struct {
		id     int64
		email  string
		active bool
	}{{800001, "Pablo.Vet@Clinica.co", true}, {800002, "inactiva@clinica.co", false}} {
		if _, err := f.pool.Exec(ctx, `INSERT INTO accounts_user (id, password, email, first_name, last_name, role, is_active,
				is_staff, is_superuser, date_joined) VALUES ($1, '!', $2, '', '', 'vet', $3, true, false, $4)`,
			u.id, u.email, u.active, testNow); err != nil {
			t.Fatal(err)
		}
	}
	all, _, err := audit.ListIssues(ctx, f.pool, audit.IssueFilter{Unresolved: true})
	if err != nil || len(all) < 4 {
		t.Fatalf("%d issues, %v", len(all), err)
	}
	for i, c := range []struct {
		by   string
		want int64 // 0: no user
	}{{"pablo.vet@clinica.co", 800001}, {"Dr. Pablo", 0}, {"inactiva@clinica.co", 0}} {
		is, err := audit.ResolveIssue(ctx, f.pool, all[i].ID, audit.Resolution{Text: "revisado", By: c.by, At: testNow})
		if err != nil || is.ResolvedBy != c.by {
			t.Fatalf("resolve by %q = %+v, %v", c.by, is, err)
		}
		if got := is.ResolvedByID; (c.want == 0) != (got == nil) || (got != nil && *got != c.want) {
			t.Errorf("resolved by %q: user %v, want %d", c.by, got, c.want)
		}
	}
	if _, err := audit.ResolveIssues(ctx, f.pool, []int64{all[3].ID}, audit.Resolution{Text: "r", By: "PABLO.VET@clinica.co", At: testNow}); err != nil {
		t.Fatal(err)
	}
	var name string
	var user *int64
	f.pool.QueryRow(ctx, `SELECT resolved_by_name, resolved_by_id FROM migration_dataqualityissue WHERE id = $1`, all[3].ID).Scan(&name, &user)
	if name != "PABLO.VET@clinica.co" || user == nil || *user != 800001 {
		t.Errorf("bulk resolve: %q user %v", name, user)
	}
}

func TestCorrect(t *testing.T) {
	f := imported(t)
	ctx := context.Background()

	refusals := []struct {
		name string
		req  audit.CorrectRequest
		code string
	}{
		{"unknown type", req("gato", "P1", set("nombre", "x")), audit.CodeUnknownType},
		{"unknown field", req("pet", "P1", set("apodo", "x")), audit.CodeUnknownField},
		{"reference", req("pet", "P1", set("id_cliente", "C2")), audit.CodeNotCorrectable},
		{"id", req("pet", "P1", set("id", "P9")), audit.CodeNotCorrectable},
		{"twice", req("pet", "P1", set("nombre", "A"), set("name", "B")), audit.CodeDuplicateField},
		{"no change", req("pet", "P1"), audit.CodeNoChanges},
		{"unknown id", req("pet", "P99", set("nombre", "x")), audit.CodeUnknownID},
		{"orphan never migrated", req("pet", "P4", set("nombre", "x")), audit.CodeUnknownID},
		{"merged duplicate", req("client", "C4", set("ciudad", "Cali")), audit.CodeMerged},
		{"invalid date", req("pet", "P1", set("fecha_nacimiento", "31/02/2021")), audit.CodeInvalidValue},
		{"future birth", req("pet", "P1", set("fecha_nacimiento", "2030-01-01")), audit.CodeInvalidValue},
		{"unknown species", req("pet", "P1", set("especie", "dragón")), audit.CodeInvalidValue},
		{"invalid email", req("client", "C1", set("email", "jose@@x")), audit.CodeInvalidValue},
		{"empty name", req("pet", "P1", set("nombre", " ")), audit.CodeEmptyValue},
		{"email of another owner", req("client", "C2", set("email", "JOSE@example.com")), audit.CodeEmailTaken},
		{"same value", req("pet", "P1", set("peso", "12,500 kg")), audit.CodeUnchanged},
		{"no reason", audit.CorrectRequest{Type: "pet", SourceID: "P1", Changes: []audit.Change{set("nombre", "x")}, By: "x", At: testNow}, audit.CodeEmptyReason},
	}
	for _, r := range refusals {
		t.Run(r.name, func(t *testing.T) {
			_, err := audit.Correct(ctx, f.pool, r.req)
			if code(err) != r.code {
				t.Fatalf("err = %v, want code %s", err, r.code)
			}
			if msg := err.(*audit.Error).Text(i18n.ES); msg == "" || strings.Contains(msg, "%!") {
				t.Errorf("bad Spanish message %q", msg)
			}
		})
	}
	// A refused change leaves the other changes of the request unwritten.
	if _, err := audit.Correct(ctx, f.pool, req("pet", "P1", set("color", "Blanco"), set("sexo", "xyz"))); code(err) != audit.CodeInvalidValue {
		t.Fatalf("mixed request: %v", err)
	}
	var color string
	f.pool.QueryRow(ctx, `SELECT color FROM pets_pet p JOIN migration_externalidmapping m ON m.target_id = p.id
		WHERE m.source_type = 'pet' AND m.source_id = 'P1'`).Scan(&color)
	if color != "Negro" {
		t.Fatalf("color = %q after a refused request", color)
	}

	applied, err := audit.Correct(ctx, f.pool, req("pets", "P1", set("name", "  lunita  "), set("peso", "13,2 kg"),
		set("fecha_nacimiento", "04/04/2021")))
	if err != nil {
		t.Fatal(err)
	}
	want := [][3]string{{"nombre", "Luna", "lunita"}, {"peso", "12.500", "13.200"}, {"fecha_nacimiento", "2021-04-03", "2021-04-04"}}
	for i, a := range applied {
		if a.Field != want[i][0] || a.Old != want[i][1] || a.New != want[i][2] || a.Type != "pets" || a.By != "Dr. Pablo" || a.ID == 0 {
			t.Errorf("applied[%d] = %+v, want %v", i, a, want[i])
		}
	}
	if _, err := audit.Correct(ctx, f.pool, req("client", "C2", set("email", "Maria@Example.com"), set("nombre", "María Muñoz Ruiz"),
		set("celular", "+57 311 222 3344"))); err != nil {
		t.Fatal(err)
	}
	var email, first, last string
	f.pool.QueryRow(ctx, `SELECT u.email, u.first_name, u.last_name FROM accounts_user u JOIN vet_clinic_ownerprofile p ON p.user_id = u.id
		JOIN migration_externalidmapping m ON m.target_id = p.id WHERE m.source_type = 'client' AND m.source_id = 'C2'`).Scan(&email, &first, &last)
	if email != "maria@example.com" || first != "María" || last != "Muñoz Ruiz" {
		t.Errorf("user = %q %q %q", email, first, last)
	}
	if _, err := audit.Correct(ctx, f.pool, req("record", "H1", set("diagnostico", ""))); err != nil {
		t.Errorf("clearing a text field: %v", err)
	}

	// Verify lists every correction and counts none of them as a mismatch.
	res, err := reconcile.Verify(ctx, f.pool, reconcile.Options{MediaDir: f.media, Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	if !res.OK || len(res.Mismatches) != 0 {
		t.Errorf("verify after corrections: ok=%v mismatches=%+v", res.OK, res.Mismatches)
	}
	if len(res.Corrections) != 7 {
		t.Errorf("%d corrections in the result, want 7: %+v", len(res.Corrections), res.Corrections)
	}
	// A later change outside recon is not covered by the correction.
	if _, err := f.pool.Exec(ctx, `UPDATE pets_pet SET name = 'Otra' WHERE name = 'lunita'`); err != nil {
		t.Fatal(err)
	}
	res, _ = reconcile.Verify(ctx, f.pool, reconcile.Options{MediaDir: f.media, Now: func() time.Time { return testNow }})
	if res.OK || len(res.Mismatches) != 1 || res.Mismatches[0].Field != "nombre" || res.Mismatches[0].Destination != "Otra" {
		t.Errorf("tampering after a correction: ok=%v mismatches=%+v", res.OK, res.Mismatches)
	}
}

func TestShowAndIssueDetail(t *testing.T) {
	f := imported(t)
	ctx := context.Background()
	if _, err := audit.Correct(ctx, f.pool, audit.CorrectRequest{Type: "pet", SourceID: "P1", Reason: "r", By: "b", At: testNow,
		Changes: []audit.Change{{Field: "color", Value: "Negro azabache"}}}); err != nil {
		t.Fatal(err)
	}
	root, err := audit.Show(ctx, f.pool, "pet", "P1", audit.ViewOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if root.Type != "clients" || root.SourceID != "C1" || root.Label != "José Pérez Gómez" {
		t.Fatalf("root = %s %s %q, want the owner C1", root.Type, root.SourceID, root.Label)
	}
	if len(root.Children) != 1 || root.Children[0].SourceID != "P1" || !root.Children[0].Focus {
		t.Fatalf("owner's children = %+v, want only the focused pet", root.Children)
	}
	pet := root.Children[0]
	var kids []string
	for _, c := range pet.Children {
		kids = append(kids, c.Type+":"+c.SourceID)
	}
	if strings.Join(kids, ",") != "medical:H1,medical:H2,vaccines:V1,documents:D1" {
		t.Errorf("pet's chain = %v", kids)
	}
	status := map[string]audit.FieldView{}
	for _, fv := range pet.Fields {
		status[fv.Field] = fv
	}
	if fv := status["color"]; fv.Status != audit.FieldCorrected || fv.Raw != "Negro" || fv.Destination != "Negro azabache" {
		t.Errorf("color = %+v, want corrected", fv)
	}
	if fv := status["nombre"]; fv.Status != audit.FieldMatch || fv.Column != "name" {
		t.Errorf("nombre = %+v", fv)
	}
	if fv := status["id_cliente"]; fv.Status != audit.FieldMatch || fv.Destination != "C1" {
		t.Errorf("id_cliente = %+v", fv)
	}
	if pet.Source == nil || pet.Source.Line != 2 || !strings.HasPrefix(pet.Source.RawLine, "P1,C1,Luna") || pet.Destination == nil ||
		pet.Destination.Table != "pets_pet" || len(pet.Corrections) != 1 {
		t.Errorf("pet source %+v destination %+v corrections %v", pet.Source, pet.Destination, pet.Corrections)
	}

	owner, err := audit.Show(ctx, f.pool, "clients", "C2", audit.ViewOptions{})
	if err != nil || owner.SourceID != "C2" || !owner.Focus || len(owner.Children) != 1 || owner.Children[0].SourceID != "P3" {
		t.Fatalf("owner C2 chain = %+v, %v", owner, err)
	}
	// The orphaned record was never migrated: shown from the source side,
	// under its pet and owner, which were not migrated either.
	root, err = audit.Show(ctx, f.pool, "record", "H4", audit.ViewOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if root.SourceID != "C3" || root.Destination != nil || len(root.Children) != 1 || root.Children[0].SourceID != "P4" {
		t.Fatalf("orphan's chain root = %+v", root)
	}
	orphan := root.Children[0].Children[0]
	if orphan.SourceID != "H4" || !orphan.Focus || orphan.Destination != nil || orphan.Source.Status != "skipped" || orphan.Source.Reason != "orphaned" {
		t.Errorf("orphan = %+v", orphan)
	}
	if _, err := audit.Show(ctx, f.pool, "pet", "P77", audit.ViewOptions{}); code(err) != audit.CodeUnknownID {
		t.Errorf("unknown pet: %v", err)
	}

	matches, err := audit.Find(ctx, f.pool, "lun", 10)
	if err != nil || len(matches) != 1 || matches[0].SourceID != "P1" || matches[0].Owner != "José Pérez Gómez" {
		t.Errorf("find lun = %+v, %v", matches, err)
	}
	matches, _ = audit.Find(ctx, f.pool, "52.000.111", 10)
	if len(matches) != 1 || matches[0].SourceID != "C2" {
		t.Errorf("find by document = %+v", matches)
	}
	// Rows of the other types are found by source id, named by the type table.
	for id, typ := range map[string]string{"H1": "medical", "V1": "vaccines", "D1": "documents"} {
		matches, err = audit.Find(ctx, f.pool, id, 10)
		if err != nil || len(matches) != 1 || matches[0].Type != typ || matches[0].SourceID != id {
			t.Errorf("find %s = %+v, %v; want one %s", id, matches, err, typ)
		}
	}

	issues, _, _ := audit.ListIssues(ctx, f.pool, audit.IssueFilter{IssueType: "unknown_weight"})
	if len(issues) != 1 {
		t.Fatalf("unknown_weight issues = %+v", issues)
	}
	d, err := audit.ShowIssue(ctx, f.pool, issues[0].ID, audit.ViewOptions{})
	if err != nil || d.Record == nil || d.Record.SourceID != "P3" || d.Record.Source.Raw["peso"] != "0" {
		t.Fatalf("issue detail = %+v, %v", d, err)
	}
	for _, fv := range d.Record.Fields {
		// Weight 0 means unknown (an info issue): stored empty, as normalised.
		if fv.Field == "peso" && (fv.Status != audit.FieldMatch || fv.Destination != "" || fv.Raw != "0") {
			t.Errorf("peso of P3 = %+v, want empty on both sides", fv)
		}
	}
}

// TestReimportKeepsCorrections re-imports the export after audited
// corrections: the corrected columns keep the operator's values (each noted
// as correction_kept), a column changed in the newer export is still
// updated, and verify passes.
func TestReimportKeepsCorrections(t *testing.T) {
	f := imported(t)
	ctx := context.Background()
	for _, r := range []audit.CorrectRequest{
		req("pet", "P1", set("nombre", "Lunita")),
		req("client", "C2", set("email", "maria@example.com"), set("nombre", "María Muñoz Ruiz"), set("celular", "311 222 3344")),
		req("record", "H1", set("diagnostico", "")),
	} {
		if _, err := audit.Correct(ctx, f.pool, r); err != nil {
			t.Fatal(err)
		}
	}
	// The newer export changed P1's colour in OkVet.
	pets := filepath.Join(f.dir, "mascotas.csv")
	b, err := os.ReadFile(pets)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(pets, []byte(strings.Replace(string(b), ",Negro,", ",Blanco,", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	im, err := importer.New(f.pool, importer.Options{MediaDir: f.media, Now: func() time.Time { return testNow }, Operator: "ana"})
	if err != nil {
		t.Fatal(err)
	}
	sums, err := im.ImportDir(ctx, f.dir)
	if err != nil {
		t.Fatal(err)
	}
	updated := map[string]int{}
	for _, s := range sums.Summaries {
		updated[s.Type] = s.Updated
	}
	if updated["pets"] != 1 || updated["clients"] != 0 || updated["medical"] != 0 {
		t.Errorf("updated rows per type = %v, want only the recoloured pet", updated)
	}

	var name, color, email, first, last, mobile, diagnosis string
	f.pool.QueryRow(ctx, `SELECT p.name, p.color FROM pets_pet p JOIN migration_externalidmapping m ON m.target_id = p.id
		WHERE m.source_type = 'pet' AND m.source_id = 'P1'`).Scan(&name, &color)
	if name != "Lunita" || color != "Blanco" {
		t.Errorf("pet P1 = %q %q after re-import, want the corrected name and the export's new colour", name, color)
	}
	f.pool.QueryRow(ctx, `SELECT u.email, u.first_name, u.last_name, p.mobile FROM accounts_user u
		JOIN vet_clinic_ownerprofile p ON p.user_id = u.id
		JOIN migration_externalidmapping m ON m.target_id = p.id WHERE m.source_type = 'client' AND m.source_id = 'C2'`).
		Scan(&email, &first, &last, &mobile)
	if email != "maria@example.com" || first != "María" || last != "Muñoz Ruiz" || mobile != "+573112223344" {
		t.Errorf("client C2 = %q %q %q %q after re-import, want the corrections", email, first, last, mobile)
	}
	f.pool.QueryRow(ctx, `SELECT r.diagnosis FROM medical_medicalrecord r JOIN migration_externalidmapping m ON m.target_id = r.id
		WHERE m.source_type = 'record' AND m.source_id = 'H1'`).Scan(&diagnosis)
	if diagnosis != "" {
		t.Errorf("record H1 diagnosis = %q after re-import, want the cleared value", diagnosis)
	}

	rows, err := f.pool.Query(ctx, `SELECT source_id || '/' || field_name FROM migration_dataqualityissue
		WHERE issue_type = 'correction_kept' ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	kept, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"C2/celular", "C2/email", "C2/nombre", "H1/diagnostico", "P1/nombre"}
	if strings.Join(kept, " ") != strings.Join(want, " ") {
		t.Errorf("correction_kept issues = %v, want %v", kept, want)
	}

	res, err := reconcile.Verify(ctx, f.pool, reconcile.Options{MediaDir: f.media, Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	if !res.OK || len(res.Mismatches) != 0 {
		t.Errorf("verify after re-import: ok=%v mismatches=%+v unexplained=%+v", res.OK, res.Mismatches, res.Unexplained)
	}
}

// TestRollbackThenReimportForgetsCorrections rolls back the batch whose row
// an operator corrected and imports the file again: the new row holds the
// export's value, and verify neither lists the correction of the row that
// is gone nor reports the field as a mismatch.
func TestRollbackThenReimportForgetsCorrections(t *testing.T) {
	f := imported(t)
	ctx := context.Background()
	if _, err := audit.Correct(ctx, f.pool, req("pet", "P1", set("nombre", "Lunita"))); err != nil {
		t.Fatal(err)
	}
	var batch int64
	if err := f.pool.QueryRow(ctx, `SELECT batch_id FROM migration_externalidmapping WHERE source_type = 'pet' AND source_id = 'P1'`).Scan(&batch); err != nil {
		t.Fatal(err)
	}
	if _, err := importer.Rollback(ctx, f.pool, batch, importer.RollbackOptions{Cascade: true, MediaDir: f.media, Now: func() time.Time { return testNow }}); err != nil {
		t.Fatal(err)
	}
	im, err := importer.New(f.pool, importer.Options{MediaDir: f.media, Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := im.ImportDir(ctx, f.dir); err != nil {
		t.Fatal(err)
	}
	var name string
	f.pool.QueryRow(ctx, `SELECT p.name FROM pets_pet p JOIN migration_externalidmapping m ON m.target_id = p.id
		WHERE m.source_type = 'pet' AND m.source_id = 'P1'`).Scan(&name)
	if name != "Luna" {
		t.Errorf("pet P1 = %q after rollback and re-import, want the export's name", name)
	}
	res, err := reconcile.Verify(ctx, f.pool, reconcile.Options{MediaDir: f.media, Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	if !res.OK || len(res.Mismatches) != 0 || len(res.Corrections) != 0 {
		t.Errorf("verify: ok=%v mismatches=%+v corrections=%+v, want clean and no correction listed", res.OK, res.Mismatches, res.Corrections)
	}
}

// TestCorrectEmailOfAStaffUser: an e-mail a staff account already has is
// refused with a clear message naming the kind of account, not a raw
// duplicate-key error, and nothing changes.
func TestCorrectEmailOfAStaffUser(t *testing.T) {
	f := imported(t)
	ctx := context.Background()
	if _, err := f.pool.Exec(ctx, `INSERT INTO accounts_user (id, password, email, first_name, last_name, role, is_active,
			is_staff, is_superuser, date_joined) VALUES (800010, '!', 'recepcion@clinica.co', '', '', 'receptionist', true, true, false, $1)`, testNow); err != nil {
		t.Fatal(err)
	}
	for _, value := range []string{"recepcion@clinica.co", "Recepcion@Clinica.co"} {
		_, err := audit.Correct(ctx, f.pool, req("client", "C2", set("email", value)))
		var re *audit.Error
		if !errors.As(err, &re) || re.Code != audit.CodeEmailTakenByUser {
			t.Fatalf("correct email=%s: %v, want %s", value, err, audit.CodeEmailTakenByUser)
		}
		want := "el correo " + strings.ToLower(value) + " ya lo usa una cuenta del personal de Pet-Friendly (rol receptionist); cada correo identifica una sola cuenta: use otro para este propietario"
		if got := re.Text(i18n.ES); got != want && got != strings.Replace(want, strings.ToLower(value), value, 1) {
			t.Errorf("message %q, want %q", got, want)
		}
	}
	var n int
	if err := f.pool.QueryRow(ctx, `SELECT count(*) FROM migration_correction`).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d corrections stored (%v), want none", n, err)
	}
}

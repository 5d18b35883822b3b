package importer_test

import (
	"context"
	"encoding/csv"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/petfriendly/recon/internal/gen"
	"github.com/petfriendly/recon/internal/pgtest"
)

// TestItemTotalsEitherSum pins the item-total rule: an invoice's lines may
// add up to its subtotal (lines before tax) or to its total (lines with
// tax), each line rounded to the peso; only an invoice matching neither is
// flagged, with both sums of its lines in the issue.
func TestItemTotalsEitherSum(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	dir := t.TempDir()
	importClientsAndPets(t, db.Pool, dir, nil)
	im := newImporter(t, db.Pool, nil)
	mustImport(t, im, "products", writeFile(t, dir, "productos.csv", productsCSV))
	mustImport(t, im, "invoices", writeFile(t, dir, "facturas.csv", `id,numero,id_cliente,fecha,subtotal,descuento,impuesto,total,estado,forma_pago,notas
T1,FV-1,C1,2024-03-01,100000,0,19000,119000,pagada,efectivo,
T2,FV-2,C1,2024-03-01,100000,0,19000,119000,pagada,efectivo,
T3,FV-3,C1,2024-03-01,100000,0,19000,119000,pagada,efectivo,
T4,FV-4,C1,2024-03-01,100000,0,19000,119000,pagada,efectivo,
T5,FV-5,C1,2024-03-01,100000,0,19000,119000,pagada,efectivo,
T6,FV-6,C1,2024-03-01,100000,0,19000,119000,pagada,efectivo,
`))
	items := `id,id_factura,id_producto,descripcion,cantidad,precio_unitario,descuento,impuesto,total
I1,T1,PR1,con impuesto,1,50000,0,9500,59500
I2,T1,PR1,con impuesto,1,50000,0,9500,59500
I3,T2,PR1,sin impuesto,1,60000,0,0,60000
I4,T2,PR1,sin impuesto,1,40000,0,0,40000
I5,T3,PR1,redondeo,1,33333,0,6333,39666
I6,T3,PR1,redondeo,1,33333,0,6333,39666
I7,T3,PR1,redondeo,1,33334,0,6334,39667
I8,T4,PR1,fuera,1,50000,0,9500,59500
I9,T4,PR1,fuera,1,50000,0,9500,59503
I10,T5,PR1,a medias,1,90000,0,0,90000
I11,T6,PR1,una línea,1,100000,0,19000,119002
`
	mustImport(t, im, "invoice_items", writeFile(t, dir, "factura_items.csv", items))
	tests := []struct {
		invoice string
		flagged bool
		value   string
	}{
		{"T1", false, ""}, // lines with tax add up to the total
		{"T2", false, ""}, // lines before tax add up to the subtotal
		{"T3", false, ""}, // 118999 against 119000: one peso over three lines
		{"T4", true, "items=119003.00 before_tax=100003.00 subtotal=100000.00 total=119000.00"},
		{"T5", true, "items=90000.00 before_tax=90000.00 subtotal=100000.00 total=119000.00"},
		{"T6", true, "items=119002.00 before_tax=100002.00 subtotal=100000.00 total=119000.00"},
	}
	for _, tt := range tests {
		var value, desc string
		n := 0
		rows, err := db.Pool.Query(context.Background(), `SELECT source_value, description FROM migration_dataqualityissue
			WHERE source_type = 'invoice' AND source_id = $1 AND issue_type = 'items_total_mismatch'`, tt.invoice)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			n++
			if err := rows.Scan(&value, &desc); err != nil {
				t.Fatal(err)
			}
		}
		rows.Close()
		switch {
		case tt.flagged && n != 1:
			t.Errorf("%s: %d items_total_mismatch issues, want 1", tt.invoice, n)
		case !tt.flagged && n != 0:
			t.Errorf("%s: flagged (%s), want consistent", tt.invoice, desc)
		case tt.flagged && value != tt.value:
			t.Errorf("%s: issue value %q, want %q", tt.invoice, value, tt.value)
		}
	}
}

// TestOneIssuePerProblem: a malformed e-mail is seen by the normaliser (a
// warning) and rejects the owner (critical); it must be one issue, the
// critical one.
func TestOneIssuePerProblem(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	dir := t.TempDir()
	im := newImporter(t, db.Pool, nil)
	mustImport(t, im, "clients", writeFile(t, dir, "clientes.csv", `id,nombre,telefono,email
M1,María Pérez,3001234567,maria@hotmail
M2,Ana Ruiz,3007654321,ana@example.com
`))
	var sevs []string
	rows, err := db.Pool.Query(context.Background(), `SELECT severity FROM migration_dataqualityissue
		WHERE source_type = 'client' AND source_id = 'M1' AND issue_type = 'invalid_email' ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		sevs = append(sevs, s)
	}
	rows.Close()
	if strings.Join(sevs, ",") != "critical" {
		t.Errorf("M1 invalid_email issues: %v, want exactly one critical", sevs)
	}
	if status, _ := outcomeOf(t, db.Pool, "client", "M1"); status != "error" {
		t.Errorf("M1 status %s, want error", status)
	}
}

// TestGeneratedItemTotals: on a generated export few invoices carry an
// item-total issue (the generator's lines include tax and add up to the
// total), every invoice whose total the generator broke on purpose carries
// the invoice's own total_mismatch, and items_total_mismatch too unless its
// lines still add up to its subtotal.
func TestGeneratedItemTotals(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	dir := filepath.Join(t.TempDir(), "export")
	exp, err := gen.Generate(context.Background(), gen.Options{Out: dir, Scale: 0.05, Seed: 7, Variant: "utf8"})
	if err != nil {
		t.Fatal(err)
	}
	// The generator's truth: facturas.csv rows whose total is not
	// subtotal - discount + tax; expected.json counts them.
	invoices := readCSV(t, filepath.Join(dir, "facturas.csv"))[1:]
	broken := map[string]*big.Rat{}
	subtotal, total := map[string]*big.Rat{}, map[string]*big.Rat{}
	for _, r := range invoices {
		want := new(big.Rat).Sub(pesos(t, r[4]), pesos(t, r[5]))
		want.Add(want, pesos(t, r[6]))
		if d := new(big.Rat).Sub(pesos(t, r[7]), want); d.Sign() != 0 {
			broken[r[0]] = d.Abs(d)
		}
		subtotal[r[0]], total[r[0]] = pesos(t, r[4]), pesos(t, r[7])
	}
	if want := exp.Defects["invoices.total_mismatch"]; want == 0 || len(broken) != want {
		t.Fatalf("%d broken totals in facturas.csv, expected.json says %d", len(broken), want)
	}
	lines, sums := map[string]int{}, map[string]*big.Rat{}
	for _, r := range readCSV(t, filepath.Join(dir, "factura_items.csv"))[1:] {
		lines[r[1]]++
		if sums[r[1]] == nil {
			sums[r[1]] = new(big.Rat)
		}
		sums[r[1]].Add(sums[r[1]], pesos(t, r[8]))
	}
	im := newImporter(t, db.Pool, nil)
	if _, err := im.ImportDir(context.Background(), dir); err != nil {
		t.Fatal(err)
	}

	ids := func(sql string) map[string]bool {
		out := map[string]bool{}
		rows, err := db.Pool.Query(context.Background(), sql)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				t.Fatal(err)
			}
			out[id] = true
		}
		return out
	}
	flagged := ids(`SELECT DISTINCT source_id FROM migration_dataqualityissue
		WHERE source_type = 'invoice' AND issue_type = 'items_total_mismatch'`)
	totals := ids(`SELECT DISTINCT source_id FROM migration_dataqualityissue
		WHERE source_type = 'invoice' AND issue_type = 'total_mismatch'`)
	mapped := ids(`SELECT source_id FROM migration_externalidmapping WHERE source_type = 'invoice'`)
	if len(mapped) < 100 || len(flagged)*50 >= len(mapped) {
		t.Errorf("%d of %d invoices carry items_total_mismatch, want fewer than 2 %%", len(flagged), len(mapped))
	}
	checked := 0
	for id, d := range broken {
		if !mapped[id] {
			continue
		}
		checked++
		if !totals[id] {
			t.Errorf("%s: total broken by %s but no total_mismatch", id, d.FloatString(2))
		}
		// A broken total whose lines still add up to the subtotal is the
		// invoice's own problem (total_mismatch); otherwise the lines match
		// nothing and the item rule must say so too.
		far := func(a, b *big.Rat) bool {
			diff := new(big.Rat).Sub(a, b)
			return diff.Abs(diff).Cmp(big.NewRat(int64(lines[id]), 1)) > 0
		}
		want := sums[id] != nil && far(sums[id], subtotal[id]) && far(sums[id], total[id])
		if flagged[id] != want {
			t.Errorf("%s: total broken by %s, lines %s, subtotal %s, total %s: items_total_mismatch %v, want %v", id,
				d.FloatString(2), sums[id].FloatString(2), subtotal[id].FloatString(2), total[id].FloatString(2), flagged[id], want)
		}
	}
	if checked == 0 {
		t.Error("no broken total among the imported invoices; the export proves nothing")
	}
	t.Logf("%d of %d invoices carry items_total_mismatch; %d broken totals checked", len(flagged), len(mapped), checked)
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil || len(recs) == 0 {
		t.Fatalf("read %s: %v", path, err)
	}
	return recs
}

// pesos reads the utf8 variant's money ("120000" or "$ 120.000").
func pesos(t *testing.T, s string) *big.Rat {
	t.Helper()
	s = strings.TrimSpace(s)
	if rest, ok := strings.CutPrefix(s, "$"); ok {
		s = strings.ReplaceAll(strings.TrimSpace(rest), ".", "")
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		t.Fatalf("money %q", s)
	}
	return r
}

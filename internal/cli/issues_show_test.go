package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/petfriendly/recon/audit"
)

// TestIssuesShowResolvedAndJSON: `issues show` of a resolved issue says
// who resolved it, when and how, in either language; --json gives the
// issue as stored.
func TestIssuesShowResolvedAndJSON(t *testing.T) {
	t.Parallel()
	e := newReviewEnv(t)
	id := e.issueID(t, "unknown_weight")
	arg := fmt.Sprint(id)
	code, out, errs := e.run(t, nil, "issues", "resolve", arg, "--resolution", "pesada de nuevo", "--by", "ana")
	checkRun(t, code, out, errs, 0, nil, nil)
	code, out, errs = e.run(t, nil, "issues", "show", arg)
	checkRun(t, code, out, errs, 0, []string{fmt.Sprintf("Problema %d — unknown_weight", id), "  Resuelto por ana el ", ": pesada de nuevo\n"}, nil)
	if strings.Contains(out, "Estado: abierto") {
		t.Errorf("a resolved issue shown as open:\n%s", out)
	}
	code, out, errs = e.run(t, nil, "--lang", "en", "issues", "show", arg)
	checkRun(t, code, out, errs, 0, []string{"  Resolved by ana on ", ": pesada de nuevo\n"}, nil)

	code, out, errs = e.run(t, nil, "issues", "show", arg, "--json")
	checkRun(t, code, out, errs, 0, nil, nil)
	var d audit.IssueDetail
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatalf("issues show --json: %v\n%s", err, out)
	}
	if d.Issue.ID != id || !d.Issue.Resolved || d.Issue.ResolvedBy != "ana" || d.Issue.Resolution != "pesada de nuevo" ||
		d.Issue.IssueType != "unknown_weight" {
		t.Errorf("issues show --json = %+v", d.Issue)
	}
}

// TestBulkResolutionSummaryOfManyIssues: asking to resolve more than ten
// issues shows the counts by severity and type, the first ten and how many
// more there are; answered no, nothing is resolved.
func TestBulkResolutionSummaryOfManyIssues(t *testing.T) {
	t.Parallel()
	e := newReviewEnv(t)
	csv := "id,nombre,tipo_documento,documento,telefono,celular,email,direccion,ciudad,notas,fecha_registro,autorizacion_datos\n"
	for i := range 13 {
		csv += fmt.Sprintf("E%d,Cliente %d,CC,%d,,,malo%d@@correo,,,,,\n", i, i, 700+i, i)
	}
	path := filepath.Join(t.TempDir(), "clientes.csv")
	if err := os.WriteFile(path, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := e.run(t, nil, "import", "clients", "--file", path)
	checkRun(t, code, out, errs, 0, nil, nil)
	for _, lang := range []struct{ arg, count, more string }{
		{"es", "  crítico invalid_email: 13\n", "  ... y 3 más\n"},
		{"en", "  critical invalid_email: 13\n", "  ... and 3 more\n"},
	} {
		code, out, errs := e.run(t, strings.NewReader("n\n"), "--lang", lang.arg, "issues", "resolve", "--type", "invalid_email", "--severity", "critical",
			"--resolution", "x")
		checkRun(t, code, out, errs, ExitProblems, []string{lang.count, lang.more}, nil)
		if n := strings.Count(out, "invalid_email"); n != 11 {
			t.Errorf("%s: invalid_email named %d times, want 11 (the count and ten issues):\n%s", lang.arg, n, out)
		}
	}
	var resolved int
	if err := e.db.Pool.QueryRow(context.Background(), "SELECT count(*) FROM migration_dataqualityissue WHERE resolved").Scan(&resolved); err != nil || resolved != 0 {
		t.Errorf("%d issues resolved (%v) after answering no", resolved, err)
	}
}

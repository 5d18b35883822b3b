package cli

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/petfriendly/recon/reconcile"
)

// TestOperatorAndClinicRecordedOnce: the import's --operator is who every
// report names unless verify is given another (not the OS user), and the
// clinic's name set once with `recon db set` is on every report.
func TestOperatorAndClinicRecordedOnce(t *testing.T) {
	t.Setenv("USER", "root")
	t.Setenv("RECON_OPERATOR", "")
	e := newReviewEnv(t) // imported with --operator ana
	dir := t.TempDir()

	for _, tt := range []struct {
		args     []string
		wantCode int
		wantOut  string
		wantErr  string
	}{
		{[]string{"db", "set"}, 0, "No hay ajustes guardados", ""},
		{[]string{"db", "set", "colour=blue"}, ExitError, "", `"colour=blue" no es un ajuste`},
		{[]string{"db", "set", "clinic"}, ExitError, "", "clinic"},
		{[]string{"db", "set", "clinic=Clínica Dr. Pablo", "--by", "ana"}, 0, `clinic = "Clínica Dr. Pablo" guardado`, ""},
		{[]string{"db", "set"}, 0, "clinic  Clínica Dr. Pablo", ""},
	} {
		code, out, errs := e.run(t, nil, tt.args...)
		if code != tt.wantCode || !strings.Contains(out, tt.wantOut) || !strings.Contains(errs, tt.wantErr) {
			t.Errorf("%v: exit %d, want %d\nstdout: %s\nstderr: %s", tt.args, code, tt.wantCode, out, errs)
		}
	}

	report, pdf := filepath.Join(dir, "r.html"), filepath.Join(dir, "r.pdf")
	for _, tt := range []struct {
		args     []string
		operator string
	}{
		{nil, "ana"},
		{[]string{"--operator", "benito"}, "benito"},
	} {
		args := append([]string{"verify", "--json=-", "--report=" + report, "--pdf=" + pdf}, tt.args...)
		code, out, errs := e.run(t, nil, args...)
		if code == ExitError {
			t.Fatalf("%v: exit %d\n%s", args, code, errs)
		}
		var res reconcile.Result
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatalf("%v: %v", args, err)
		}
		if res.Operator != tt.operator || res.Clinic != "Clínica Dr. Pablo" {
			t.Errorf("%v: run names operator %q clinic %q, want %q and the clinic set", args, res.Operator, res.Clinic, tt.operator)
		}
		page, err := os.ReadFile(report)
		if err != nil || !strings.Contains(string(page), "Clínica Dr. Pablo") || !strings.Contains(string(page), ">"+tt.operator+"<") {
			t.Errorf("%v: HTML lacks the clinic or operator %q (%v)", args, tt.operator, err)
		}
		text := pdfText(t, pdf)
		if !strings.Contains(text, "Clínica Dr. Pablo") || !strings.Contains(text, tt.operator) || strings.Contains(text, "root") {
			t.Errorf("%v: PDF lacks the clinic or operator %q, or names root:\n%s", args, tt.operator, text)
		}
	}
	// A stored run rendered again names the clinic set for the database.
	code, _, errs := e.run(t, nil, "report", "--html", report)
	if page, err := os.ReadFile(report); code != 0 || err != nil || !strings.Contains(string(page), "Clínica Dr. Pablo") {
		t.Errorf("report: exit %d, clinic missing (%v)\n%s", code, err, errs)
	}
}

func pdfText(t *testing.T, path string) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Fatal("the tests need pdftotext (apt-get install poppler-utils)")
	}
	out, err := exec.Command(bin, "-layout", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}
